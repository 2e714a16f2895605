import { RECORDING_CHANNELS, SAMPLE_RATE } from '../core/audioFormat';
import type { RoundPack } from '../core/roundPack';
import type { Settings } from '../core/settings';
import { DEFAULT_PRICES, UsageMeter, type UsageRecord, type UsageSummary } from '../core/usage';
import { millis } from '../core/units';
import type { RoundEvent } from '../engine/events';
import type { LiveRoundDeps } from '../engine/liveRound';
import { writePeaksFile } from '../storage/peaksFile';
import type { WavStreamWriter } from '../storage/wavStreamWriter';
import {
  createRoundProviders,
  type OfflineEngines,
  type ProviderEnvironment,
  type RoundProviders,
} from './providerSelection';
import { RecordingPeaks } from './recordingPeaks';
import { SessionRecorder } from './sessionRecorder';

/**
 * What every live round (a new round, an answer-again attempt) is set up with, in one
 * place so the two cannot drift apart.
 */

/**
 * A round's events go to the page that started it, but the providers may report status
 * before the session exists: events wait here until `connect` names where they go.
 */
export function roundEvents() {
  const pending: RoundEvent[] = [];
  let sink: ((event: RoundEvent) => void) | null = null;
  return {
    emit(event: RoundEvent): void {
      if (sink) sink(event);
      else pending.push(event);
    },
    connect(next: (event: RoundEvent) => void): void {
      sink = next;
      pending.splice(0).forEach(next);
    },
  };
}

export function providersFor(
  settings: Settings,
  env: ProviderEnvironment,
  pack: RoundPack,
  emit: (event: RoundEvent) => void,
  engines: OfflineEngines,
  onUsage?: (usage: UsageRecord) => void,
): RoundProviders {
  return createRoundProviders(settings, env, pack, {
    ...engines,
    ...(onUsage ? { onUsage } : {}),
    onStatus: (status) =>
      emit({
        type: 'provider-status',
        stage: status.stage,
        state: status.state,
        message: status.message,
      }),
  });
}

/** The session.json fields that say how the round is recorded and by whom. */
export function recordingFields(
  providers: RoundProviders,
  interviewerInfo = providers.interviewer.info,
) {
  return {
    providers: {
      stt: providers.stt ? { ...providers.stt.info } : null,
      interviewer: { ...interviewerInfo },
      tts: { ...providers.tts.info },
    },
    transcriptAvailable: providers.stt !== null,
    audio: recordingAudio(),
  };
}

/** session.json's `audio`: the stereo recording every round writes (candidate left). */
export function recordingAudio() {
  return {
    file: 'audio.wav',
    sampleRate: SAMPLE_RATE,
    channels: RECORDING_CHANNELS as 2,
    channelLayout: ['candidate', 'interviewer'] as ['candidate', 'interviewer'],
  };
}

/** Streams the audio to disk, with peaks for the replay, and says so if recording stops. */
export function sessionRecorder(
  writer: WavStreamWriter,
  sessionDir: string,
  emit: (event: RoundEvent) => void,
): SessionRecorder {
  return new SessionRecorder(
    writer,
    (error) =>
      emit({
        type: 'notice',
        level: 'error',
        message: `Recording stopped: ${error instanceof Error ? error.message : String(error)}`,
      }),
    new RecordingPeaks(RECORDING_CHANNELS, SAMPLE_RATE, (peaks) =>
      writePeaksFile(sessionDir, peaks),
    ),
  );
}

export function turnTakingFrom(
  settings: Settings,
): Pick<
  LiveRoundDeps,
  'endOfTurnSilenceMs' | 'unfinishedSilenceMs' | 'allowInterruptions' | 'bargeInConfirmMs'
> {
  return {
    endOfTurnSilenceMs: millis(settings.turnTaking.endOfTurnSilenceMs),
    unfinishedSilenceMs: millis(settings.turnTaking.unfinishedSilenceMs),
    allowInterruptions: settings.turnTaking.allowInterruptions,
    bargeInConfirmMs: millis(settings.turnTaking.bargeInConfirmMs),
  };
}

/**
 * The round's cost meter: prices what the providers report (the user's table over the
 * built-in one), shows it live, and asks the round to wrap up once the budget is spent.
 */
export function costMeter(
  settings: Settings,
  emit: (event: RoundEvent) => void,
  onBudgetSpent: () => void,
) {
  const meter = new UsageMeter({ ...DEFAULT_PRICES, ...settings.costs.prices });
  const budget = settings.costs.budgetUsd;
  let spent = false;
  return {
    record(usage: UsageRecord): void {
      meter.add(usage);
      const summary = meter.summary();
      emit({ type: 'usage', usage: summary });
      if (budget > 0 && !spent && summary.costUsd >= budget) {
        spent = true;
        onBudgetSpent();
      }
    },
    summary: (): UsageSummary => meter.summary(),
  };
}
