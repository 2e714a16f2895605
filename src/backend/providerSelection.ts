import type { ProviderStatus } from '../api/contract';
import type { RoundPack } from '../core/roundPack';
import type { Settings } from '../core/settings';
import type { UsageRecord } from '../core/usage';
import { FliteTextToSpeech, type FliteRunner } from '../providers/embedded/fliteTextToSpeech';
import { ScriptedInterviewer } from '../providers/embedded/scriptedInterviewer';
import { createOpenAIClient } from '../providers/openai/openaiClient';
import { OpenAIInterviewer } from '../providers/openai/openaiInterviewer';
import { OpenAISpeechToText } from '../providers/openai/openaiSpeechToText';
import { openRealtimeTranscription } from '../providers/openai/realtime/openaiRealtimeTranscription';
import { OpenAITextToSpeech } from '../providers/openai/openaiTextToSpeech';
import {
  FakeInterviewer,
  FakeSpeechToText,
  FakeTextToSpeech,
} from '../providers/testing/fakeProviders';
import {
  FakeStreamingTranscriber,
  fakeProfileFromEnv,
  SegmentSpeechToText,
  voiceFromProfile,
} from '../providers/testing/fakeProfile';
import { ResilientInterviewer } from '../providers/resilience/resilientInterviewer';
import { ResilientSpeechToText } from '../providers/resilience/resilientSpeechToText';
import { StreamingLiveTranscriber } from '../providers/resilience/streamingTranscriber';
import { ResilientTextToSpeech } from '../providers/resilience/resilientTextToSpeech';
import {
  defaultRetryPolicy,
  type RetryPolicy,
  type StatusListener,
} from '../providers/resilience/retryPolicy';
import { BatchLiveTranscriber } from '../providers/batchLiveTranscriber';
import { LocalSpeechToText } from '../providers/local/localSpeechToText';
import type { WhisperRunner } from '../providers/local/whisperRunner';
import type { Interviewer, LiveTranscriber, SpeechToText, TextToSpeech } from '../providers/types';

export interface ProviderEnvironment {
  /** The API key, when one is set; read in the backend only. */
  apiKey: string | undefined;
  /** OPENAI_BASE_URL from the environment, when set. */
  envBaseUrl: string | undefined;
  /** Speech recognition models installed on this computer (storage/modelStore.ts). */
  localModels?: readonly { id: string; path: string }[];
}

/** The local model a round would use: the one chosen in Settings, else the first installed. */
export function localModelFor(settings: Settings, env: ProviderEnvironment) {
  const all = env.localModels ?? [];
  return all.find((m) => m.id === settings.local.sttModel) ?? all[0] ?? null;
}

export interface RoundProviders {
  /** Hears the candidate piece by piece as they speak; null: no transcript. */
  stt: LiveTranscriber | null;
  interviewer: Interviewer;
  tts: TextToSpeech;
}

type Resolved = 'openai' | 'embedded' | 'local' | 'fake' | 'none';

/**
 * `auto` picks the OpenAI-compatible cascade when a key is present and the embedded
 * offline default otherwise — for speech-to-text, whisper.cpp on this computer once a
 * model is installed. An explicit `openai` also works without a key when a base URL points
 * at a local server (Ollama, LM Studio, vLLM…), which usually needs none; an explicit
 * `local` without an installed model runs without a transcript.
 */
export function resolveChoices(settings: Settings, env: ProviderEnvironment) {
  const hasKey = Boolean(env.apiKey);
  const pick = (choice: string, offline: Resolved): Resolved =>
    choice === 'auto' ? (hasKey ? 'openai' : offline) : (choice as Resolved);
  const local = localModelFor(settings, env) !== null;
  const stt = pick(settings.providers.stt, local ? 'local' : 'none');
  return {
    stt: stt === 'local' && !local ? 'none' : stt,
    interviewer: pick(settings.providers.interviewer, 'embedded'),
    tts: pick(settings.providers.tts, 'embedded'),
  };
}

export function describeProviders(settings: Settings, env: ProviderEnvironment): ProviderStatus {
  const c = resolveChoices(settings, env);
  const o = settings.openai;
  const named = (kind: Resolved, openaiModel: string, embeddedModel: string) =>
    kind === 'openai'
      ? { kind, model: openaiModel }
      : kind === 'embedded'
        ? { kind, model: embeddedModel }
        : { kind };
  return {
    stt:
      c.stt === 'none'
        ? null
        : c.stt === 'local'
          ? { kind: 'local', model: localModelFor(settings, env)?.id ?? '' }
          : named(c.stt, o.transcriptionModel, ''),
    interviewer: named(c.interviewer, o.interviewerModel, 'scripted plan'),
    tts: named(c.tts, o.speechModel, 'flite (WASM)'),
  };
}

/** The processes the offline providers run in (given by the backend that owns them). */
export interface OfflineEngines {
  /** Where the embedded voice runs (a child process in browser mode). */
  fliteRunner?: FliteRunner;
  /** The local speech recognition host (one per backend, the model stays loaded). */
  whisper?: WhisperRunner;
}

