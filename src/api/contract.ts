import { z } from 'zod';
import type { LoopRun } from '../core/loopRun';
import type { RoundPackProblem } from '../core/roundPack';
import { sessionIdSchema, type SessionListItem, type SessionRecord } from '../core/session';
import { settingsPatchSchema, type Settings } from '../core/settings';
import type { RoundSummary } from '../core/summary';
import type { RoundEvent } from '../engine/events';
import { replayRequests, type ReplayResponses } from './replayContract';
import type { ProviderStatus, RoundStarted } from './roundStarted';
import { scoringRequests, type ScoringResponses } from './scoringContract';
import { realtimeRequests, type RealtimeResponses } from './realtimeContract';
import { exportRequests, type ExportResponses } from './exportContract';
import { modelsRequests, type ModelsResponses } from './modelsContract';
import { workspaceRequests, type WorkspaceResponses } from './workspaceContract';

/**
 * The one contract between the renderer and the backend. Each method is a request
 * schema (checked on arrival by both transports) and a response type. Electron IPC and
 * browser mode are thin adapters over this table: adding a method touches this file and
 * the backend's handler for it.
 */

const atMs = z
  .number()
  .finite()
  .nonnegative()
  .max(24 * 3600 * 1000);
const empty = z.object({}).strict();
/** 1 s of 24 kHz stereo s16 is 96 kB; the renderer sends ~100 ms at a time. */
const MAX_AUDIO_CHUNK_BYTES = 192_000;

export const apiRequests = {
  'app.info': empty,
  'rounds.list': empty,
  'settings.get': empty,
  'settings.update': settingsPatchSchema,
  'settings.setApiKey': z
    .object({
      key: z
        .string()
        .trim()
        .min(1)
        .max(500)
        .regex(/^[\x21-\x7e]+$/, 'an API key is printable ASCII without spaces')
        .nullable(),
    })
    .strict(),
  'settings.checkConnection': empty,
  'sessions.list': empty,
  'sessions.get': z.object({ id: sessionIdSchema }).strict(),
  'round.start': z
    .object({
      roundId: z.string().min(1).max(200),
      loopRunId: sessionIdSchema.optional(),
      /** Continue this interrupted session's round where it stopped. */
      resumeOf: sessionIdSchema.optional(),
    })
    .strict(),
  'loops.start': z.object({ loopId: z.string().min(1).max(200) }).strict(),
  'loops.get': z.object({ id: sessionIdSchema }).strict(),
  'loops.debrief': z.object({ id: sessionIdSchema }).strict(),
  'round.audio': z
    .object({
      sessionId: sessionIdSchema,
      pcm: z
        .custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected binary audio')
        .refine((b) => b.byteLength <= MAX_AUDIO_CHUNK_BYTES, 'audio chunk too large')
        .refine((b) => b.byteLength % 4 === 0, 'audio must be whole stereo s16 frames'),
    })
    .strict(),
  'round.vad': z
    .object({ sessionId: sessionIdSchema, type: z.enum(['speech-start', 'speech-end']), atMs })
    .strict(),
  'round.control': z
    .object({
      sessionId: sessionIdSchema,
      action: z.enum(['done', 'hold-start', 'hold-end']),
      atMs,
    })
    .strict(),
  'round.playback': z
    .object({
      sessionId: sessionIdSchema,
      utteranceId: z.string().min(1).max(40),
      event: z.enum(['started', 'ended', 'interrupted']),
      atMs,
      playedSamples: z.number().int().nonnegative().max(1e9),
    })
    .strict(),
  'round.end': z.object({ sessionId: sessionIdSchema }).strict(),
  ...replayRequests,
  ...scoringRequests,
  ...realtimeRequests,
  ...exportRequests,
  ...workspaceRequests,
  ...modelsRequests,
} as const;

export interface RoundInfo {
  id: string;
  order: number;
  /** What the round scores: its rubric criteria, by name. */
  tests: string[];
  loopId: string;
  loopTitle: string;
  company: string;
  title: string;
  summary: string;
  durationMinutes: number;
  persona: { name: string; role: string };
}

export type { ProviderStatus, RoundStarted } from './roundStarted';

export interface SettingsView {
  settings: Settings;
  /** Whether an API key is available to the backend. The key itself never leaves it. */
  apiKeyPresent: boolean;
  /** Where the key in use comes from: entered in Settings, OPENAI_API_KEY, or none. */
  apiKeySource: 'entered' | 'environment' | 'none';
  /** How an entered key is kept: encrypted by the OS keychain, plain text (Linux without a keyring), or in memory only (browser mode). */
  apiKeyStorage: 'encrypted' | 'plain-text' | 'memory';
  /** What a round started now would use. */
  effective: ProviderStatus;
  problems: string[];
}

/** A full loop as the screen shows it: each round with its session's state. */
export interface LoopRunView extends Omit<LoopRun, 'rounds'> {
  rounds: (LoopRun['rounds'][number] & {
    status: 'pending' | 'missing' | 'recording' | 'complete' | 'interrupted';
    durationMs: number;
    notes: string[];
  })[];
  /** Pack id of the next round to run, or null when all are done. */
  next: string | null;
}

export interface SessionDetail {
  session: SessionRecord;
  summary: RoundSummary;
}

export interface ApiResponses
  extends
    ReplayResponses,
    ScoringResponses,
    ExportResponses,
    RealtimeResponses,
    WorkspaceResponses,
    ModelsResponses {
  'app.info': { version: string; mode: 'electron' | 'browser'; dataDir: string };
  'rounds.list': { rounds: RoundInfo[]; problems: RoundPackProblem[] };
  'settings.get': SettingsView;
  'settings.update': SettingsView;
  'settings.setApiKey': SettingsView;
  'settings.checkConnection': {
    ok: boolean;
    code?: string;
    message: string;
    models: string[];
  };
  'sessions.list': { sessions: SessionListItem[]; problems: string[] };
  'sessions.get': SessionDetail;
  'round.start': RoundStarted;
  'loops.start': LoopRunView;
  'loops.get': LoopRunView;
  'loops.debrief': LoopRunView;
  'round.audio': null;
  'round.vad': null;
  'round.control': null;
  'round.playback': null;
  'round.end': { summary: RoundSummary };
}

export type ApiMethod = keyof typeof apiRequests;
export type ApiRequest<M extends ApiMethod> = z.input<(typeof apiRequests)[M]>;
export type ApiParsedRequest<M extends ApiMethod> = z.output<(typeof apiRequests)[M]>;

/** Pushed from the backend to the renderer that started the round. */
export interface ApiEvent {
  sessionId: string;
  event: RoundEvent;
}

export type ApiErrorCode = 'bad-request' | 'not-found' | 'forbidden' | 'failed';

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiRequests, name);
}
