import { describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../../src/api/contract';
import { dispatch } from '../../../src/api/dispatcher';
import { FakeClock } from '../../../src/engine/testing/fakeClock';
import { testService } from '../../support/testService';

describe('a round that ends by itself', () => {
  it('accepts the page’s late calls for a while instead of reporting “not running”', async () => {
    const clock = new FakeClock();
    const { svc: service } = await testService(
      { providers: { stt: 'fake', interviewer: 'fake', tts: 'fake' } },
      { clock },
    );
    const events: ApiEvent[] = [];
    const context = { clientId: 'page', emit: (e: ApiEvent) => void events.push(e) };
    const started = await service.handlers['round.start'](
      { roundId: 'eng-recruiter-screen' },
      context,
    );
    const audio = { sessionId: started.sessionId, pcm: new Uint8Array(4800) };

    // Time runs out and the overtime grace passes: the round ends itself.
    clock.advance(started.budgetMs + 120_000);
    await vi.waitFor(() => expect(events.some((e) => e.event.type === 'ended')).toBe(true));
    expect((await dispatch(service.handlers, 'round.audio', audio, context)).ok).toBe(true);
    expect(
      (await service.handlers['sessions.get']({ id: started.sessionId }, context)).session,
    ).toMatchObject({
      status: 'complete',
      endReason: 'time-up',
    });

    clock.advance(10_000);
    const late = await dispatch(service.handlers, 'round.audio', audio, context);
    expect(late).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
