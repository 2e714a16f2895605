import { describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../../src/api/contract';
import type { MockloopService } from '../../../src/backend/mockloopService';
import { millis } from '../../../src/core/units';
import { FakeClock } from '../../../src/engine/testing/fakeClock';
import { testService } from '../../support/testService';

const ROUND = 'eng-kafka-internals';

async function service() {
  const clock = new FakeClock();
  const { svc } = await testService(
    { providers: { stt: 'fake', interviewer: 'embedded', tts: 'fake' } },
    { clock },
  );
  return { svc, clock };
}

/** Lets the page hear the interviewer's first utterance to the end, so its turn commits. */
async function hearOpening(
  svc: MockloopService,
  sessionId: string,
  events: ApiEvent[],
  context: { clientId: string; emit: (e: ApiEvent) => void },
) {
  await vi.waitFor(() =>
    expect(
      events.some((e) => e.sessionId === sessionId && e.event.type === 'speech' && e.event.last),
    ).toBe(true),
  );
  const speech = events.filter((e) => e.sessionId === sessionId && e.event.type === 'speech');
  const first = speech[0]!.event as Extract<ApiEvent['event'], { type: 'speech' }>;
  const samples = speech.reduce(
    (sum, e) =>
      sum +
      (e.event.type === 'speech' && e.event.utteranceId === first.utteranceId
        ? e.event.pcm.byteLength / 2
        : 0),
    0,
  );
  await svc.handlers['round.playback'](
    { sessionId, utteranceId: first.utteranceId, event: 'started', atMs: 0, playedSamples: 0 },
    context,
  );
  await svc.handlers['round.playback'](
    {
      sessionId,
      utteranceId: first.utteranceId,
      event: 'ended',
      atMs: 3000,
      playedSamples: samples,
    },
    context,
  );
  await vi.waitFor(() =>
    expect(events.some((e) => e.sessionId === sessionId && e.event.type === 'turn')).toBe(true),
  );
  const turn = events.find((e) => e.sessionId === sessionId && e.event.type === 'turn')!.event;
  return turn.type === 'turn' ? turn.turn : undefined;
}

describe('resuming an interrupted round', () => {
  it('continues in a new linked session, on the clock of the first, carrying on with the plan', async () => {
    const { svc, clock } = await service();
    const events: ApiEvent[] = [];
    const context = { clientId: 'page', emit: (e: ApiEvent) => void events.push(e) };
    const first = await svc.handlers['round.start']({ roundId: ROUND }, context);
    const opening = await hearOpening(svc, first.sessionId, events, context);
    expect(opening?.questionId).toBeDefined();
    // The candidate answered for 40 s, then the window closed: the round is interrupted.
    await svc.sessions.appendTurn(first.sessionId, {
      id: 'answer',
      speaker: 'candidate',
      startMs: millis(4000),
      endMs: millis(44_000),
      text: 'Segments are files named by base offset with a sparse index.',
    });
    await svc.handlers['round.audio'](
      { sessionId: first.sessionId, pcm: new Uint8Array(24_000 * 4 * 45).subarray(0, 96_000) },
      context,
    );
    clock.advance(45_000);
    await svc.clientGone('page');
    const interrupted = (await svc.handlers['sessions.get']({ id: first.sessionId }, context))
      .session;
    expect(interrupted.status).toBe('interrupted');

    events.length = 0;
    // A double click resumes it once.
    const [one, two] = await Promise.allSettled([
      svc.handlers['round.start']({ roundId: ROUND, resumeOf: first.sessionId }, context),
      svc.handlers['round.start']({ roundId: ROUND, resumeOf: first.sessionId }, context),
    ]);
    const settled = [one, two].filter((r) => r.status === 'fulfilled');
    expect(settled).toHaveLength(1);
    const resumed = settled[0]!.value;
    const next = await hearOpening(svc, resumed.sessionId, events, context);
    expect(next?.text).toMatch(/^Sorry, we got cut off/);
    // It carries on with the plan (a follow-up or the next question), not the greeting.
    expect(next?.questionId).toBeDefined();
    expect(next?.text).not.toContain((opening?.text ?? '').slice(0, 40));

    const state = events.find((e) => e.event.type === 'state')!.event;
    if (state.type !== 'state') throw new Error('state');
    expect(resumed.budgetMs).toBe(first.budgetMs - interrupted.durationMs);
    expect(state.remainingMs).toBeLessThanOrEqual(resumed.budgetMs);

    const continuation = (await svc.handlers['sessions.get']({ id: resumed.sessionId }, context))
      .session;
    expect(continuation.resumeOf).toEqual({
      sessionId: first.sessionId,
      atMs: interrupted.durationMs,
    });
    const original = (await svc.handlers['sessions.get']({ id: first.sessionId }, context)).session;
    expect(original.resumedIn).toBe(resumed.sessionId);

    // Once resumed it cannot be resumed twice, and a complete round cannot be resumed.
    await expect(
      svc.handlers['round.start']({ roundId: ROUND, resumeOf: first.sessionId }, context),
    ).rejects.toThrow(/already resumed/);
    await svc.handlers['round.end']({ sessionId: resumed.sessionId }, context);
    await expect(
      svc.handlers['round.start']({ roundId: ROUND, resumeOf: resumed.sessionId }, context),
    ).rejects.toThrow(/Only an interrupted round/);
  });
});
