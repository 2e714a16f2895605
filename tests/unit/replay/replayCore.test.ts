import { describe, expect, it } from 'vitest';
import {
  annotationTags,
  clampSpan,
  filterByTag,
  sortAnnotations,
  type Annotation,
} from '../../../src/core/annotations';
import { conceptCoverage, conceptKeywords } from '../../../src/core/conceptCoverage';
import { candidateText, questionBlocks } from '../../../src/core/questionBlocks';
import { clockLabel, renderReviewMarkdown } from '../../../src/core/reviewExport';
import { buildSessionExport } from '../../../src/core/sessionExport';
import type { SessionRecord } from '../../../src/core/session';
import {
  nextTurnStart,
  positionAt,
  previousTurnStart,
  sentenceTimeline,
} from '../../../src/core/sentenceTimeline';
import type { Turn } from '../../../src/core/transcript';
import { millis } from '../../../src/core/units';
import { hashFor, screenFromHash } from '../../../renderer/state/screenRoute';

const turn = (
  id: string,
  speaker: Turn['speaker'],
  startMs: number,
  endMs: number,
  text: string | null,
  questionId?: string,
): Turn => ({
  id,
  speaker,
  startMs: millis(startMs),
  endMs: millis(endMs),
  text,
  ...(questionId ? { questionId } : {}),
});

describe('sentence timeline', () => {
  it('shares a turn out over its sentences by length, end to end', () => {
    const t = turn(
      't1',
      'candidate',
      10_000,
      20_000,
      'Short one. This sentence is a lot longer than it.',
    );
    const sentences = sentenceTimeline(t);
    expect(sentences.map((s) => s.text)).toEqual([
      'Short one.',
      'This sentence is a lot longer than it.',
    ]);
    expect(sentences[0]!.startMs).toBe(10_000);
    expect(sentences[1]!.endMs).toBe(20_000);
    expect(sentences[0]!.endMs).toBe(sentences[1]!.startMs);
    expect(sentences[0]!.endMs - 10_000).toBeLessThan(20_000 - sentences[1]!.startMs);
    expect(sentenceTimeline(turn('t2', 'candidate', 0, 5, null))).toEqual([]);
  });

  it('finds the turn and sentence at a time, and nothing in a pause', () => {
    const turns = [
      turn('t1', 'interviewer', 0, 4000, 'One. Two.'),
      turn('t2', 'candidate', 5000, 9000, 'Three.'),
    ];
    const timelines = turns.map(sentenceTimeline);
    expect(positionAt(turns, timelines, 500)).toEqual({ turnId: 't1', sentenceIndex: 0 });
    expect(positionAt(turns, timelines, 3900)).toEqual({ turnId: 't1', sentenceIndex: 1 });
    expect(positionAt(turns, timelines, 4500)).toEqual({ turnId: null, sentenceIndex: null });
    expect(positionAt(turns, timelines, 6000)).toEqual({ turnId: 't2', sentenceIndex: 0 });
  });

  it('steps to the next and previous turn like a player', () => {
    const turns = [0, 10_000, 20_000].map((s, i) => turn(`t${i}`, 'candidate', s, s + 5000, 'x'));
    expect(nextTurnStart(turns, 0)).toBe(10_000);
    expect(nextTurnStart(turns, 10_000)).toBe(20_000);
    expect(nextTurnStart(turns, 25_000)).toBeNull();
    expect(previousTurnStart(turns, 15_000)).toBe(10_000);
    expect(previousTurnStart(turns, 10_500)).toBe(0);
    expect(previousTurnStart(turns, 500)).toBe(0);
  });
});

describe('question blocks', () => {
  const turns = [
    turn('t1', 'interviewer', 0, 5000, 'Q1?', 'q1'),
    turn('t2', 'candidate', 6000, 20_000, 'Answer one.'),
    turn('t3', 'interviewer', 21_000, 23_000, 'Why?', 'q1'),
    turn('t4', 'candidate', 24_000, 30_000, 'Because.'),
    turn('t5', 'interviewer', 31_000, 35_000, 'Q2?', 'q2'),
    turn('t6', 'candidate', 36_000, 40_000, null),
    turn('t7', 'interviewer', 41_000, 43_000, 'Any questions for me?'),
    turn('t8', 'candidate', 44_000, 46_000, null),
  ];

  it('groups each question with its answers and follow-ups', () => {
    const blocks = questionBlocks(turns, { untaggedEndsBlock: true });
    expect(blocks.map((b) => [b.questionId, b.startMs, b.endMs, b.turns.map((t) => t.id)])).toEqual(
      [
        ['q1', 0, 30_000, ['t1', 't2', 't3', 't4']],
        ['q2', 31_000, 40_000, ['t5', 't6']],
      ],
    );
  });

  it('keeps untagged follow-ups of a model interviewer in the block', () => {
    const blocks = questionBlocks(turns, { untaggedEndsBlock: false });
    expect(blocks[1]!.turns.map((t) => t.id)).toEqual(['t5', 't6', 't7', 't8']);
  });

  it('extends a block when its question is asked again later', () => {
    const again = [
      ...turns.slice(0, 6),
      turn('t9', 'interviewer', 50_000, 52_000, 'Q1 again', 'q1'),
    ];
    const blocks = questionBlocks(again, { untaggedEndsBlock: true });
    expect(blocks.map((b) => b.questionId)).toEqual(['q1', 'q2']);
    expect(blocks[0]!.endMs).toBe(52_000);
  });

  it('joins the candidate text, or says there is none', () => {
    expect(candidateText(turns.slice(0, 4))).toBe('Answer one. Because.');
    expect(candidateText(turns.slice(4, 6))).toBeNull();
    expect(candidateText([turns[0]!])).toBeNull();
  });
});

