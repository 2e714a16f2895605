import type { Turn } from '../core/transcript';
import type { WorkspaceView } from '../core/workspace';
import type { ApiParsedRequest, ApiResponses, ProviderStatus } from '../api/contract';
import type { CallContext } from '../api/dispatcher';
import { realtimeConnectSources } from '../core/contentSecurityPolicy';
import type { RoundPack } from '../core/roundPack';
import type { Settings } from '../core/settings';
import { millis } from '../core/units';
import type { UsageRecord } from '../core/usage';
import type { LiveRoundDeps } from '../engine/liveRound';
import { RealtimeRound } from '../engine/realtimeRound';
import type { RoundEvent } from '../engine/events';
import type { RoundController } from '../engine/roundController';
import { createOpenAIClient } from '../providers/openai/openaiClient';
import { OpenAIRealtimeVoice } from '../providers/openai/realtime/openaiRealtimeVoice';
import { mintRealtimeClientSecret } from '../providers/openai/realtime/realtimeClientSecret';
import {
  RelayedRealtimeVoice,
  type RelayCall,
} from '../providers/openai/realtime/relayedRealtimeVoice';
import {
  buildRealtimeSession,
  realtimeCallsUrl,
} from '../providers/openai/realtime/realtimeSessionConfig';
import { defaultRetryPolicy, type RetryPolicy } from '../providers/resilience/retryPolicy';
import type { ProviderEnvironment } from './providerSelection';
import { recordingAudio } from './roundSetup';

/**
 * Setting up a speech-to-speech round: whether the settings ask for one and a key allows
 * it, the session.json fields that say so, and the round itself. Without a key the
 * round stays on the cascade (the embedded offline default), as `auto` does.
 */

/** Where OpenAI's own API lives, when neither the settings nor the environment name a server. */
const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface RealtimePlan {
  apiKey: string;
  baseURL: string;
  model: string;
  transcriptionModel: string | null;
  /** WebRTC from the renderer (the backend relays events), or a WebSocket from here. */
  transport: 'webrtc' | 'websocket';
  settings: Settings;
}

/**
 * WebRTC in the desktop window (unless set to `websocket`); browser mode keeps the
 * backend's WebSocket whatever the setting, as its page policy admits no API origin.
 */
export function realtimeTransport(
  settings: Settings,
  mode: 'electron' | 'browser',
): 'webrtc' | 'websocket' {
  if (mode === 'browser') return 'websocket';
  return settings.realtime.transport === 'websocket' ? 'websocket' : 'webrtc';
}

export function realtimePlan(
  settings: Settings,
  env: ProviderEnvironment,
  mode: 'electron' | 'browser' = 'browser',
): RealtimePlan | null {
  if (settings.realtime.mode !== 'realtime' || !env.apiKey) return null;
  return {
    transport: realtimeTransport(settings, mode),
    apiKey: env.apiKey,
    baseURL: settings.openai.baseUrl || env.envBaseUrl || OPENAI_BASE_URL,
    model: settings.realtime.model,
    // "None" for speech-to-text means no transcript here too.
    transcriptionModel:
      settings.providers.stt === 'none' ? null : settings.openai.transcriptionModel,
    settings,
  };
}

/** What the screen and session.json say is in use. */
export function describeRealtime(plan: RealtimePlan): ProviderStatus {
  return {
    stt: plan.transcriptionModel
      ? { kind: 'openai-realtime', model: plan.transcriptionModel }
      : null,
    interviewer: { kind: 'openai-realtime', model: plan.model },
    tts: { kind: 'openai-realtime', model: plan.model },
  };
}

export function realtimeRecordingFields(plan: RealtimePlan) {
  const described = describeRealtime(plan);
  return {
    providers: {
      stt: described.stt,
      interviewer: described.interviewer,
      tts: described.tts,
    },
    transcriptAvailable: plan.transcriptionModel !== null,
    audio: recordingAudio(),
  };
}

