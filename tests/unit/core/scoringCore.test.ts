import { describe, expect, it } from 'vitest';
import { deliveryMetrics } from '../../../src/core/deliveryMetrics';
import { recognizeQuestion } from '../../../src/core/conceptCoverage';
import { checkQuote, verifyQuotes } from '../../../src/core/evidence';
import { scorerOutputSchema } from '../../../src/core/modelScoring';
import { structuredOutputSchema } from '../../../src/providers/openai/structuredOutput';
import { computeProgress, type ScoredSession } from '../../../src/core/progress';
import type { RoundPack } from '../../../src/core/roundPack';
import type { Scorecard } from '../../../src/core/scorecard';
import type { Turn } from '../../../src/core/transcript';
import { millis } from '../../../src/core/units';
import { samplePack } from '../providers/samplePack';

function turn(
  id: string,
  speaker: Turn['speaker'],
  startMs: number,
  endMs: number,
  text: string | null,
  extra: Partial<Turn> = {},
): Turn {
  return { id, speaker, startMs: millis(startMs), endMs: millis(endMs), text, ...extra };
}

describe('delivery metrics on a transcript with known counts', () => {
  // 60 s of candidate talk, 30 s of interviewer talk; 3 fillers ("um" twice, "you know").
  const turns = [
    turn('i1', 'interviewer', 0, 10_000, 'Tell me about partitions.'),
    turn(
      'c1',
      'candidate',
      12_000,
      42_000,
      'Um so partitions um split a topic you know across brokers',
    ),
    turn('i2', 'interviewer', 43_000, 53_000, 'And ordering?', { interrupted: true }),
    turn('c2', 'candidate', 60_000, 90_000, 'Ordering holds within one partition only'),
    turn('i3', 'interviewer', 91_000, 101_000, 'Thanks.'),
  ];
  const m = deliveryMetrics(turns, 101_000);

  it('counts talk, ratio and pace', () => {
    expect(m.candidateTalkMs).toBe(60_000);
    expect(m.interviewerTalkMs).toBe(30_000);
    expect(m.talkRatio).toBe(0.67);
    // 11 + 6 = 17 words in one minute of talk.
    expect(m.wordsPerMinute).toBe(17);
  });

  it('counts filler words per minute', () => {
    expect(m.fillerWords).toEqual({ total: 3, perMinute: 3, byWord: { um: 2, 'you know': 1 } });
  });

  it('measures pauses, answers and interruptions', () => {
    // Responses start 2 s and 7 s after the question: median 4.5 s, one slow start.
    expect(m.pauses).toEqual({ longestMs: 7000, medianResponseMs: 4500, longResponses: 1 });
    expect(m.answers).toEqual({ count: 2, medianMs: 30_000, longestMs: 30_000, medianWords: 8.5 });
    expect(m.interruptions).toBe(1);
  });

  it('without a transcript, word figures are null rather than zero', () => {
    const silent = deliveryMetrics(
      turns.map((t) => (t.speaker === 'candidate' ? { ...t, text: null } : t)),
      101_000,
    );
    expect(silent.wordsPerMinute).toBeNull();
    expect(silent.fillerWords).toBeNull();
    expect(silent.answers.medianWords).toBeNull();
    expect(silent.answers.count).toBe(2);
  });
});

describe('quote verification', () => {
  const turns = [
    turn('i1', 'interviewer', 0, 1000, 'The leader appends first, then followers fetch.'),
    turn(
      'c1',
      'candidate',
      2000,
      12_000,
      'Well — the leader appends first, then “followers” fetch.',
    ),
  ];

  it('finds a quote regardless of case, punctuation and curly quotes, and places it in the turn', () => {
    const check = checkQuote('The leader appends first, then "followers" fetch', turns);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.evidence).toMatchObject({ turnId: 'c1', atMs: 3250 });
  });

  it('never credits the interviewer’s words, paraphrases or tiny quotes', () => {
    expect(checkQuote('followers fetch from the leader', turns)).toMatchObject({ ok: false });
    expect(checkQuote('the leader', turns)).toMatchObject({ ok: false, reason: /shorter/ });
    const only = [turns[0]!];
    expect(checkQuote('the leader appends first', only)).toMatchObject({ ok: false });
  });

  it('drops duplicates', () => {
    const { evidence } = verifyQuotes(
      ['the leader appends first', 'The leader appends first!'],
      turns,
    );
    expect(evidence).toHaveLength(1);
  });
});

