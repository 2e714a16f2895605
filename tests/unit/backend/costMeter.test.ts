import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../../src/api/contract';
import { MemoryKeyVault } from '../../../src/backend/keyVault';
import { MockloopService } from '../../../src/backend/mockloopService';
import { DEFAULT_PRICES, priceOf, UsageMeter } from '../../../src/core/usage';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fakeOpenAIServer';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('the cost meter', () => {
  it('prices tokens, audio minutes and characters from the table, and says what it cannot price', () => {
    expect(
      priceOf(
        { inputTokens: 1_000_000, outputTokens: 500_000, audioSeconds: 0, characters: 0 },
        DEFAULT_PRICES['gpt-4.1-mini'],
      ),
    ).toBeCloseTo(0.4 + 0.8);
    const meter = new UsageMeter({
      ...DEFAULT_PRICES,
      'my-local-model': { inputPerMillionTokens: 0 },
    });
    meter.add({ stage: 'stt', model: 'gpt-4o-transcribe', audioSeconds: 90 });
    meter.add({ stage: 'tts', model: 'mystery-voice', characters: 400, audioSeconds: 20 });
    const summary = meter.summary();
    expect(summary.stages.stt?.costUsd).toBeCloseTo(0.009);
    expect(summary.stages.tts?.costUsd).toBeNull();
    expect(summary.unpriced).toBe(true);
    expect(summary.costUsd).toBeCloseTo(0.009);
  });

  describe('in a round through an OpenAI-compatible server', () => {
    let server: FakeOpenAIServer;
    afterEach(() => server.close());

    async function round(budgetUsd: number, prices: Record<string, unknown> = {}) {
      server = await startFakeOpenAIServer();
      const dataDir = await mkdtemp(join(tmpdir(), 'mockloop-cost-'));
      await writeFile(
        join(dataDir, 'settings.json'),
        JSON.stringify({ schemaVersion: 1, costs: { budgetUsd, prices } }),
      );
      const service = new MockloopService({
        dataDir,
        promptsDir: join(ROOT, 'prompts'),
        mode: 'browser',
        version: 'test',
        keyVault: new MemoryKeyVault(),
        env: { apiKey: 'sk-test', baseUrl: server.url },
      });
      const events: ApiEvent[] = [];
      const context = { clientId: 'c', emit: (e: ApiEvent) => void events.push(e) };
      const started = await service.handlers['round.start'](
        { roundId: 'eng-recruiter-screen' },
        context,
      );
      return { service, events, context, started };
    }

    it('counts what the server reported, live, and saves it with the session', async () => {
      const { service, events, context, started } = await round(0);
      await vi.waitFor(() =>
        expect(events.some((e) => e.event.type === 'usage' && e.event.usage.stages.tts)).toBe(true),
      );
      const usage = events.filter((e) => e.event.type === 'usage').at(-1)!.event;
      if (usage.type !== 'usage') throw new Error('unreachable');
      // The fake server reports 100 prompt tokens per chat reply (stream_options.include_usage).
      expect(usage.usage.stages.interviewer).toMatchObject({
        model: 'gpt-4.1-mini',
        inputTokens: 100,
      });
      expect(usage.usage.stages.tts?.characters).toBeGreaterThan(20);
      expect(usage.usage.costUsd).toBeGreaterThan(0);
      await service.handlers['round.end']({ sessionId: started.sessionId }, context);
      const { session } = await service.handlers['sessions.get'](
        { id: started.sessionId },
        context,
      );
      expect(session.usage?.stages.interviewer?.inputTokens).toBe(100);
    });

    it('a spent budget makes the interviewer wrap up politely', async () => {
      // Price speech so high that the opening alone spends the budget.
      const { events } = await round(0.01, { 'gpt-4o-mini-tts': { perAudioMinute: 1000 } });
      await vi.waitFor(() =>
        expect(
          events.some((e) => e.event.type === 'notice' && /budget/.test(e.event.message)),
        ).toBe(true),
      );
      const state = events.filter((e) => e.event.type === 'state').at(-1)?.event;
      expect(state).toMatchObject({ phase: 'farewell' });
    });
  });
});
