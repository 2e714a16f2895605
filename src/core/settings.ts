import { z } from 'zod';

/**
 * `<data>/settings.json`. Each stage picks its provider independently. `auto` means the
 * OpenAI-compatible cascade when an API key is available, the embedded offline default
 * otherwise. API keys are never stored here (main process keeps them encrypted; browser
 * mode reads OPENAI_API_KEY).
 */
export const providerChoiceSchema = z.enum(['auto', 'openai', 'embedded', 'fake']);

export const settingsSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  providers: z
    .object({
      stt: z.enum(['auto', 'openai', 'none', 'fake']).default('auto'),
      interviewer: providerChoiceSchema.default('auto'),
      tts: providerChoiceSchema.default('auto'),
    })
    .prefault({}),
  openai: z
    .object({
      /** Empty means the SDK default (or OPENAI_BASE_URL). */
      baseUrl: z.string().default(''),
      transcriptionModel: z.string().min(1).default('gpt-4o-transcribe'),
      interviewerModel: z.string().min(1).default('gpt-4.1-mini'),
      speechModel: z.string().min(1).default('gpt-4o-mini-tts'),
      timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
    })
    .prefault({}),
  turnTaking: z
    .object({
      /** Silence after speech before the candidate's turn is taken as finished. */
      endOfTurnSilenceMs: z.number().int().min(300).max(10_000).default(1200),
      /** Candidate speech while the interviewer talks stops the interviewer. */
      allowInterruptions: z.boolean().default(true),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = z.object({
  providers: settingsSchema.shape.providers.unwrap().partial().optional(),
  openai: settingsSchema.shape.openai.unwrap().partial().optional(),
  turnTaking: settingsSchema.shape.turnTaking.unwrap().partial().optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return settingsSchema.parse({
    ...current,
    providers: { ...current.providers, ...patch.providers },
    openai: { ...current.openai, ...patch.openai },
    turnTaking: { ...current.turnTaking, ...patch.turnTaking },
  });
}
