import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type SettingsPatch } from '../../../src/core/settings';
import { SettingsStore } from '../../../src/storage/settingsStore';

let dataDir: string;
const now = () => new Date(Date.UTC(2026, 10, 22, 18, 49, 50, 123));
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mockloop-settings-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const settingsPath = () => join(dataDir, 'settings.json');

describe('SettingsStore', () => {
  it('uses defaults when there is no settings file, without creating one', async () => {
    const store = new SettingsStore(dataDir);
    expect(await store.load()).toEqual({ settings: defaultSettings(), problems: [] });
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('saves a patch atomically and reads it back in a new process', async () => {
    const saved = await new SettingsStore(join(dataDir, 'nested')).update({
      providers: { tts: 'embedded' },
      turnTaking: { endOfTurnSilenceMs: 2000 },
    });
    expect(saved.providers).toEqual({
      stt: 'auto',
      interviewer: 'auto',
      tts: 'embedded',
      fallbackToEmbedded: true,
    });
    expect(saved.turnTaking.endOfTurnSilenceMs).toBe(2000);
    const reloaded = await new SettingsStore(join(dataDir, 'nested')).load();
    expect(reloaded).toEqual({ settings: saved, problems: [] });
    expect(await readdir(join(dataDir, 'nested'))).toEqual(['settings.json']);
  });

  it('applies concurrent patches one after another', async () => {
    const store = new SettingsStore(dataDir);
    await Promise.all([
      store.update({ providers: { stt: 'none' } }),
      store.update({ providers: { tts: 'fake' } }),
      store.update({ openai: { timeoutMs: 5000 } }),
    ]);
    const { settings } = await new SettingsStore(dataDir).load();
    expect(settings.providers).toMatchObject({ stt: 'none', tts: 'fake' });
    expect(settings.openai.timeoutMs).toBe(5000);
  });

  it('rejects an invalid patch, naming the field, and keeps the saved file', async () => {
    const store = new SettingsStore(dataDir);
    await store.update({ providers: { tts: 'embedded' } });
    const before = await readFile(settingsPath(), 'utf8');
    const bad = { openai: { timeoutMs: 5 } } satisfies SettingsPatch;
    const error = await store.update(bad).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-data' });
    expect((error as Error).message).toContain('openai.timeoutMs');
    expect(await readFile(settingsPath(), 'utf8')).toBe(before);
  });

  it.each([
    ['not JSON', '{"providers": {"tts": "emb'],
    ['the wrong shape', JSON.stringify({ providers: { tts: 'banana' } })],
  ])('moves a settings file that is %s aside and falls back to defaults', async (_, text) => {
    await writeFile(settingsPath(), text);
    const store = new SettingsStore(dataDir, { now });
    const { settings, problems } = await store.load();
    expect(settings).toEqual(defaultSettings());
    const kept = 'settings.json.corrupt-2026-11-22T18-49-50.123Z';
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(kept);
    expect(await readdir(dataDir)).toEqual([kept]);
    expect(await readFile(join(dataDir, kept), 'utf8')).toBe(text);

    // Still reported on the next load, until the user saves settings again.
    expect((await store.load()).problems).toEqual(problems);
    await store.update({ providers: { interviewer: 'embedded' } });
    expect((await store.load()).problems).toEqual([]);
    expect((await readdir(dataDir)).sort()).toEqual(['settings.json', kept]);
    expect(await readFile(join(dataDir, kept), 'utf8')).toBe(text);
  });

  it('fills in settings added after the file was written', async () => {
    await writeFile(settingsPath(), JSON.stringify({ providers: { tts: 'embedded' } }));
    const { settings, problems } = await new SettingsStore(dataDir).load();
    expect(problems).toEqual([]);
    expect(settings.providers.tts).toBe('embedded');
    expect(settings.turnTaking).toEqual(defaultSettings().turnTaking);
  });
});
