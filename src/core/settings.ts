import { z } from 'zod';
import { priceSchema } from './usage';

/**
 * `<data>/settings.json`. Each stage picks its provider independently. `auto` means the
 * OpenAI-compatible cascade when an API key is available, the embedded offline default
 * otherwise. API keys are never stored here (main process keeps them encrypted; browser
 * mode reads OPENAI_API_KEY).
 */
const fields = {
  providers: {
    /** `local`: whisper.cpp on this computer, with the model chosen under `local`. */
    stt: z.enum(['auto', 'openai', 'local', 'none', 'fake']),
    interviewer: z.enum(['auto', 'openai', 'embedded', 'fake']),
    tts: z.enum(['auto', 'openai', 'embedded', 'fake']),
    /** When a model provider keeps failing, the embedded one takes over that stage. */
    fallbackToEmbedded: z.boolean(),
  },
  openai: {
    /** Empty means the SDK default (or OPENAI_BASE_URL). */
    baseUrl: z.string().max(2000),
    transcriptionModel: z.string().min(1).max(200),
    interviewerModel: z.string().min(1).max(200),
    speechModel: z.string().min(1).max(200),
    timeoutMs: z.number().int().min(1000).max(300_000),
    /**
     * `auto`: the candidate is transcribed as they speak, over a Realtime transcription
     * session, where the server offers one (piece uploads otherwise); `off`: uploads only.
     */
    streamingTranscription: z.enum(['auto', 'off']),
  },
  local: {
    /**
     * The speech recognition model for `stt: local` (an id of core/localModels.ts or an
     * imported file's id); empty: the first one installed. `auto` without a key uses it too.
     */
    sttModel: z.string().max(200),
  },
  costs: {
    /** Prices that add to or override the built-in table (core/usage.ts), per model. */
    prices: z.record(z.string().min(1).max(200), priceSchema),
    /** Stop the round politely once its estimated cost reaches this (US$); 0 = no budget. */
    budgetUsd: z.number().min(0).max(1000),
  },
  realtime: {
    /**
     * `realtime`: one speech-to-speech model (OpenAI Realtime) hears and speaks instead of
     * the cascade; needs a key. Without one the round stays on the embedded cascade.
     */
    mode: z.enum(['cascade', 'realtime']),
    model: z.string().min(1).max(200),
    /** The server's voice detection: silence-based, or a model judging the end of a thought. */
    turnDetection: z.enum(['server_vad', 'semantic_vad']),
    /** semantic_vad only: how readily it takes a pause as the end of the turn. */
    eagerness: z.enum(['low', 'medium', 'high', 'auto']),
    /** server_vad only: silence that ends the candidate's turn. */
    silenceMs: z.number().int().min(200).max(5000),
    /**
     * How a realtime round reaches the model. `auto`: WebRTC from the desktop window (the
     * backend mints an ephemeral secret; the key stays in the backend), a WebSocket from
     * the backend in browser mode. `webrtc` / `websocket` force one.
     */
    transport: z.enum(['auto', 'webrtc', 'websocket']),
  },
  turnTaking: {
    /** Silence after speech before the candidate's turn is taken as finished. */
    endOfTurnSilenceMs: z.number().int().min(300).max(10_000),
    /** Candidate speech while the interviewer talks stops the interviewer. */
    allowInterruptions: z.boolean(),
    /** Speech under the interviewer shorter than this ("mm-hm", a cough) does not stop it. */
    bargeInConfirmMs: z.number().int().min(0).max(2000),
    /** Silence after an unfinished sentence ("…and", "um") before the turn ends (needs a transcript). */
    unfinishedSilenceMs: z.number().int().min(300).max(20_000),
  },
};

const defaults = {
  providers: { stt: 'auto', interviewer: 'auto', tts: 'auto', fallbackToEmbedded: true },
  openai: {
    baseUrl: '',
    transcriptionModel: 'gpt-4o-transcribe',
    interviewerModel: 'gpt-4.1-mini',
    speechModel: 'gpt-4o-mini-tts',
    timeoutMs: 30_000,
    streamingTranscription: 'auto',
  },
  realtime: {
    mode: 'cascade',
    model: 'gpt-realtime',
    turnDetection: 'semantic_vad',
    eagerness: 'low',
    silenceMs: 800,
    transport: 'auto',
  },
  turnTaking: {
    endOfTurnSilenceMs: 1200,
    allowInterruptions: true,
    // The interviewer stops at the first sound of speech; this only decides whether it
    // resumes (a backchannel) or gives up the floor, so it can be generous.
    bargeInConfirmMs: 600,
    unfinishedSilenceMs: 4000,
  },
  local: { sttModel: '' },
  costs: { prices: {}, budgetUsd: 0 },
} as const;

/** Missing sections and fields take their defaults, so older files keep loading. */
function withDefaults<S extends Record<string, z.ZodType>>(
  shape: S,
  values: Record<string, unknown>,
) {
  const entries = Object.entries(shape).map(([k, schema]) => [
    k,
    schema.default(values[k] as never),
  ]);
  const section = z.object(Object.fromEntries(entries) as { [K in keyof S]: z.ZodDefault<S[K]> });
  // Every field has a default, so an empty object is a valid input.
  return section.prefault({} as z.input<typeof section>);
}

export const settingsSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  providers: withDefaults(fields.providers, defaults.providers),
  openai: withDefaults(fields.openai, defaults.openai),
  turnTaking: withDefaults(fields.turnTaking, defaults.turnTaking),
  realtime: withDefaults(fields.realtime, defaults.realtime),
  costs: withDefaults(fields.costs, defaults.costs),
  local: withDefaults(fields.local, defaults.local),
});

export type Settings = z.infer<typeof settingsSchema>;

/** A change to some settings: fields left out stay as they are (no defaults here). */
export const settingsPatchSchema = z
  .object({
    providers: z.object(fields.providers).partial().strict().optional(),
    openai: z.object(fields.openai).partial().strict().optional(),
    turnTaking: z.object(fields.turnTaking).partial().strict().optional(),
    costs: z.object(fields.costs).partial().strict().optional(),
    realtime: z.object(fields.realtime).partial().strict().optional(),
    local: z.object(fields.local).partial().strict().optional(),
  })
  .strict();
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
    costs: { ...current.costs, ...patch.costs },
    realtime: { ...current.realtime, ...patch.realtime },
    local: { ...current.local, ...patch.local },
  });
}
