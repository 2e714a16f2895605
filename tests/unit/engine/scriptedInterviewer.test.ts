import { describe, expect, it } from 'vitest';
import type { RoundPack } from '../../../src/core/roundPack';
import type { Turn } from '../../../src/core/transcript';
import { millis } from '../../../src/core/units';
import {
  conceptProbe,
  pickFollowUp,
  ScriptedInterviewer,
} from '../../../src/providers/embedded/scriptedInterviewer';
import type { InterviewerReply, RoundPhase } from '../../../src/providers/types';
import {
  contextWith,
  samplePack,
  STORY_WITHOUT_RESULT,
  storyPack,
  turn,
} from '../providers/samplePack';
import { testPack } from './testPack';

const pack = testPack();
const [q1, q2] = pack.questions as [RoundPack['questions'][0], RoundPack['questions'][0]];

async function said(reply: InterviewerReply): Promise<string> {
  let text = '';
  for await (const delta of reply.text) text += delta;
  return text;
}

/** A conversation that grows as the test goes; each answer lasts `ms`. */
function conversation() {
  const turns: Turn[] = [];
  let t = 0;
  const add = (speaker: Turn['speaker'], ms: number) => {
    turns.push({
      id: `t${turns.length + 1}`,
      speaker,
      startMs: millis(t),
      endMs: millis(t + ms),
      text: null,
    });
    t += ms + 500;
  };
  return {
    context(phase: RoundPhase = 'questions') {
      return {
        pack,
        turns: [...turns],
        phase,
        elapsedMs: millis(t),
        remainingMs: millis(Math.max(0, 240_000 - t)),
      };
    },
    interviewer: (ms = 3000) => add('interviewer', ms),
    candidate: (ms: number) => add('candidate', ms),
  };
}

describe('ScriptedInterviewer', () => {
  it('opens with the pack opening and the first question', async () => {
    const interviewer = new ScriptedInterviewer();
    const reply = interviewer.open(conversation().context());
    expect(await said(reply)).toBe(`${pack.opening} ${q1.prompt}`);
    expect(reply.questionId).toBe(q1.id);
    expect(reply.phaseAfter).toBeUndefined();
  });

  it('probes a short answer for depth and a long one under stress, then moves on', async () => {
    const interviewer = new ScriptedInterviewer();
    const c = conversation();
    interviewer.open(c.context());
    c.interviewer();

    c.candidate(8_000); // short: depth probe (clarify comes first)
    const depth = interviewer.reply(c.context());
    expect(await said(depth)).toBe('What exactly do you mean by flushed?');
    expect(depth.questionId).toBe(q1.id);
    c.interviewer();

    c.candidate(45_000); // one probe per question: the next question follows
    const next = interviewer.reply(c.context());
    const nextText = await said(next);
    expect(nextText.endsWith(q2.prompt)).toBe(true);
    expect(nextText).not.toBe(q2.prompt); // a transition comes first
    expect(next.questionId).toBe(q2.id);
    c.interviewer();

    c.candidate(45_000); // long: stress probe; q2 has scale but no failure
    const stress = interviewer.reply(c.context());
    expect(await said(stress)).toBe('How does that behave with a thousand consumers?');
    expect(stress.questionId).toBe(q2.id);
  });

  it('asks for a failure probe first on a long answer when the question has one', async () => {
    const interviewer = new ScriptedInterviewer();
    const c = conversation();
    interviewer.open(c.context());
    c.interviewer();
    c.candidate(60_000);
    expect(await said(interviewer.reply(c.context()))).toBe(
      'What if the broker crashes mid-write?',
    );
  });

  it('moves to the next question when there is no answer to probe', async () => {
    const interviewer = new ScriptedInterviewer();
    const c = conversation();
    interviewer.open(c.context());
    c.interviewer();
    // "I'm done" without speaking: the last turn is the interviewer's.
    const reply = interviewer.reply(c.context());
    expect((await said(reply)).endsWith(q2.prompt)).toBe(true);
    expect(reply.questionId).toBe(q2.id);
  });

  it('after the last question invites questions, then says farewell', async () => {
    const interviewer = new ScriptedInterviewer();
    const c = conversation();
    interviewer.open(c.context());
    const replies: InterviewerReply[] = [];
    for (const ms of [5000, 5000, 5000, 5000]) {
      c.interviewer();
      c.candidate(ms);
      replies.push(interviewer.reply(c.context()));
    }
    // probe q1, q2, probe q2, invite
    expect(replies.map((r) => r.questionId)).toEqual([q1.id, q2.id, q2.id, undefined]);
    const invite = replies[3] as InterviewerReply;
    expect(await said(invite)).toBe(pack.closing.invite);
    expect(invite.phaseAfter).toBe('closing');

    c.interviewer();
    c.candidate(5000);
    const farewell = interviewer.reply(c.context('closing'));
    const text = await said(farewell);
    expect(text.endsWith(pack.closing.farewell)).toBe(true);
    expect(farewell.phaseAfter).toBe('farewell');
  });

  it('invites questions when the clock reaches closing before the plan is done', async () => {
    const interviewer = new ScriptedInterviewer();
    const c = conversation();
    interviewer.open(c.context());
    c.interviewer();
    c.candidate(5000);
    const reply = interviewer.reply(c.context('closing'));
    expect(await said(reply)).toBe(pack.closing.invite);
    expect(reply.phaseAfter).toBe('closing');
  });

  it("in the farewell phase says exactly the pack's farewell", async () => {
    const interviewer = new ScriptedInterviewer();
    const c = conversation();
    interviewer.open(c.context());
    c.interviewer();
    c.candidate(5000);
    const reply = interviewer.reply(c.context('farewell'));
    expect(await said(reply)).toBe(pack.closing.farewell);
    expect(reply.phaseAfter).toBe('farewell');
    expect(reply.questionId).toBeUndefined();
  });
});

