import { describe, expect, it } from 'vitest';
import type { Turn } from '../../../src/core/transcript';
import { millis } from '../../../src/core/units';
import { roundSoFar } from '../../../src/backend/resumeRound';
import { ResumedInterviewer } from '../../../src/engine/resumedInterviewer';
import { ScriptedInterviewer } from '../../../src/providers/embedded/scriptedInterviewer';
import {
  buildInterviewerMessages,
  RESUME_NOTE,
} from '../../../src/providers/openai/interviewerPrompt';
import { textStream } from '../../../src/providers/textStream';
import type { InterviewContext, Interviewer } from '../../../src/providers/types';
import { testPack } from './testPack';

const pack = testPack();
const [q1, q2] = pack.questions;

function turn(
  id: string,
  speaker: Turn['speaker'],
  start: number,
  end: number,
  extra: Partial<Turn> = {},
): Turn {
  return { id, speaker, startMs: millis(start), endMs: millis(end), text: null, ...extra };
}

function context(turns: Turn[] = []): InterviewContext {
  return {
    pack,
    turns,
    phase: 'questions',
    elapsedMs: millis(70_000),
    remainingMs: millis(170_000),
  };
}

async function said(reply: { text: AsyncIterable<string> }): Promise<string> {
  let text = '';
  for await (const part of reply.text) text += part;
  return text;
}

describe('resuming an interrupted round', () => {
  it('the scripted interviewer picks up after the last question answered, without greeting again', async () => {
    const prior = [
      turn('t1', 'interviewer', 0, 8000, { questionId: q1!.id, text: q1!.prompt }),
      turn('t2', 'candidate', 9000, 40_000),
      turn('t3', 'interviewer', 41_000, 45_000, { questionId: q1!.id, text: 'Why?' }),
      turn('t4', 'candidate', 46_000, 60_000),
    ];
    const resumed = new ResumedInterviewer(new ScriptedInterviewer(), prior, 62_000);
    const opening = await said(resumed.open(context()));
    expect(opening).toMatch(/^Sorry, we got cut off/);
    expect(opening).toContain(q2!.prompt);
    expect(opening).not.toContain(pack.opening);
  });

  it('finishes a question that was cut off by the crash', async () => {
    const prior = [
      turn('t1', 'interviewer', 0, 3000, {
        questionId: q1!.id,
        text: 'Hi, I am',
        interrupted: true,
      }),
    ];
    const resumed = new ResumedInterviewer(new ScriptedInterviewer(), prior, 3000);
    const opening = await said(resumed.open(context()));
    expect(opening).toContain(q1!.prompt);
  });

  it('with nothing of the plan asked yet, opens normally', async () => {
    const resumed = new ResumedInterviewer(new ScriptedInterviewer(), [], 1500);
    expect(await said(resumed.open(context()))).toContain(pack.opening);
  });

  it('a model sees the earlier turns first, in order, and is told the round resumes', () => {
    const seen: InterviewContext[] = [];
    const model: Interviewer = {
      info: { kind: 'openai', model: 'm' },
      open: (c) => (seen.push(c), { text: textStream('x') }),
      reply: (c) => (seen.push(c), { text: textStream('x') }),
    };
    const prior = [turn('p1', 'interviewer', 0, 5000, { questionId: q1!.id, text: 'Q' })];
    const resumed = new ResumedInterviewer(model, prior, 20_000);
    resumed.open(context());
    resumed.reply(context([turn('n1', 'candidate', 1000, 4000, { text: 'new answer' })]));
    const last = seen.at(-1)!;
    expect(last.turns.map((t) => t.id)).toEqual(['p1', 'n1']);
    expect(last.turns[0]!.startMs).toBeLessThan(last.turns[1]!.startMs);
    expect(last.resumed).toBe(true);
    const messages = buildInterviewerMessages(last, 'reply');
    expect(messages.some((m) => m.content === RESUME_NOTE)).toBe(true);
  });
});

describe('the round so far, over several parts', () => {
  it('puts every part’s turns on the round’s clock, oldest first', async () => {
    const part = (id: string, at: number | undefined, turns: Turn[]) =>
      ({
        id,
        turns,
        ...(at !== undefined ? { resumeOf: { sessionId: `s${at}`, atMs: at } } : {}),
      }) as never;
    const first = part('s0', undefined, [turn('a', 'candidate', 1000, 5000)]);
    const second = {
      ...(part('s1', 0, [turn('b', 'candidate', 1000, 4000)]) as object),
      resumeOf: { sessionId: 's0', atMs: 10_000 },
    } as never;
    const third = {
      ...(part('s2', 0, [turn('c', 'candidate', 500, 900)]) as object),
      resumeOf: { sessionId: 's1', atMs: 25_000 },
    } as never;
    const byId: Record<string, unknown> = { s0: first, s1: second };
    const turns = await roundSoFar(third, async (id) => byId[id] as never);
    expect(turns.map((t) => [t.id, t.startMs])).toEqual([
      ['a', 1000],
      ['b', 11_000],
      ['c', 25_500],
    ]);
  });
});
