import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatch, type ApiHandlers } from '../../../src/api/dispatcher';
import { apiRequests } from '../../../src/api/contract';
import { sessionSchema } from '../../../src/core/session';
import { settingsPatchSchema } from '../../../src/core/settings';
import { decodeWavPcm16, encodeWavPcm16, parseWavHeader } from '../../../src/core/wav';
import { decodeClientFrame, encodeFrame } from '../../../src/server/wireCodec';
import { readJsonFile } from '../../../src/storage/atomicFile';
import { loadRoundPacks } from '../../../src/storage/roundPackLoader';
import { SessionStore } from '../../../src/storage/sessionStore';
import { SettingsStore } from '../../../src/storage/settingsStore';

/**
 * Property-based tests of every parser that takes outside input: whatever bytes arrive,
 * each one answers with a value or a clear error — never a crash, never a hang.
 */
const RUNS = { numRuns: 200 };
// A fixed seed keeps CI deterministic; FC_SEED explores others (and a failure prints its seed).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261122) });

describe('binary parsers', () => {
  it('WAV parsing rejects garbage with an Error, and round-trips real audio', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        try {
          const info = parseWavHeader(bytes);
          expect(info.dataOffset).toBeLessThanOrEqual(bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 500 }),
        (values) => {
          const samples = Int16Array.from(values);
          const decoded = decodeWavPcm16(encodeWavPcm16(samples, 24_000, 1));
          expect([...decoded.samples]).toEqual(values);
        },
      ),
      RUNS,
    );
  });

  it('WebSocket frames: garbage decodes to null, real frames round-trip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const frame = decodeClientFrame(bytes);
        if (frame !== null) expect(typeof frame.method).toBe('string');
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.nat(), fc.string(), fc.jsonValue(), (id, method, payload) => {
        const frame = decodeClientFrame(encodeFrame({ id, method, payload }));
        expect(frame?.id).toBe(id);
        expect(frame?.method).toBe(method);
      }),
      RUNS,
    );
  });
});

describe('the API boundary', () => {
  const handlers = new Proxy({} as ApiHandlers, {
    get: () => async () => null,
  });
  const context = { clientId: 'p', emit: () => undefined };

  it('answers any method name and payload with a result, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.constantFrom(...Object.keys(apiRequests), '__proto__', 'constructor'),
        ),
        fc.anything(),
        async (method, payload) => {
          const result = await dispatch(handlers, method, payload, context);
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) expect(result.error.message.length).toBeGreaterThan(0);
        },
      ),
      RUNS,
    );
  });

  it('refuses session ids that could leave the sessions folder', async () => {
    const nasty = fc.oneof(
      fc.constantFrom(
        '../x',
        '..',
        '/etc/passwd',
        'a/b',
        'a\\b',
        'a\u0000b',
        '.hidden',
        '',
        'é',
        'a'.repeat(81),
      ),
      fc.string().map((s) => `../${s}`),
      fc.string().map((s) => `${s}\u0000`),
    );
    await fc.assert(
      fc.asyncProperty(nasty, async (id) => {
        const result = await dispatch(handlers, 'sessions.get', { id }, context);
        expect(result.ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('settings patches accept only known, well-typed fields', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = settingsPatchSchema.safeParse(value);
        if (parsed.success) {
          for (const key of Object.keys(parsed.data)) {
            expect(['providers', 'openai', 'turnTaking']).toContain(key);
          }
        }
      }),
      RUNS,
    );
  });
});

describe('files on disk', () => {
  it('a corrupt session.json is reported, listed as a problem, and hurts no other session', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mockloop-prop-'));
    const store = new SessionStore(dataDir);
    const good = await store.create({
      round: { packId: 'p', title: 'T', loopTitle: 'L', company: 'C', budgetMs: 1000 },
      persona: { name: 'N', role: 'R' },
      providers: { stt: null, interviewer: { kind: 'embedded' }, tts: { kind: 'embedded' } },
      transcriptAvailable: false,
      audio: {
        file: 'audio.wav',
        sampleRate: 24000,
        channels: 2,
        channelLayout: ['candidate', 'interviewer'],
      },
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')),
        ),
        async (text) => {
          const dir = join(dataDir, 'sessions', `2026-01-01T00-00-00Z-bad${n++}`);
          await mkdir(dir, { recursive: true });
          await writeFile(join(dir, 'session.json'), text);
          const read = await readJsonFile(join(dir, 'session.json'), sessionSchema);
          expect(read.ok).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
    const { sessions, problems } = await store.list();
    expect(sessions.map((s) => s.id)).toEqual([good.id]);
    expect(problems.length).toBe(n);
  });

  it('any settings.json content loads as settings (defaults when broken)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (text) => {
          const dir = await mkdtemp(join(tmpdir(), 'mockloop-prop-settings-'));
          await writeFile(join(dir, 'settings.json'), text);
          const { settings } = await new SettingsStore(dir).load();
          expect(settings.turnTaking.endOfTurnSilenceMs).toBeGreaterThanOrEqual(300);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('any round-pack file gives packs or problems with file, field and reason — never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (text) => {
          const dir = await mkdtemp(join(tmpdir(), 'mockloop-prop-packs-'));
          await writeFile(join(dir, 'pack.yaml'), text);
          const { packs, problems } = await loadRoundPacks(dir);
          expect(packs.length + problems.length).toBeGreaterThan(0);
          for (const p of problems) {
            expect(p.file).toBe('pack.yaml');
            expect(p.reason.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
