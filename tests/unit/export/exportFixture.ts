import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWavPcm16 } from '../../../src/core/wav';

/**
 * A session folder written by hand from docs/session-format.md — not by the app's own
 * stores — so the exports are tested against the documented format: session.json with
 * turns and the interviewer's hidden notes, a stereo WAV, peaks, a replay note, an
 * answer-again attempt and scorecards of every kind (two model versions).
 */
export const SESSION_ID = '2026-11-22T18-49-50Z-ab12cd';

/** Text that must come out escaped, never as markup. */
export const HOSTILE = '<script>alert("x")</script> & *not bold* | `tick`';

export const CRITERIA = [
  { id: 'depth', name: 'Technical depth', score: 3, status: 'scored', atMs: 41_500 },
  { id: 'tradeoffs', name: 'Trade-off reasoning', score: null, status: 'not-enough-evidence' },
  { id: 'communication', name: 'Communication', score: null, status: 'withdrawn', claimed: 4 },
  { id: 'ops', name: 'Operational judgement', score: 2, status: 'scored', atMs: 95_200 },
] as const;

function deterministicNoise(frames: number, seed: number): Int16Array {
  const samples = new Int16Array(frames * 2);
  let x = seed;
  for (let i = 0; i < samples.length; i++) {
    x = (x * 1_103_515_245 + 12_345) >>> 0;
    samples[i] = ((x >>> 16) & 0xffff) - 32_768;
  }
  return samples;
}

function sessionJson(id: string, extra: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    id,
    createdAt: '2026-11-22T18:49:50.000Z',
    endedAt: '2026-11-22T18:51:55.000Z',
    status: 'complete',
    endReason: 'candidate-ended',
    round: {
      packId: 'eng-kafka-internals',
      title: 'Kafka internals',
      loopTitle: 'Confluent engineering loop',
      company: 'Confluent',
      budgetMs: 2_700_000,
    },
    persona: { name: 'Ingrid', role: 'Principal engineer' },
    providers: {
      stt: { kind: 'openai', model: 'gpt-4o-transcribe' },
      interviewer: { kind: 'openai', model: 'gpt-4.1' },
      tts: { kind: 'openai', model: 'gpt-4o-mini-tts' },
    },
    transcriptAvailable: true,
    audio: {
      file: 'audio.wav',
      sampleRate: 24_000,
      channels: 2,
      channelLayout: ['candidate', 'interviewer'],
    },
    durationMs: 125_000,
    turns: [
      {
        id: 't1',
        speaker: 'interviewer',
        startMs: 0,
        endMs: 6_000,
        text: 'How does a follower catch up with the leader?',
        questionId: 'replication',
      },
      {
        id: 't2',
        speaker: 'candidate',
        startMs: 7_000,
        endMs: 60_000,
        text: 'The follower fetches from the leader and the high watermark advances once the ISR has the record.',
      },
      {
        id: 't3',
        speaker: 'interviewer',
        startMs: 61_000,
        endMs: 64_000,
        text: 'And when a broker dies?',
        interrupted: true,
        questionId: 'replication',
      },
      { id: 't4', speaker: 'candidate', startMs: 64_500, endMs: 120_000, text: HOSTILE },
    ],
    notes: [
      {
        atMs: 7_000,
        questionId: 'replication',
        kind: 'strong',
        text: 'Covered: the high watermark.',
      },
      {
        atMs: 64_500,
        questionId: 'replication',
        kind: 'missing',
        text: 'Not yet covered: unclean leader election.',
      },
      {
        atMs: 70_000,
        questionId: 'replication',
        kind: 'answer',
        text: 'Covered: HW as ISR minimum. Missing: unclean election.',
        points: [
          {
            label: 'HW as ISR minimum',
            concept: 'the high watermark is the minimum log end offset across the ISR',
            covered: true,
            atMs: 72_500,
            phrase: 'the minimum offset all in-sync replicas have',
          },
          {
            label: 'unclean election',
            concept: 'unclean leader election trades durability for availability',
            covered: false,
          },
        ],
        storyMissing: ['result'],
      },
    ],
    ...extra,
  };
}

function evidence(
  quote: string,
  atMs: number,
  turn: { id: string; startMs: number; endMs: number },
) {
  return { quote, turnId: turn.id, atMs, turnStartMs: turn.startMs, turnEndMs: turn.endMs };
}

function modelCard(version: number, model: string, signal: string) {
  return {
    schemaVersion: 1,
    version,
    sessionId: SESSION_ID,
    packId: 'eng-kafka-internals',
    createdAt: `2026-11-2${version}T20:00:00.000Z`,
    kind: 'model',
    model,
    criteria: CRITERIA.map((c) => ({
      criterionId: c.id,
      name: c.name,
      score: c.score,
      status: c.status,
      ...('claimed' in c ? { claimedScore: c.claimed } : {}),
      rationale: `Rationale for ${c.name}.`,
      evidence:
        'atMs' in c
          ? [
              evidence(
                c.id === 'depth' ? 'the high watermark advances' : 'not bold',
                c.atMs,
                c.id === 'depth'
                  ? { id: 't2', startMs: 7_000, endMs: 60_000 }
                  : { id: 't4', startMs: 64_500, endMs: 120_000 },
              ),
            ]
          : [],
      droppedQuotes:
        c.status === 'withdrawn' ? [{ quote: 'I am great', reason: 'not in the transcript' }] : [],
    })),
    overall: { signal, reasons: ['Explained replication clearly.', 'Missed failure handling.'] },
    questions: [
      {
        questionId: 'replication',
        topic: 'Replication',
        strong: ['Named the high watermark.'],
        missingConcepts: ['unclean leader election'],
        outline: ['ISR membership', 'leader election', 'acks=all'],
      },
    ],
    tips: ['Walk through a broker failure step by step.'],
    repaired: false,
  };
}