export interface ResilienceOptions extends OfflineEngines {
  onStatus: StatusListener;
  policy?: RetryPolicy;
  /** Usage the model providers report, for the cost meter. */
  onUsage?: (usage: UsageRecord) => void;
}

export function createRoundProviders(
  settings: Settings,
  env: ProviderEnvironment,
  pack: RoundPack,
  resilience: ResilienceOptions = { onStatus: () => undefined },
): RoundProviders {
  const c = resolveChoices(settings, env);
  const o = settings.openai;
  let client: ReturnType<typeof createOpenAIClient> | undefined;
  const openai = () =>
    (client ??= createOpenAIClient({
      // Local servers usually take any key; the SDK insists on one.
      apiKey: env.apiKey || (o.baseUrl || env.envBaseUrl ? 'local-server' : undefined),
      baseURL: o.baseUrl || env.envBaseUrl,
      timeoutMs: o.timeoutMs,
    }));

  const fakeTranscripts = pack.questions.map(
    (q) => `${q.strongAnswer.map((c) => c.text).join('. ')}.`,
  );
  // A benchmark sets the fakes' delays, words and voice (MOCKLOOP_FAKE_PROFILE).
  const profile = [c.stt, c.interviewer, c.tts].includes('fake') ? fakeProfileFromEnv() : null;
  const fakeReplies = profile?.replies ?? pack.questions.map((q) => q.prompt);
  const fixed = (ms: number | undefined): [number, number] => [ms ?? 0, ms ?? 0];

  // Model providers retry visibly and, when allowed, hand a stage to the embedded one.
  const policy = resilience.policy ?? defaultRetryPolicy;
  const { onStatus } = resilience;
  const fallback = settings.providers.fallbackToEmbedded;
  const flite = resilience.fliteRunner ? { runner: resilience.fliteRunner } : {};
  const usage = resilience.onUsage ? { onUsage: resilience.onUsage } : {};

  const batch: SpeechToText | null =
    c.stt === 'openai'
      ? new ResilientSpeechToText(
          new OpenAISpeechToText({ client: openai(), model: o.transcriptionModel, ...usage }),
          policy,
          onStatus,
        )
      : c.stt === 'local'
        ? localSpeechToText(settings, env, resilience.whisper)
        : c.stt === 'fake' && !profile?.sttStream
          ? profile?.candidateTurns
            ? new SegmentSpeechToText(
                profile.candidateTurns,
                profile.sttMs ?? 0,
                profile.seed,
                resilience.onUsage,
              )
            : new FakeSpeechToText(fakeTranscripts, { firstMs: fixed(profile?.sttMs) })
          : null;
  const stt: LiveTranscriber | null =
    c.stt === 'openai' && batch && o.streamingTranscription === 'auto'
      ? new StreamingLiveTranscriber(
          batch.info,
          (signal) =>
            openRealtimeTranscription(
              {
                apiKey: openai().apiKey ?? '',
                baseURL: openai().baseURL,
                model: o.transcriptionModel,
                connectTimeoutMs: o.timeoutMs,
                requestTimeoutMs: o.timeoutMs,
                ...usage,
              },
              signal,
            ),
          batch,
          policy,
          onStatus,
        )
      : c.stt === 'fake' && profile?.sttStream
        ? new FakeStreamingTranscriber(
            profile.candidateTurns ?? [fakeTranscripts],
            profile.candidateSegmentMs,
            profile.sttStream,
            resilience.onUsage,
          )
        : batch
          ? new BatchLiveTranscriber(batch)
          : null;
  const interviewer: Interviewer =
    c.interviewer === 'openai'
      ? new ResilientInterviewer(
          new OpenAIInterviewer({ client: openai(), model: o.interviewerModel, ...usage }),
          fallback ? new ScriptedInterviewer() : null,
          policy,
          onStatus,
        )
      : c.interviewer === 'fake'
        ? new FakeInterviewer(fakeReplies, {
            firstMs: fixed(profile?.interviewerFirstMs),
            stepMs: fixed(profile?.interviewerStepMs),
          })
        : new ScriptedInterviewer();
  const tts: TextToSpeech =
    c.tts === 'openai'
      ? new ResilientTextToSpeech(
          new OpenAITextToSpeech({ client: openai(), model: o.speechModel, ...usage }),
          fallback ? new FliteTextToSpeech(flite) : null,
          policy,
          onStatus,
        )
      : c.tts === 'fake'
        ? new FakeTextToSpeech(
            profile?.ttsMsPerChar,
            { firstMs: fixed(profile?.ttsFirstMs) },
            voiceFromProfile(profile),
          )
        : new FliteTextToSpeech(flite);
  return { stt, interviewer, tts };
}

function localSpeechToText(
  settings: Settings,
  env: ProviderEnvironment,
  host: WhisperRunner | undefined,
): SpeechToText | null {
  const model = localModelFor(settings, env);
  // No host: this build cannot run whisper.cpp (the backend then lists no local models).
  if (!model || !host) return null;
  return new LocalSpeechToText({
    host,
    modelPath: model.path,
    modelId: model.id,
  });
}
