import type { RoundPack, Persona, StarPart } from '../core/roundPack';
import type { Turn } from '../core/transcript';
import type { Millis } from '../core/units';
import type { WorkspaceView } from '../core/workspace';

/**
 * The three stages of the cascade, each behind a small interface so each can be picked
 * independently (settings.json) and faked in tests. Audio crossing these interfaces is
 * 24 kHz mono signed 16-bit PCM (see core/audioFormat.ts).
 */

export interface ProviderInfo {
  /** e.g. 'openai', 'embedded', 'fake' */
  kind: string;
  /** Model or voice engine in use, when there is one. */
  model?: string;
}

export interface SpeechToText {
  readonly info: ProviderInfo;
  /**
   * Transcribe one candidate turn. `onDelta` receives partial text as it streams in
   * (when the provider streams). Rejects with a ProviderError on failure.
   */
  transcribe(
    audio: Int16Array,
    options: { signal?: AbortSignal; onDelta?: (textSoFar: string) => void; prompt?: string },
  ): Promise<string>;
}

/**
 * Speech-to-text as a live round uses it: the candidate's speech goes in as it is spoken,
 * piece by piece (a piece is a stretch of speech between pauses), and each piece is
 * transcribed once — a reply drafted at a pause reuses what is already transcribed.
 * A batch transcriber (one upload per piece) is adapted by batchLiveTranscriber.ts; a
 * Realtime transcription session hears the audio as it arrives.
 */
export interface LiveTranscriber {
  readonly info: ProviderInfo;
  /** Audio of the piece being spoken, in order, as it arrives. */
  append(pcm: Int16Array): void;
  /**
   * What was appended since the last commit is one piece (pieces are numbered from 0 in
   * commit order): resolves to its final text, or rejects with a ProviderError.
   * `prompt`: the turn's words before this piece, for continuity across the cut.
   */
  commit(options: { prompt?: string; signal?: AbortSignal }): Promise<string>;
  /** Text of a piece before its final text (while it is spoken, or being transcribed). */
  onInterim(listener: (piece: number, textSoFar: string) => void): void;
  /** The round starts: get ready to hear (open a connection, if there is one to open). */
  open?(): void;
  /** The round is over: stop, and let go of any connection. */
  close(): void;
}

export type RoundPhase = 'questions' | 'closing' | 'farewell';

export interface InterviewContext {
  pack: RoundPack;
  /** Committed turns so far, oldest first. Candidate text may be null (no transcript). */
  turns: readonly Turn[];
  phase: RoundPhase;
  elapsedMs: Millis;
  remainingMs: Millis;
  /** Concepts a strong answer to the current question covers that the answers so far missed. */
  missingConcepts?: readonly string[];
  /** The current question asks for a story: the STAR parts the candidate has not told yet. */
  storyMissing?: readonly StarPart[];
  /** Lines about what the candidate said in earlier rounds of the same loop (data). */
  memory?: readonly string[];
  /** The round was cut off and continues now; `turns` begin with the earlier part's. */
  resumed?: boolean;
  /** The candidate's code pad or whiteboard as it is now (coding and design rounds). */
  workspace?: WorkspaceView;
}

export interface InterviewerReply {
  /** Streams the reply's text as it is produced. */
  text: AsyncIterable<string>;
  /** Question of the pack this reply asks, when the interviewer knows it. */
  questionId?: string;
  /**
   * The interviewer moves the round on by itself (e.g. the scripted interviewer has asked
   * every question and now invites the candidate's questions). The engine also moves the
   * phase on by the clock.
   */
  phaseAfter?: RoundPhase;
}

export interface Interviewer {
  readonly info: ProviderInfo;
  /** The first thing said: greeting and the first question. */
  open(context: InterviewContext, signal?: AbortSignal): InterviewerReply;
  /** The reply to the candidate's latest turn. */
  reply(context: InterviewContext, signal?: AbortSignal): InterviewerReply;
}

export interface TextToSpeech {
  readonly info: ProviderInfo;
  /** Streams 24 kHz mono PCM chunks for `text`, spoken in the persona's voice. */
  synthesize(text: string, persona: Persona, signal?: AbortSignal): AsyncIterable<Int16Array>;
}

export type Stage = 'stt' | 'interviewer' | 'tts';

/** A failure a user can act on: `message` says what happened and what to do. */
export class ProviderError extends Error {
  constructor(
    readonly stage: Stage,
    readonly code:
      | 'auth'
      | 'quota'
      | 'rate-limit'
      | 'server'
      | 'timeout'
      | 'network'
      | 'not-found'
      | 'bad-response'
      | 'missing-asset'
      | 'aborted',
    message: string,
    readonly retryable: boolean = false,
    /** How long the server asked us to wait before trying again (retry-after). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