describe('concept coverage', () => {
  it('keeps content words and acronyms, drops filler', () => {
    expect(conceptKeywords('the ISR shrinks and grows dynamically')).toEqual([
      'isr',
      'shrinks',
      'grows',
      'dynamically',
    ]);
  });

  it('counts a concept when two of its keywords are said, and shows which', () => {
    const coverage = conceptCoverage(
      [
        'each segment has a sparse offset index mapping offsets to byte positions',
        'reads go to the socket with zero-copy sendfile',
        'compaction',
      ],
      'Every partition has segments, and each one has a sparse index of offsets. Compacted topics too.',
    );
    expect(coverage[0]).toMatchObject({ covered: true });
    expect(coverage[0]!.matched).toEqual(
      expect.arrayContaining(['segment', 'sparse', 'offset', 'index']),
    );
    expect(coverage[1]).toEqual({
      concept: coverage[1]!.concept,
      label: coverage[1]!.concept,
      covered: false,
      matched: [],
    });
    expect(coverage[2]).toMatchObject({ covered: true, matched: ['compaction'] });
  });
});

describe('annotations helpers', () => {
  const note = (id: string, startMs: number, tag: string): Annotation => ({
    id,
    startMs,
    endMs: startMs + 1000,
    tag,
    note: '',
    createdAt: `2026-01-01T00:00:0${id.length}Z`,
    updatedAt: '2026-01-01T00:00:00Z',
    revision: 1,
  });
  const list = [
    note('a', 5000, 'rambling'),
    note('b', 1000, 'strong example'),
    note('c', 3000, 'rambling'),
  ];

  it('sorts by time, counts and filters tags', () => {
    expect(sortAnnotations(list).map((a) => a.id)).toEqual(['b', 'c', 'a']);
    expect(annotationTags(list)).toEqual([
      { tag: 'rambling', count: 2 },
      { tag: 'strong example', count: 1 },
    ]);
    expect(filterByTag(list, 'rambling').map((a) => a.id)).toEqual(['a', 'c']);
    expect(filterByTag(list, null)).toHaveLength(3);
  });

  it('orders a span and keeps it inside the recording', () => {
    expect(clampSpan(9000, 2000, 60_000)).toEqual({ startMs: 2000, endMs: 9000 });
    expect(clampSpan(59_000, 70_000, 60_000)).toEqual({ startMs: 59_000, endMs: 60_000 });
    expect(clampSpan(-5, 10, 0)).toEqual({ startMs: 0, endMs: 10 });
  });
});

describe('review export', () => {
  it('lists notes with their tags, the transcript and attempts as Markdown', () => {
    const session = {
      id: 's1',
      createdAt: '2026-11-22T18:49:50Z',
      status: 'complete',
      round: {
        title: 'Kafka internals',
        loopTitle: 'Engineering',
        packId: 'p',
        company: 'C',
        budgetMs: 1,
      },
      persona: { name: 'Ingrid', role: 'Principal' },
      transcriptAvailable: true,
      turns: [
        turn('t1', 'interviewer', 0, 4000, 'How?', 'q1'),
        turn('t2', 'candidate', 5000, 65_000, 'Like this.'),
      ],
    } as unknown as SessionRecord;
    const markdown = renderReviewMarkdown(
      buildSessionExport({
        session: { ...session, notes: [], durationMs: 65_000 },
        questions: [],
        annotations: [
          {
            id: 'n1',
            startMs: 61_000,
            endMs: 64_000,
            tag: 'rambling',
            note: 'Lost the thread.',
            quote: 'Like this.',
            createdAt: 'x',
            updatedAt: 'x',
            revision: 1,
          },
        ],
        attempts: [
          {
            attempt: 1,
            questionId: 'q1',
            questionTopic: 'Storage',
            session: {
              ...session,
              notes: [],
              createdAt: 'y',
              durationMs: 30_000,
              turns: [turn('a1', 'candidate', 0, 30_000, null)],
            },
            coverage: [{ concept: 'segments', covered: true, matched: ['segments'] }],
          },
        ],
        scorecards: [],
        problems: [],
        exportedAt: 'z',
        appVersion: 'test',
      }),
    );
    expect(markdown).toContain('# Kafka internals — review');
    expect(markdown).toContain('## Notes (1)');
    expect(markdown).toContain('- **1:01–1:04** `rambling` — Lost the thread.');
    expect(markdown).toContain('> Like this.');
    expect(markdown).toContain('- **0:05 You:** Like this.');
    expect(markdown).toContain('### Attempt 1: Storage');
    expect(markdown).toContain('- [x] segments');
    expect(clockLabel(3_723_000)).toBe('1:02:03');
  });
});

describe('replay URLs', () => {
  it('link to a session and a comparison, and never start a live attempt', () => {
    expect(screenFromHash('#/sessions/2026-11-22T18-49-50Z-ab12cd')).toEqual({
      name: 'session',
      sessionId: '2026-11-22T18-49-50Z-ab12cd',
    });
    expect(screenFromHash('#/sessions/abc/attempts/2')).toEqual({
      name: 'compare',
      sessionId: 'abc',
      attempt: 2,
    });
    expect(screenFromHash('#/sessions/../x')).toEqual({ name: 'home' });
    expect(screenFromHash('')).toEqual({ name: 'home' });
    expect(hashFor({ name: 'answer-again', sessionId: 'abc', questionId: 'q' })).toBe(
      '#/sessions/abc',
    );
    expect(hashFor({ name: 'compare', sessionId: 'abc', attempt: 3 })).toBe(
      '#/sessions/abc/attempts/3',
    );
  });
});