describe('progress', () => {
  const pack = {
    id: 'p1',
    title: 'System design',
    loop: { id: 'l', title: 'Loop' },
    rubric: [
      { id: 'depth', name: 'Depth' },
      { id: 'clarity', name: 'Clarity' },
    ],
  } as unknown as RoundPack;
  const other = { id: 'p2', title: 'Behavioral', loop: { id: 'l', title: 'Loop' }, rubric: [] };

  function session(id: string, createdAt: string, cards: Scorecard[]): ScoredSession {
    return {
      sessionId: id,
      createdAt,
      packId: 'p1',
      title: 'System design',
      loopTitle: 'Loop',
      scorecards: cards,
    };
  }
  const common = { schemaVersion: 1 as const, packId: 'p1', createdAt: '2026-01-01T00:00:00Z' };
  const model = (
    sessionId: string,
    version: number,
    depth: number | null,
    clarity: number | null,
  ): Scorecard => ({
    ...common,
    sessionId,
    version,
    kind: 'model',
    model: 'm',
    overall: { signal: 'hire', reasons: [] },
    questions: [],
    tips: [],
    repaired: false,
    criteria: [
      {
        criterionId: 'depth',
        name: 'Depth',
        score: depth,
        status: depth === null ? 'not-enough-evidence' : 'scored',
        rationale: '',
        evidence: [],
        droppedQuotes: [],
      },
      {
        criterionId: 'clarity',
        name: 'Clarity',
        score: clarity,
        status: 'scored',
        rationale: '',
        evidence: [],
        droppedQuotes: [],
      },
    ],
  });
  const self = (sessionId: string, version: number, depth: number): Scorecard => ({
    ...common,
    sessionId,
    version,
    kind: 'self',
    criteria: [{ criterionId: 'depth', name: 'Depth', score: depth, note: '' }],
  });

  it('plots each criterion session by session, newest model score first, self where the model had none', () => {
    const view = computeProgress(
      [
        session('s2', '2026-02-01', [model('s2', 1, null, 3), self('s2', 2, 2)]),
        session('s1', '2026-01-01', [model('s1', 1, 1, 2), model('s1', 2, 2, 3)]),
      ],
      [pack, other as unknown as RoundPack],
    );
    const depth = view.rounds[0]!.criteria.find((c) => c.criterionId === 'depth')!;
    expect(depth.points.map((p) => [p.sessionId, p.score, p.source])).toEqual([
      ['s1', 2, 'model'],
      ['s2', 2, 'self'],
    ]);
    expect(view.weakest[0]).toMatchObject({ criterionId: 'depth', average: 2 });
    expect(view.suggestion).toMatchObject({ packId: 'p1', reason: expect.stringMatching(/Depth/) });
  });

  it('with nothing weak, suggests a round not yet practised', () => {
    const view = computeProgress(
      [session('s1', '2026-01-01', [model('s1', 1, 4, 4)])],
      [pack, other as unknown as RoundPack],
    );
    expect(view.suggestion).toMatchObject({ packId: 'p2' });
  });
});

describe('recognising which bank question a model asked', () => {
  const questions = [
    {
      id: 'segments',
      prompt: 'How does a broker find the bytes for an offset on disk, using segments and indexes?',
    },
    { id: 'isr', prompt: 'Explain the in-sync replica set and when the high watermark advances.' },
  ];

  it('matches a question worded differently', () => {
    expect(
      recognizeQuestion(
        questions,
        'Tell me how the high watermark advances, and what the in-sync replica set is.',
      ),
    ).toBe('isr');
    expect(
      recognizeQuestion(questions, 'So, walk me through how a broker locates an offset on disk.'),
    ).toBe('segments');
  });

  it('leaves follow-ups and small talk untagged', () => {
    expect(recognizeQuestion(questions, 'Why?')).toBeUndefined();
    expect(
      recognizeQuestion(questions, 'Thanks, that was helpful. Anything else?'),
    ).toBeUndefined();
  });
});

describe('the scorer’s output schema', () => {
  it('fits strict structured outputs: every property required, no extra keys, no $schema', () => {
    const schema = structuredOutputSchema(scorerOutputSchema(samplePack));
    expect(schema).not.toHaveProperty('$schema');
    const objects: Record<string, unknown>[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (o['type'] === 'object') objects.push(o);
        Object.values(o).forEach(walk);
      }
    };
    walk(schema);
    expect(objects.length).toBeGreaterThan(3);
    for (const o of objects) {
      expect(o['additionalProperties']).toBe(false);
      expect([...((o['required'] as string[]) ?? [])].sort()).toEqual(
        Object.keys(o['properties'] as object).sort(),
      );
    }
  });
});

describe('the scorer cannot name what the round does not have', () => {
  const schema = scorerOutputSchema(samplePack);
  const valid = {
    criteria: samplePack.rubric.map((c) => ({
      criterionId: c.id,
      score: null,
      rationale: '',
      quotes: [],
    })),
    overall: { signal: 'no hire', reasons: [] },
    questions: [
      {
        questionId: 'url-shortener',
        strong: [],
        missingConcepts: ['read-heavy caching'],
        storyMissing: [],
        outline: [],
      },
    ],
    tips: [],
  };

  it('accepts the round’s own criterion, question and concept ids', () => {
    expect(schema.safeParse(valid).success).toBe(true);
  });

  it('rejects an id or label written slightly differently, in the schema sent to the model', () => {
    const wrongCriterion = structuredClone(valid);
    wrongCriterion.criteria[0]!.criterionId = 'Design ';
    expect(schema.safeParse(wrongCriterion).success).toBe(false);
    const wrongQuestion = structuredClone(valid);
    wrongQuestion.questions[0]!.questionId = 'url_shortener';
    expect(schema.safeParse(wrongQuestion).success).toBe(false);
    const wrongLabel = structuredClone(valid);
    wrongLabel.questions[0]!.missingConcepts = ['caching'];
    expect(schema.safeParse(wrongLabel).success).toBe(false);
    const wrongPart = structuredClone(valid);
    wrongPart.questions[0]!.storyMissing = ['outcome' as never];
    expect(schema.safeParse(wrongPart).success).toBe(false);

    const json = JSON.stringify(structuredOutputSchema(schema));
    const ids = samplePack.rubric.map((c) => c.id);
    expect(json).toContain(JSON.stringify({ type: 'string', enum: ids }));
    expect(json).toContain(
      JSON.stringify({ type: 'string', enum: ['url-shortener', 'analytics'] }),
    );
  });
});