describe('pickFollowUp', () => {
  it('chooses by answer length, at the 20 s boundary', () => {
    expect(pickFollowUp(q1, 19_999)?.kind).toBe('clarify');
    expect(pickFollowUp(q1, 20_000)?.kind).toBe('failure');
  });

  it('falls back to the first follow-up when no preferred kind exists', () => {
    const only = { ...q1, followUps: [{ kind: 'scale' as const, prompt: 'Bigger?' }] };
    expect(pickFollowUp(only, 1000)?.prompt).toBe('Bigger?');
  });
});

describe('ScriptedInterviewer when cut off mid-question', () => {
  it('finishes asking the question before following up on it', async () => {
    const pack = testPack();
    const first = pack.questions[0]!;
    const interviewer = new ScriptedInterviewer();
    const ctx = (turns: Turn[]) => ({
      pack,
      turns,
      phase: 'questions' as const,
      elapsedMs: millis(60_000),
      remainingMs: millis(120_000),
    });
    interviewer.open(ctx([]));
    const cut: Turn = {
      id: 't1',
      speaker: 'interviewer',
      startMs: millis(0),
      endMs: millis(900),
      text: 'Hi there…',
      interrupted: true,
      questionId: first.id,
    };
    const answer: Turn = {
      id: 't2',
      speaker: 'candidate',
      startMs: millis(900),
      endMs: millis(4000),
      text: null,
    };
    const again = interviewer.reply(ctx([cut, answer]));
    let text = '';
    for await (const d of again.text) text += d;
    expect(text).toBe(`Let me finish the question. ${first.prompt}`);
    expect(again.questionId).toBe(first.id);

    // Once heard in full, the next reply is a follow-up on it.
    const heard: Turn = {
      ...cut,
      id: 't3',
      text: `Let me finish the question. ${first.prompt}`,
      interrupted: false,
    };
    const next = interviewer.reply(ctx([cut, answer, heard, { ...answer, id: 't4' }]));
    let followUp = '';
    for await (const d of next.text) followUp += d;
    expect(first.followUps.map((f) => f.prompt)).toContain(followUp);
  });
});

describe('ScriptedInterviewer in the persona’s style and on the clock', () => {
  const persona = (prefer: string[], maxFollowUps: number) =>
    testPack({
      persona: {
        ...pack.persona,
        probing: { prefer, maxFollowUps },
      },
    });

  it('reaches for the probes this persona prefers, as many as it allows', async () => {
    const styled = persona(['example', 'scale', 'failure'], 2);
    const interviewer = new ScriptedInterviewer();
    const turns: Turn[] = [];
    let t = 0;
    const ctx = () => ({
      pack: styled,
      turns: [...turns],
      phase: 'questions' as const,
      elapsedMs: millis(61_000), // just into the questions: on schedule
      remainingMs: millis(100_000),
    });
    const add = (speaker: Turn['speaker'], ms: number) => {
      turns.push({
        id: `t${turns.length}`,
        speaker,
        startMs: millis(t),
        endMs: millis(t + ms),
        text: null,
        ...(speaker === 'interviewer' ? { questionId: q1.id } : {}),
      });
      t += ms;
    };
    interviewer.open(ctx());
    add('interviewer', 2000);
    add('candidate', 5000); // short: depth, and this persona asks for an example first
    expect(await said(interviewer.reply(ctx()))).toBe('Can you walk me through a concrete write?');
    add('interviewer', 2000);
    add('candidate', 40_000); // long: stress, scale before failure for this persona
    expect(await said(interviewer.reply(ctx()))).toBe('What happens at ten times the write rate?');
    add('interviewer', 2000);
    add('candidate', 40_000); // two follow-ups is this persona's limit: move on
    expect(await said(interviewer.reply(ctx()))).toContain(q2.prompt);
  });

  it('a persona that never probes moves straight on', async () => {
    const brisk = persona(['clarify'], 0);
    const interviewer = new ScriptedInterviewer();
    const reply = interviewer.reply({
      pack: brisk,
      turns: [
        {
          id: 'a',
          speaker: 'interviewer',
          startMs: millis(0),
          endMs: millis(2000),
          text: q1.prompt,
          questionId: q1.id,
        },
        { id: 'b', speaker: 'candidate', startMs: millis(2500), endMs: millis(9000), text: null },
      ],
      phase: 'questions',
      elapsedMs: millis(61_000),
      remainingMs: millis(100_000),
    });
    expect(await said(reply)).toContain(q2.prompt);
  });

  it('behind the time plan, it skips the probe and moves on', async () => {
    const interviewer = new ScriptedInterviewer();
    interviewer.open(conversation().context());
    const late = {
      pack,
      turns: [
        {
          id: 'a',
          speaker: 'interviewer' as const,
          startMs: millis(0),
          endMs: millis(2000),
          text: q1.prompt,
          questionId: q1.id,
        },
        {
          id: 'b',
          speaker: 'candidate' as const,
          startMs: millis(2500),
          endMs: millis(9000),
          text: null,
        },
      ],
      phase: 'questions' as const,
      // 1 min intro + 2 questions over 2 min: at 2:30 the plan is on question 2.
      elapsedMs: millis(150_000),
      remainingMs: millis(90_000),
    };
    expect(await said(interviewer.reply(late))).toContain(q2.prompt);
  });
});

