import { describe, expect, it, vi } from 'vitest';
import { singleQuestionPack } from '../../../src/core/questionBlocks';
import type { Turn } from '../../../src/core/transcript';
import { millis } from '../../../src/core/units';
import {
  ATTEMPT_WRAP_UP,
  AnswerAgainInterviewer,
} from '../../../src/engine/answerAgainInterviewer';
import type { RoundEndReason, RoundEvent } from '../../../src/engine/events';
import { LiveRound } from '../../../src/engine/liveRound';
import { FakeClock } from '../../../src/engine/testing/fakeClock';
import { ScriptedInterviewer } from '../../../src/providers/embedded/scriptedInterviewer';
import { FakeTextToSpeech } from '../../../src/providers/testing/fakeProviders';
import { testPack } from '../engine/testPack';

const SILENCE_MS = 1000;

/** A real LiveRound on the one-question pack, the scripted interviewer wrapped. */
function attempt(questionId = 'log-storage') {
  const pack = singleQuestionPack(testPack(), questionId)!;
  const question = pack.questions[0]!;
  const clock = new FakeClock();
  const events: RoundEvent[] = [];
  const finished: RoundEndReason[] = [];
  const round = new LiveRound({
    pack,
    clock,
    stt: null,
    interviewer: new AnswerAgainInterviewer(new ScriptedInterviewer(), question),
    tts: new FakeTextToSpeech(2),
    recorder: { write: () => undefined, close: async () => ({ durationMs: 60_000 }) },
    journal: { appendTurn: async () => undefined },
    endOfTurnSilenceMs: millis(SILENCE_MS),
    allowInterruptions: true,
    emit: (e) => void events.push(e),
    onFinished: async ({ reason }) => void finished.push(reason),
  });
  round.start();
  const speech = (id: string) =>
    events.filter(
      (e): e is Extract<RoundEvent, { type: 'speech' }> =>
        e.type === 'speech' && e.utteranceId === id,
    );
  let at = 0;
  return {
    pack,
    question,
    round,
    finished,
    clock,
    /** The interviewer's utterance `id` is played in full. */
    async plays(id: string) {
      await vi.waitFor(() => expect(speech(id).at(-1)?.last).toBe(true), { interval: 1 });
      const samples = speech(id).reduce((n, e) => n + e.pcm.byteLength / 2, 0);
      round.playback({ utteranceId: id, event: 'started', atMs: millis((at += 100)) });
      round.playback({
        utteranceId: id,
        event: 'ended',
        atMs: millis((at += 3000)),
        playedSamples: samples,
      });
    },
    /** The interviewer's utterance `id` is cut off by the candidate after a few samples. */
    async cutOff(id: string) {
      await vi.waitFor(() => expect(speech(id).length).toBeGreaterThan(0), { interval: 1 });
      round.playback({ utteranceId: id, event: 'started', atMs: millis((at += 100)) });
      round.speechStart(millis((at += 500)));
      round.playback({
        utteranceId: id,
        event: 'interrupted',
        atMs: millis(at),
        playedSamples: 10,
      });
      round.speechEnd(millis((at += 3000)));
      clock.advance(SILENCE_MS);
    },
    /** The candidate answers for `ms`. */
    answers(ms: number) {
      round.speechStart(millis((at += 300)));
      round.speechEnd(millis((at += ms)));
      clock.advance(SILENCE_MS);
    },
    turns: (): readonly Turn[] => round.committedTurns,
  };
}

describe('answer again: one question, one follow-up, then the end', () => {
  it('asks the question, follows up once from the pack, and closes the attempt by itself', async () => {
    const a = attempt();
    await a.plays('u1');
    a.answers(5000);
    await a.plays('u2');
    a.answers(4000);
    await a.plays('u3');
    await vi.waitFor(() => expect(a.finished).toEqual(['candidate-ended']), { interval: 1 });
    const turns = a.turns();
    expect(turns.map((t) => t.speaker)).toEqual([
      'interviewer',
      'candidate',
      'interviewer',
      'candidate',
      'interviewer',
    ]);
    expect(turns[0]!.text).toBe(`Let's take this one again. ${a.question.prompt}`);
    expect(turns[0]!.questionId).toBe(a.question.id);
    expect(a.question.followUps.map((f) => f.prompt)).toContain(turns[2]!.text);
    expect(turns[2]!.questionId).toBe(a.question.id);
    expect(turns[4]!.text).toBe(ATTEMPT_WRAP_UP);
  });

  it('finishes a question that was cut off before spending the follow-up', async () => {
    const a = attempt();
    await a.cutOff('u1');
    await a.plays('u2');
    a.answers(5000);
    await a.plays('u3');
    a.answers(2000);
    await a.plays('u4');
    await vi.waitFor(() => expect(a.finished).toEqual(['candidate-ended']), { interval: 1 });
    const texts = a
      .turns()
      .filter((t) => t.speaker === 'interviewer')
      .map((t) => t.text);
    expect(texts[1]).toBe(`Let me finish the question. ${a.question.prompt}`);
    expect(a.question.followUps.map((f) => f.prompt)).toContain(texts[2]);
    expect(texts[3]).toBe(ATTEMPT_WRAP_UP);
  });

  it('asks again when "I\'m done" comes before any answer', async () => {
    const a = attempt();
    await a.plays('u1');
    a.round.done(millis(5000));
    await a.plays('u2');
    expect(a.turns()[1]!.text).toBe(`Take your time. ${a.question.prompt}`);
    expect(a.finished).toEqual([]);
  });

  it('uses a one-question pack with a few minutes and no closing phase', () => {
    const a = attempt('consumer-groups');
    expect(a.pack.questions.map((q) => q.id)).toEqual(['consumer-groups']);
    expect(a.pack.plan).toEqual([expect.objectContaining({ phase: 'questions', minutes: 6 })]);
    expect(singleQuestionPack(testPack(), 'no-such-question')).toBeNull();
  });
});
