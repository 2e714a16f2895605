import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../../src/api/contract';
import { dispatch } from '../../../src/api/dispatcher';
import { MemoryKeyVault } from '../../../src/backend/keyVault';
import { MockloopService } from '../../../src/backend/mockloopService';
import { FakeClock } from '../../../src/engine/testing/fakeClock';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('a round that ends by itself', () => {
  it('accepts the page’s late calls for a while instead of reporting “not running”', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mockloop-life-'));
    await writeFile(
      join(dataDir, 'settings.json'),
      JSON.stringify({
        schemaVersion: 1,
        providers: { stt: 'fake', interviewer: 'fake', tts: 'fake' },
      }),
    );
    const clock = new FakeClock();
    const service = new MockloopService({
      dataDir,
      promptsDir: join(ROOT, 'prompts'),
      mode: 'browser',
      version: 'test',
      keyVault: new MemoryKeyVault(),
      env: {},
      clock,
    });
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
