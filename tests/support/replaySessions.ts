import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_RATE } from '../../src/core/audioFormat';
import { PeakAccumulator } from '../../src/core/peaks';
import type { RoundPack } from '../../src/core/roundPack';
import type { SessionRecord, TurnRecord } from '../../src/core/session';
import { millis } from '../../src/core/units';
import { decodeWavPcm16 } from '../../src/core/wav';
import { writePeaksFile } from '../../src/storage/peaksFile';
import { sessionDirectory } from '../../src/storage/sessionPaths';
import { SessionStore, type SessionInit } from '../../src/storage/sessionStore';

/**
 * Sessions made directly on disk for replay tests and the benchmark, through the app's
 * own SessionStore and WavStreamWriter, so they are exactly what a recorded round leaves:
 * session.json, a stereo audio.wav and (optionally) peaks.json.
 */

export interface MadeSession {
  id: string;
  dir: string;
  record: SessionRecord;
}

function init(pack: RoundPack, transcript: boolean): SessionInit {
  return {
    round: {
      packId: pack.id,
      title: pack.title,
      loopTitle: pack.loop.title,
      company: pack.company,
      budgetMs: 45 * 60_000,
    },
    persona: { name: pack.persona.name, role: pack.persona.role },
    providers: {
      stt: transcript ? { kind: 'openai', model: 'gpt-4o-transcribe' } : null,
      interviewer: { kind: 'openai', model: 'gpt-4.1-mini' },
      tts: { kind: 'openai', model: 'gpt-4o-mini-tts' },
    },
    transcriptAvailable: transcript,
    audio: {
      file: 'audio.wav',
      sampleRate: SAMPLE_RATE,
      channels: 2,
      channelLayout: ['candidate', 'interviewer'],
    },
  };
}

interface Segment {
  speaker: 'candidate' | 'interviewer';
  /** Mono 24 kHz samples, or a length in frames of generated speech-like sound. */
  audio: Int16Array | number;
  text: string | null;
  questionId?: string;
}

/**
 * Writes segments one after another (with `gapMs` of silence between them) as a
 * finished session. Peaks are accumulated the way the recorder does, and saved when asked.
 */
async function writeSession(
  dataDir: string,
  pack: RoundPack,
  segments: Segment[],
  options: { transcript: boolean; gapMs: number; peaks: boolean; now?: Date },
): Promise<MadeSession> {
  const store = new SessionStore(dataDir, options.now ? { now: () => options.now! } : {});
  const created = await store.create(init(pack, options.transcript));
  const writer = await store.openRecording(created.id);
  const peaks = new PeakAccumulator(2, SAMPLE_RATE);
  const turns: TurnRecord[] = [];
  const gapFrames = Math.round((options.gapMs / 1000) * SAMPLE_RATE);
  const speech = speechLike();
  let frame = 0;
  const CHUNK = SAMPLE_RATE; // one second per write
  const write = async (frames: number, fill: (stereo: Int16Array, at: number) => void) => {
    for (let done = 0; done < frames; done += CHUNK) {
      const n = Math.min(CHUNK, frames - done);
      const stereo = new Int16Array(n * 2);
      fill(stereo, done);
      peaks.push(stereo);
      await writer.append(new Uint8Array(stereo.buffer));
    }
    frame += frames;
  };
  for (const [i, seg] of segments.entries()) {
    if (i > 0) await write(gapFrames, (stereo) => addNoise(stereo, frame));
    const length = typeof seg.audio === 'number' ? seg.audio : seg.audio.length;
    const channel = seg.speaker === 'candidate' ? 0 : 1;
    const startFrame = frame;
    await write(length, (stereo, at) => {
      addNoise(stereo, startFrame + at);
      const n = stereo.length / 2;
      for (let f = 0; f < n; f++) {
        const s =
          typeof seg.audio === 'number' ? speech(startFrame + at + f, i) : seg.audio[at + f]!;
        stereo[f * 2 + channel] = s;
      }
    });
    turns.push({
      id: `t${i + 1}`,
      speaker: seg.speaker,
      startMs: millis((startFrame / SAMPLE_RATE) * 1000),
      endMs: millis((frame / SAMPLE_RATE) * 1000),
      text: seg.text,
      ...(seg.questionId ? { questionId: seg.questionId } : {}),
    });
  }
  await writer.close();
  const durationMs = (frame / SAMPLE_RATE) * 1000;
  await store.update(created.id, { turns });
  const record = await store.finish(created.id, {
    status: 'complete',
    endReason: 'candidate-ended',
    durationMs,
  });
  const dir = sessionDirectory(store.sessionsDir, created.id);
  if (options.peaks) await writePeaksFile(dir, peaks.snapshot());
  return { id: created.id, dir, record };
}

/** A little room noise on both channels, so silence is not flat. */
function addNoise(stereo: Int16Array, at: number): void {
  for (let i = 0; i < stereo.length; i++)
    stereo[i] = ((((at * 2 + i) * 2654435761) >>> 0) % 61) - 30;
}

const TABLE_SIZE = 8192;
const SINE = Float32Array.from({ length: TABLE_SIZE }, (_, i) =>
  Math.sin((2 * Math.PI * i) / TABLE_SIZE),
);
/** sin(2π·cycles), from a table: an hour of audio is ~350 million of these. */
function sine(cycles: number): number {
  return SINE[((cycles - Math.floor(cycles)) * TABLE_SIZE) | 0]!;
}