/** The same ports as a cascade round (recorder, journal, events, end), another engine. */
export function createRealtimeRound(
  plan: RealtimePlan,
  deps: Pick<
    LiveRoundDeps,
    | 'pack'
    | 'clock'
    | 'recorder'
    | 'journal'
    | 'emit'
    | 'memory'
    | 'elapsedOffsetMs'
    | 'onFinished'
    | 'allowInterruptions'
  >,
  onUsage: (usage: UsageRecord) => void,
  retryPolicy: RetryPolicy = defaultRetryPolicy,
  /** A resumed round: the turns said before it was cut off. */
  priorTurns: readonly Turn[] = [],
  /** Coding and design rounds: the pad or board for the instructions. */
  workspaceView?: (turns: readonly Turn[]) => WorkspaceView,
): RoundController {
  const s = plan.settings;
  const relay =
    plan.transport === 'webrtc'
      ? new RelayedRealtimeVoice({
          model: plan.model,
          transcriptionModel: plan.transcriptionModel,
          baseURL: plan.baseURL,
          connectTimeoutMs: s.openai.timeoutMs,
          mintCall: (instructions, signal) =>
            mintCall(plan, deps.pack, instructions, deps.allowInterruptions, signal),
          send: (relay) => deps.emit({ type: 'realtime-relay', relay } satisfies RoundEvent),
        })
      : null;
  return new RealtimeRound({
    pack: deps.pack,
    clock: deps.clock,
    recorder: deps.recorder,
    journal: deps.journal,
    emit: deps.emit,
    onFinished: deps.onFinished,
    allowInterruptions: deps.allowInterruptions,
    ...(deps.memory ? { memory: deps.memory } : {}),
    ...(deps.elapsedOffsetMs !== undefined ? { elapsedOffsetMs: deps.elapsedOffsetMs } : {}),
    ...(priorTurns.length > 0 ? { priorTurns } : {}),
    ...(workspaceView ? { workspaceView } : {}),
    ...(relay ? { relay } : {}),
    voice:
      relay ??
      new OpenAIRealtimeVoice({
        apiKey: plan.apiKey,
        baseURL: plan.baseURL,
        model: plan.model,
        transcriptionModel: plan.transcriptionModel,
        turnDetection: s.realtime,
        connectTimeoutMs: s.openai.timeoutMs,
      }),
    retryPolicy,
    responseStallMs: millis(s.openai.timeoutMs),
    onUsage,
  });
}

/**
 * A client secret for a WebRTC call whose session is configured here, in the backend:
 * persona instructions, voice, transcription and turn detection. The API key stays here.
 */
export async function mintCall(
  plan: RealtimePlan,
  pack: RoundPack,
  instructions: string,
  /** The candidate may cut the interviewer off (the server then stops the voice itself). */
  serverInterrupts: boolean,
  signal?: AbortSignal,
): Promise<RelayCall> {
  const settings = plan.settings;
  const session = buildRealtimeSession({
    model: plan.model,
    instructions,
    voice: pack.persona.voice.openai,
    transcriptionModel: plan.transcriptionModel,
    turnDetection: settings.realtime,
    serverInterrupts,
  });
  const client = createOpenAIClient({
    apiKey: plan.apiKey,
    baseURL: plan.baseURL,
    timeoutMs: settings.openai.timeoutMs,
  });
  const secret = await mintRealtimeClientSecret(client, session, signal);
  return {
    clientSecret: secret.value,
    expiresAt: secret.expiresAt,
    callsUrl: realtimeCallsUrl(plan.baseURL),
    model: plan.model,
  };
}

/**
 * What the renderer must be allowed to connect to (its CSP): the API origin when rounds
 * run over WebRTC, nothing otherwise.
 */
export function rendererConnectSources(
  settings: Settings,
  env: ProviderEnvironment,
  mode: 'electron' | 'browser',
): string[] {
  const plan = realtimePlan(settings, env, mode);
  if (!plan || plan.transport !== 'webrtc') return [];
  return realtimeConnectSources(settings.realtime, plan.baseURL);
}

/**
 * The WebRTC path's backend method: `realtime.events` (what the renderer's call received,
 * for the round's relay voice; only the window that owns the round may report). Secrets
 * are minted only inside a running round (RelayedRealtimeVoice), never on request.
 */
export function realtimeHandlers(deps: {
  /** The running round, checked to belong to the caller (as for round.* methods). */
  owned(sessionId: string, context: CallContext): RoundController;
}) {
  return {
    'realtime.events': async (
      {
        sessionId,
        connection,
        events,
        mediaStartedAtMs,
        closed,
      }: ApiParsedRequest<'realtime.events'>,
      context: CallContext,
    ): Promise<ApiResponses['realtime.events']> => {
      const round = deps.owned(sessionId, context);
      round.realtimeEvents?.({
        connection,
        events,
        ...(mediaStartedAtMs !== undefined ? { mediaStartedAtMs } : {}),
        ...(closed ? { closed } : {}),
      });
      return null;
    },
  };
}
