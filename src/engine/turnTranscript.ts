import { SAMPLE_RATE } from '../core/audioFormat';
import { millis, millisToSamples, type Millis } from '../core/units';
import type { LiveTranscriber } from '../providers/types';
import type { CandidateAudio } from './candidateAudio';
import { SPEECH_END_REPORT_LAG_MS } from './turnTaking';

/**
 * The candidate's turn as text, built piece by piece while they speak: each stretch of
 * speech (a piece) goes to the transcriber as it is spoken and is committed when it ends,
 * so every second of speech is sent once and a reply drafted at a pause only waits for
 * the newest piece. Pieces of one turn survive drafts that are thrown away (the candidate
 * went on talking): the next draft reuses them.
 *
 * Audio bookkeeping, on the candidate channel's sample clock: everything before `sentUpTo`
 * has been sent or skipped (silence between pieces is never sent). A piece starts a little
 * before its speech (`PRE_PAD_MS`, onsets the detector dates late) and ends a little after
 * (`POST_PAD_MS`, trailing consonants); the newest `HOLDBACK_MS` of audio is held back
 * while a piece is open, because the detector reports the end of speech late and the
 * silence after it should not be sent.
 */

const PRE_PAD_MS = millis(100);
const POST_PAD_MS = millis(100);
/**
 * The end of speech is reported 160–250 ms late (the detector's hangover, frames, batches);
 * audio older than this cannot be the silence after it — 100 ms of that silence is the
 * piece's own end pad. Kept short so a transcriber that hears as audio arrives is never
 * far behind the candidate.
 */
const HOLDBACK_MS = millis(SPEECH_END_REPORT_LAG_MS - POST_PAD_MS);

interface Piece {
  state: 'open' | 'pending' | 'final' | 'failed';
  text: string | null;
  interim: string;
  /** Resolves once the piece is final or failed (never rejects). */
  settled: Promise<void>;
  settle(): void;
}

function newPiece(): Piece {
  let settle = () => undefined as void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  return { state: 'open', text: null, interim: '', settled, settle };
}

export interface TurnTranscriptDeps {
  transcriber: LiveTranscriber;
  audio: CandidateAudio;
  /** The turn's words so far (finals and interim text), for the live transcript. */
  onText(textSoFar: string): void;
  /** A piece could not be transcribed (after the transcriber's own retries). */
  onError(error: unknown): void;
}

export class TurnTranscript {
  private pieces: Piece[] = [];
  /** Every piece ever committed, by the transcriber's piece number. */
  private readonly committed: Piece[] = [];
  private open: Piece | null = null;
  private sentUpTo = 0;
  private sentTotal = 0;
  private readonly controller = new AbortController();

  constructor(private readonly deps: TurnTranscriptDeps) {
    deps.transcriber.onInterim((number, text) => {
      const piece = this.committed[number] ?? (number === this.committed.length ? this.open : null);
      if (!piece || piece.state === 'final' || piece.state === 'failed') return;
      piece.interim = text;
      this.report();
    });
  }

  /** Audio sent to the transcriber so far, in samples. */
  get sentSamples(): number {
    return this.sentTotal;
  }

  /** The candidate started speaking: a new piece, of a new turn or of the current one. */
  speechStarted(atMs: Millis, newTurn: boolean): void {
    if (this.open) this.speechEnded(atMs);
    if (newTurn) this.pieces = [];
    this.sentUpTo = Math.max(this.sentUpTo, this.sampleAt(millis(atMs - PRE_PAD_MS)));
    const piece = newPiece();
    this.open = piece;
    this.pieces.push(piece);
    this.feed();
  }

  /** New audio arrived: send what of the open piece is old enough to be speech. */
  feed(): void {
    if (this.open) this.send(this.deps.audio.totalSamples - this.sampleCount(HOLDBACK_MS));
  }

  /**
   * The stretch of speech ended at `atMs`: the piece is complete and goes off once. The
   * report comes after the detector's hangover, so the audio just after the end is in.
   */
  speechEnded(atMs: Millis): void {
    const piece = this.open;
    if (!piece) return;
    this.open = null;
    this.send(this.sampleAt(millis(atMs + POST_PAD_MS)));
    this.committed.push(piece);
    piece.state = 'pending';
    const prompt = this.pieces
      .filter((p) => p !== piece && p.state === 'final' && p.text)
      .map((p) => p.text)
      .join(' ');
    this.deps.transcriber
      .commit({ signal: this.controller.signal, ...(prompt ? { prompt } : {}) })
      .then(
        (text) => {
          piece.state = 'final';
          piece.text = text.trim();
          this.report();
        },
        (error: unknown) => {
          piece.state = 'failed';
          if (!this.controller.signal.aborted) this.deps.onError(error);
        },
      )
      .finally(() => piece.settle());
  }

  /**
   * The turn's text as it will most likely end up, at once: final text where it is in,
   * interim text for the rest — or null when some piece has neither yet (the transcriber
   * does not hear as audio arrives, or has not caught up).
   */
  provisional(): string | null {
    if (this.pieces.length === 0) return null;
    const parts: string[] = [];
    for (const piece of this.pieces) {
      if (piece.state === 'failed') return null;
      const text = piece.state === 'final' ? piece.text : piece.interim.trim() || null;
      if (text === null) return null;
      parts.push(text);
    }
    return joinText(parts);
  }

  /**
   * The turn's final text once every piece so far is transcribed; null when one could not
   * be (the error was reported) or there is nothing.
   */
  async settled(): Promise<string | null> {
    const pieces = [...this.pieces];
    await Promise.all(pieces.map((p) => p.settled));
    if (pieces.length === 0 || pieces.some((p) => p.state !== 'final')) return null;
    return joinText(pieces.map((p) => p.text ?? ''));
  }

  /** The round is over: nothing more is sent, nothing pending is waited for. */
  close(): void {
    if (this.open) {
      this.open.state = 'failed';
      this.open.settle();
    }
    this.open = null;
    this.controller.abort();
    this.deps.transcriber.close();
  }

  private send(upTo: number): void {
    const to = Math.min(upTo, this.deps.audio.totalSamples);
    if (to <= this.sentUpTo) return;
    this.deps.transcriber.append(this.deps.audio.slice(this.sentUpTo, to));
    this.sentTotal += to - this.sentUpTo;
    this.sentUpTo = to;
  }

  private report(): void {
    const parts = this.pieces.map((p) => (p.state === 'final' ? (p.text ?? '') : p.interim));
    this.deps.onText(joinText(parts));
  }

  private sampleAt(ms: Millis): number {
    return millisToSamples(millis(Math.max(0, ms)), SAMPLE_RATE);
  }

  private sampleCount(ms: Millis): number {
    return millisToSamples(ms, SAMPLE_RATE);
  }
}

function joinText(parts: readonly string[]): string {
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .join(' ');
}