/** Voiced-sounding tone with a syllable-rate envelope; deterministic per turn. */
function speechLike(): (frame: number, turn: number) => number {
  return (frame, turn) => {
    const t = frame / SAMPLE_RATE;
    const pitch = 120 + (turn % 5) * 30;
    const syllable = Math.max(0, sine((3.5 + (turn % 3) * 0.5) * t));
    const phrase = 0.55 + 0.45 * sine(0.23 * t + turn / 6.28);
    const voice = sine(pitch * t) + 0.4 * sine(pitch * 2.1 * t);
    return Math.round(9000 * syllable * phrase * voice);
  };
}

/** Speech from espeak-ng at 24 kHz, mono s16. */
export function spoken(text: string, voice = 'en-us'): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'mockloop-voice-'));
  const raw = join(dir, 'raw.wav');
  const out = join(dir, 'out.wav');
  execFileSync('espeak-ng', ['-v', voice, '-s', '165', '-w', raw, text]);
  execFileSync('sox', [raw, '-r', String(SAMPLE_RATE), '-c', '1', '-b', '16', out]);
  return decodeWavPcm16(new Uint8Array(readFileSync(out))).samples;
}

export const SHORT_ANSWERS = [
  'A partition is a directory of segment files, each named by its base offset. Only the active segment takes appends. Each segment has a sparse offset index, so the broker does a binary search in the index and then a short scan of the log.',
  'The index is sparse so it stays small enough to memory map. One entry every few kilobytes is enough, because a short forward scan finds the exact batch.',
  'The in sync replica set is the leader plus followers that have caught up. The high watermark only moves when every member of the set has the record.',
];

/**
 * A short, realistic session: real (synthesised) speech on both channels, five turns
 * around two questions of the pack, with a transcript. No peaks.json, as after a crash
 * or from an older version: the replay computes it on first open.
 */
export async function makeShortSession(
  dataDir: string,
  pack: RoundPack,
  options: { voice?: 'espeak' | 'synthetic' } = {},
): Promise<MadeSession> {
  const [q1, q2] = pack.questions;
  const followUp = q1!.followUps[0]!.prompt;
  // Synthetic sound lasts as long as the words would take at ~15 characters a second.
  const say = (text: string, voice?: string) =>
    options.voice === 'synthetic'
      ? Math.round((text.length / 15) * SAMPLE_RATE)
      : spoken(text, voice);
  const asks = (text: string, questionId: string): Segment => ({
    speaker: 'interviewer',
    audio: say(text, 'en-gb'),
    text,
    questionId,
  });
  const answers = (text: string): Segment => ({ speaker: 'candidate', audio: say(text), text });
  const segments: Segment[] = [
    asks(q1!.prompt, q1!.id),
    answers(SHORT_ANSWERS[0]!),
    asks(followUp, q1!.id),
    answers(SHORT_ANSWERS[1]!),
    asks(q2!.prompt, q2!.id),
    answers(SHORT_ANSWERS[2]!),
  ];
  return writeSession(dataDir, pack, segments, { transcript: true, gapMs: 700, peaks: false });
}

const FILLER_SENTENCES = [
  'I would start from the partition key and what ordering the consumers really need.',
  'The trade-off is latency against durability, and I would measure it before choosing.',
  'In production we saw lag spikes during rebalances, so we moved to cooperative rebalancing.',
  'Compaction keeps the latest value per key, which is what a changelog topic needs.',
  'If a broker dies, the controller elects a new leader from the in sync replicas.',
  'We kept retention at seven days and tiered older segments to object storage.',
];

/**
 * A long session made of generated speech-like sound (fast to write: about 345 MB for
 * an hour), alternating interviewer questions and longer candidate answers, with peaks
 * saved as the recorder would have.
 */
export async function makeLongSession(
  dataDir: string,
  pack: RoundPack,
  minutes: number,
  options: { peaks?: boolean } = {},
): Promise<MadeSession> {
  const segments: Segment[] = [];
  const target = minutes * 60 * SAMPLE_RATE;
  let total = 0;
  let n = 0;
  const gap = Math.round(0.8 * SAMPLE_RATE);
  while (total < target) {
    const interviewer = n % 2 === 0;
    // Each question once, in order; once they run out the talk goes on without a new one.
    const block = Math.floor(n / 4);
    const question = pack.questions[Math.min(block, pack.questions.length - 1)]!;
    const tagged = block < pack.questions.length;
    const seconds = interviewer ? 8 + (n % 5) * 2 : 25 + ((n * 7) % 35);
    const frames = Math.min(seconds * SAMPLE_RATE, Math.max(SAMPLE_RATE, target - total - gap));
    const text = interviewer
      ? n % 4 === 0
        ? question.prompt
        : question.followUps[n % question.followUps.length]!.prompt
      : [0, 1, 2].map((k) => FILLER_SENTENCES[(n + k) % FILLER_SENTENCES.length]).join(' ');
    segments.push({
      speaker: interviewer ? 'interviewer' : 'candidate',
      audio: frames,
      text,
      ...(interviewer && tagged ? { questionId: question.id } : {}),
    });
    total += frames + (n > 0 ? gap : 0);
    n++;
  }
  return writeSession(dataDir, pack, segments, {
    transcript: true,
    gapMs: 800,
    peaks: options.peaks ?? true,
  });
}