describe('ScriptedInterviewer with a transcript hears a story', () => {
  const story = (answer: string, extra: Turn[] = []) => ({
    pack: storyPack,
    turns: [
      turn('1', 'interviewer', storyPack.questions[0]!.prompt, 0, 4000, {
        questionId: 'lag-incident',
      }),
      turn('2', 'candidate', answer, 4500, 40_000),
      ...extra,
    ],
    phase: 'questions' as const,
    elapsedMs: millis(60_000),
    remainingMs: millis(1_200_000),
  });

  it('asks for the result when a story has none', async () => {
    const reply = new ScriptedInterviewer().reply(story(STORY_WITHOUT_RESULT));
    expect(await said(reply)).toBe('What was the result, in numbers?');
    expect(reply.questionId).toBe('lag-incident');
  });

  it('asks what the candidate did when the story is all "we", and moves on once complete', async () => {
    const interviewer = new ScriptedInterviewer();
    const team =
      'At my last company we had a lag incident. I was responsible for the fix. We found rebalance storms and we switched to cooperative rebalancing, which cut lag from ten minutes to thirty seconds.';
    expect(await said(interviewer.reply(story(team)))).toBe(
      'What did you do yourself, not the team?',
    );
    const own = turn(
      '4',
      'candidate',
      'I wrote the rollout plan and I ran the canary myself.',
      45_000,
      55_000,
    );
    const next = interviewer.reply(
      story(team, [
        turn('3', 'interviewer', 'What did you do yourself, not the team?', 41_000, 44_000, {
          questionId: 'lag-incident',
        }),
        own,
      ]),
    );
    // The story is whole now: no STAR probe; the persona's other probes come next.
    expect(await said(next)).not.toMatch(/result|yourself|scene|hook/);
  });

  it('never asks a STAR probe blindly when there is no transcript', () => {
    const probe = pickFollowUp(
      storyPack.questions[0]!,
      40_000,
      storyPack.persona,
      new Set(['Why did you pick that fix?']),
    );
    expect(probe).toBeUndefined();
  });
});

describe('ScriptedInterviewer with a transcript follows up on a missed concept', () => {
  it('asks the pack’s follow-up closest to what the answer missed, not one by length', async () => {
    const q = samplePack.questions[0]!;
    // Covers the key scheme, misses the read-heavy caching; a long answer would get a
    // stress test by length — the follow-up about traffic touches the missed concept.
    const context = {
      ...contextWith([
        turn('1', 'interviewer', q.prompt, 0, 3000, { questionId: q.id }),
        turn('2', 'candidate', 'I would use the SECRET-HASHING-SCHEME for keys.', 3500, 40_000),
      ]),
      pack: {
        ...samplePack,
        questions: [
          {
            ...q,
            followUps: [
              { kind: 'why' as const, prompt: 'Why that key scheme?' },
              { kind: 'clarify' as const, prompt: 'Where does caching sit for the heavy reads?' },
            ],
          },
          samplePack.questions[1]!,
        ],
      },
    };
    const reply = new ScriptedInterviewer().reply(context);
    expect(await said(reply)).toBe('Where does caching sit for the heavy reads?');
  });

  it('without a transcript keeps choosing by length', () => {
    const q = samplePack.questions[0]!;
    const context = contextWith([
      turn('1', 'interviewer', q.prompt, 0, 3000, { questionId: q.id }),
      turn('2', 'candidate', null, 3500, 40_000),
    ]);
    expect(conceptProbe(q, context)).toBeUndefined();
  });
});
