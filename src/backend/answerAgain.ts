import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ReplayResponses } from '../api/replayContract';
import { ApiError, type CallContext } from '../api/dispatcher';
import { RECORDING_CHANNELS, SAMPLE_RATE } from '../core/audioFormat';
import { singleQuestionPack } from '../core/questionBlocks';
import { roundDurationMinutes } from '../core/roundPack';
import { millis } from '../core/units';
import { AnswerAgainInterviewer } from '../engine/answerAgainInterviewer';
import type { RoundEvent } from '../engine/events';
import { LiveRound } from '../engine/liveRound';
import type { AttemptStore } from '../storage/attemptStore';
import { writePeaksFile } from '../storage/peaksFile';
import { loadRoundPacks } from '../storage/roundPackLoader';
import { createRoundProviders, describeProviders } from './providerSelection';
import { RecordingPeaks } from './recordingPeaks';
import type { ReplayDeps } from './replayBackend';
import { SessionRecorder } from './sessionRecorder';

const LATE_CALLS_GRACE_MS = 10_000;

/**
 * Starts a live answer-again attempt: the session's round pack cut down to the one
 * question (core/questionBlocks.ts), the same providers a new round would use with the
 * interviewer wrapped so it asks that question, takes one follow-up at most and closes
 * (engine/answerAgainInterviewer.ts). It is recorded into
 * `<session>/attempts/<n>/` by the AttemptStore and driven by the ordinary round.*
 * methods under the key returned as `sessionId`.
 */
export async function startAttempt(
  deps: ReplayDeps & { attempts: AttemptStore },
  request: { sessionId: string; questionId: string },
  context: CallContext,
  onLive: (key: string, attempt: number) => void,
): Promise<ReplayResponses['attempts.start']> {
  const original = await deps.sessions.get(request.sessionId);
  if (original.status === 'recording') {
    throw new ApiError(
      'failed',
      'This round is still being recorded; answer again once it has ended.',
    );
  }
  const { packs } = await loadRoundPacks(deps.promptsDir);
  const fullPack = packs.find((p) => p.id === original.round.packId);
  if (!fullPack) {
    throw new ApiError(
      'not-found',
      `The round pack "${original.round.packId}" of this session is not installed any more, so its questions cannot be asked again.`,
    );
  }
  const pack = singleQuestionPack(fullPack, request.questionId);
  const question = pack?.questions[0];
  if (!pack || !question) {
    throw new ApiError('not-found', `The round pack has no question "${request.questionId}".`);
  }
  const settings = await deps.loadSettings();
  const env = deps.environment();
  const pending: RoundEvent[] = [];
  let emitRound: (event: RoundEvent) => void = (event) => pending.push(event);
  const providers = createRoundProviders(settings, env, pack, {
    onStatus: (status) =>
      emitRound({
        type: 'provider-status',
        stage: status.stage,
        state: status.state,
        message: status.message,
      }),
  });
  const interviewer = new AnswerAgainInterviewer(providers.interviewer, question);
  const budgetMs = roundDurationMinutes(pack) * 60_000;
  const { attempt, record } = await deps.attempts.create(request.sessionId, {
    round: { ...original.round, budgetMs },
    persona: original.persona,
    providers: {
      stt: providers.stt ? { ...providers.stt.info } : null,
      interviewer: { ...interviewer.info },
      tts: { ...providers.tts.info },
    },
    transcriptAvailable: providers.stt !== null,
    audio: {
      file: 'audio.wav',
      sampleRate: SAMPLE_RATE,
      channels: RECORDING_CHANNELS,
      channelLayout: ['candidate', 'interviewer'],
    },
    attemptOf: { sessionId: request.sessionId, questionId: question.id },
  });
  const key = attemptKey(request.sessionId, attempt, randomBytes(4).toString('hex'));
  const store = deps.attempts.storeFor(request.sessionId);
  const emit = context.emit;
  emitRound = (event) => emit({ sessionId: key, event });
  pending.splice(0).forEach(emitRound);

  const writer = await store.openRecording(record.id);
  const dir = join(store.sessionsDir, record.id);
  const recorder = new SessionRecorder(
    writer,
    (error) =>
      emitRound({
        type: 'notice',
        level: 'error',
        message: `Recording stopped: ${error instanceof Error ? error.message : String(error)}`,
      }),
    new RecordingPeaks(RECORDING_CHANNELS, SAMPLE_RATE, (peaks) => writePeaksFile(dir, peaks)),
  );
  const round = new LiveRound({
    pack,
    clock: deps.clock,
    ...providers,
    interviewer,
    recorder,
    journal: {
      appendTurn: (turn) => store.appendTurn(record.id, turn),
      appendNotes: (notes) => store.appendNotes(record.id, notes),
    },
    endOfTurnSilenceMs: millis(settings.turnTaking.endOfTurnSilenceMs),
    allowInterruptions: settings.turnTaking.allowInterruptions,
    emit: (event) => emitRound(event),
    onFinished: async ({ reason, summary }) => {
      // The attempt ends by itself after the closing line, while the page is still
      // sending its last audio; those calls are ignored by the finished round rather than
      // refused as "not running".
      deps.clock.after(millis(LATE_CALLS_GRACE_MS), () => deps.unregister(key));
      await store.finish(record.id, {
        status: reason === 'disconnected' ? 'interrupted' : 'complete',
        endReason: reason,
        durationMs: summary.durationMs,
      });
    },
  });
  onLive(key, attempt);
  deps.register(key, round, context.clientId);
  round.start();
  return {
    sessionId: key,
    budgetMs,
    persona: original.persona,
    providers: describeProviders(settings, env),
    transcriptAvailable: providers.stt !== null,
    attempt,
  };
}

/** The running-round key of attempt n of a session (a valid session id, as round.* expect). */
export function attemptKey(sessionId: string, attempt: number, random: string): string {
  const readable = `${sessionId}_a${attempt}`;
  return readable.length <= 80 ? readable : `a${attempt}_${random}`;
}
