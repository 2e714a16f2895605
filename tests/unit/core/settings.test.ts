import { describe, expect, it } from 'vitest';
import {
  applySettingsPatch,
  defaultSettings,
  settingsPatchSchema,
  settingsSchema,
} from '../../../src/core/settings';

describe('settings', () => {
  it('defaults to auto providers, the default models and the standard turn-taking', () => {
    expect(defaultSettings()).toEqual({
      schemaVersion: 1,
      providers: { stt: 'auto', interviewer: 'auto', tts: 'auto', fallbackToEmbedded: true },
      openai: {
        baseUrl: '',
        transcriptionModel: 'gpt-4o-transcribe',
        interviewerModel: 'gpt-4.1-mini',
        speechModel: 'gpt-4o-mini-tts',
        timeoutMs: 30_000,
        streamingTranscription: 'auto',
      },
      turnTaking: {
        endOfTurnSilenceMs: 1200,
        allowInterruptions: true,
        bargeInConfirmMs: 600,
        unfinishedSilenceMs: 4000,
      },
      realtime: {
        mode: 'cascade',
        model: 'gpt-realtime',
        turnDetection: 'semantic_vad',
        eagerness: 'low',
        silenceMs: 800,
        transport: 'auto',
      },
      costs: { prices: {}, budgetUsd: 0 },
      local: { sttModel: '' },
    });
  });

  it('chooses realtime, its model and turn detection by patch, and rejects unknown values', () => {
    const next = applySettingsPatch(defaultSettings(), {
      realtime: { mode: 'realtime', turnDetection: 'server_vad', silenceMs: 600 },
    });
    expect(next.realtime).toEqual({
      mode: 'realtime',
      model: 'gpt-realtime',
      turnDetection: 'server_vad',
      eagerness: 'low',
      silenceMs: 600,
      transport: 'auto',
    });
    expect(settingsPatchSchema.safeParse({ realtime: { eagerness: 'eager' } }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ realtime: { silenceMs: 50 } }).success).toBe(false);
  });

  it('fills in missing sections and fields of a partial file', () => {
    const settings = settingsSchema.parse({ turnTaking: { allowInterruptions: false } });
    expect(settings.turnTaking).toEqual({
      endOfTurnSilenceMs: 1200,
      allowInterruptions: false,
      bargeInConfirmMs: 600,
      unfinishedSilenceMs: 4000,
    });
    expect(settings.providers).toEqual(defaultSettings().providers);
  });

  it('merges a patch field by field, keeping everything it does not name', () => {
    const current = applySettingsPatch(defaultSettings(), {
      providers: { stt: 'none' },
      openai: { interviewerModel: 'local-model' },
    });
    const next = applySettingsPatch(current, {
      providers: { tts: 'embedded' },
      turnTaking: { endOfTurnSilenceMs: 2000 },
    });
    expect(next.providers).toEqual({
      stt: 'none',
      interviewer: 'auto',
      tts: 'embedded',
      fallbackToEmbedded: true,
    });
    expect(next.openai.interviewerModel).toBe('local-model');
    expect(next.openai.timeoutMs).toBe(30_000);
    expect(next.turnTaking).toEqual({
      endOfTurnSilenceMs: 2000,
      allowInterruptions: true,
      bargeInConfirmMs: 600,
      unfinishedSilenceMs: 4000,
    });
    // The current settings are not mutated.
    expect(current.providers.tts).toBe('auto');
    expect(current.turnTaking.endOfTurnSilenceMs).toBe(1200);
  });

  it('an empty patch changes nothing', () => {
    expect(applySettingsPatch(defaultSettings(), {})).toEqual(defaultSettings());
  });

  it.each([
    ['silence too short', { turnTaking: { endOfTurnSilenceMs: 299 } }],
    ['silence too long', { turnTaking: { endOfTurnSilenceMs: 10_001 } }],
    ['silence not whole', { turnTaking: { endOfTurnSilenceMs: 1200.5 } }],
    ['silence as text', { turnTaking: { endOfTurnSilenceMs: '1200' } }],
    ['interruptions as text', { turnTaking: { allowInterruptions: 'yes' } }],
    ['unknown stt provider', { providers: { stt: 'embedded' } }],
    ['unknown tts provider', { providers: { tts: 'none' } }],
    ['timeout too short', { openai: { timeoutMs: 999 } }],
    ['timeout too long', { openai: { timeoutMs: 300_001 } }],
    ['empty model', { openai: { speechModel: '' } }],
  ])('rejects an invalid patch: %s', (_name, patch) => {
    expect(settingsPatchSchema.safeParse(patch).success).toBe(false);
    // And the full schema rejects the same value coming from a merge.
    expect(() =>
      applySettingsPatch(defaultSettings(), patch as Parameters<typeof applySettingsPatch>[1]),
    ).toThrow();
  });

  it('accepts the boundary values', () => {
    const low = applySettingsPatch(defaultSettings(), {
      turnTaking: { endOfTurnSilenceMs: 300 },
      openai: { timeoutMs: 1000 },
    });
    const high = applySettingsPatch(defaultSettings(), {
      turnTaking: { endOfTurnSilenceMs: 10_000 },
      openai: { timeoutMs: 300_000 },
    });
    expect([low.turnTaking.endOfTurnSilenceMs, high.turnTaking.endOfTurnSilenceMs]).toEqual([
      300, 10_000,
    ]);
  });

  it('rejects a settings file from another schema version', () => {
    expect(settingsSchema.safeParse({ schemaVersion: 2 }).success).toBe(false);
  });
});