const offlineCard = {
  schemaVersion: 1,
  version: 2,
  sessionId: SESSION_ID,
  packId: 'eng-kafka-internals',
  createdAt: '2026-11-22T19:00:00.000Z',
  kind: 'offline',
  delivery: {
    durationMs: 125_000,
    candidateTalkMs: 108_500,
    interviewerTalkMs: 9_000,
    talkRatio: 0.92,
    wordsPerMinute: 142,
    fillerWords: { total: 3, perMinute: 1.7, byWord: { um: 2, like: 1 } },
    pauses: { longestMs: 4_200, medianResponseMs: 800, longResponses: 0 },
    answers: { count: 2, medianMs: 54_000, longestMs: 55_500, medianWords: 60 },
    interruptions: 1,
  },
  coverage: {
    questions: [
      {
        questionId: 'replication',
        topic: 'Replication',
        covered: ['high watermark'],
        missing: ['unclean leader election'],
      },
    ],
    criteria: [
      { criterionId: 'depth', name: 'Technical depth', covered: ['ISR'], missing: ['fsync'] },
    ],
  },
};

const selfCard = {
  schemaVersion: 1,
  version: 3,
  sessionId: SESSION_ID,
  packId: 'eng-kafka-internals',
  createdAt: '2026-11-22T19:30:00.000Z',
  kind: 'self',
  criteria: [
    { criterionId: 'depth', name: 'Technical depth', score: 2, note: 'Felt shaky on ISR.' },
    { criterionId: 'tradeoffs', name: 'Trade-off reasoning', score: null, note: '' },
  ],
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Writes the session into `<dataDir>/sessions/<SESSION_ID>` and returns its folder. */
export async function writeDocumentedSession(
  dataDir: string,
  options: { id?: string } = {},
): Promise<string> {
  const id = options.id ?? SESSION_ID;
  const dir = join(dataDir, 'sessions', id);
  await mkdir(join(dir, 'scorecards'), { recursive: true });
  await mkdir(join(dir, 'attempts', '1'), { recursive: true });
  await writeFile(join(dir, 'session.json'), json(sessionJson(id)));
  await writeFile(join(dir, 'audio.wav'), encodeWavPcm16(deterministicNoise(24_000, 7), 24_000, 2));
  await writeFile(
    join(dir, 'peaks.json'),
    json({
      version: 1,
      sampleRate: 24_000,
      samplesPerPeak: 240,
      channels: 2,
      frames: 24_000,
      length: 1,
      encoding: 's16le-minmax-base64',
      data: ['AIAAfw==', 'AIAAfw=='],
    }),
  );
  await writeFile(
    join(dir, 'annotations.json'),
    json({
      version: 1,
      annotations: [
        {
          id: 'n3f2a9c01b7de',
          startMs: 61_000,
          endMs: 64_500,
          tag: 'rambling',
          note: 'Three restarts before the point.',
          quote: 'so basically what we did was',
          turnId: 't4',
          createdAt: '2026-11-22T19:10:00.000Z',
          updatedAt: '2026-11-22T19:12:31.000Z',
          revision: 2,
        },
      ],
    }),
  );
  if (id === SESSION_ID) {
    await writeFile(
      join(dir, 'scorecards', '1.json'),
      json(modelCard(1, 'gpt-4.1-mini', 'no hire')),
    );
    await writeFile(join(dir, 'scorecards', '2.json'), json(offlineCard));
    await writeFile(join(dir, 'scorecards', '3.json'), json(selfCard));
    await writeFile(join(dir, 'scorecards', '4.json'), json(modelCard(4, 'gpt-4.1', 'lean hire')));
  }
  await writeFile(
    join(dir, 'attempts', '1', 'session.json'),
    json({
      ...sessionJson('1', { attemptOf: { sessionId: id, questionId: 'replication' } }),
      durationMs: 30_000,
      turns: [
        {
          id: 't1',
          speaker: 'interviewer',
          startMs: 0,
          endMs: 4_000,
          text: 'How does a follower catch up?',
          questionId: 'replication',
        },
        {
          id: 't2',
          speaker: 'candidate',
          startMs: 5_000,
          endMs: 29_000,
          text: 'It fetches; unclean leader election trades durability for availability.',
        },
      ],
      notes: [],
    }),
  );
  await writeFile(
    join(dir, 'attempts', '1', 'audio.wav'),
    encodeWavPcm16(deterministicNoise(4_800, 11), 24_000, 2),
  );
  return dir;
}
