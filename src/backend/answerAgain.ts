import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ReplayResponses } from '../api/replayContract';
import { ApiError, type CallContext } from '../api/dispatcher';
import { singleQuestionPack } from '../core/questionBlocks';
import { roundDurationMinutes } from '../core/roundPack';
import { millis } from '../core/units';
import { AnswerAgainInterviewer } from '../engine/answerAgainInterviewer';
import { LiveRound } from '../engine/liveRound';
import type { AttemptStore } from '../storage/attemptStore';
import { loadRoundPacks } from '../storage/roundPackLoader';
import { describeProviders } from './providerSelection';
import type { ReplayDeps } from './replayDeps';
import {
  providersFor,
  recordingFields,
  roundEvents,
  sessionRecorder,
  turnTakingFrom,
} from './roundSetup';

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
  const events = roundEvents();
  const providers = providersFor(settings, env, pack, events.emit, deps.engines);
  const interviewer = new AnswerAgainInterviewer(providers.interviewer, question);
  const budgetMs = roundDurationMinutes(pack) * 60_000;
  const { attempt, record } = await deps.attempts.create(request.sessionId, {
    round: { ...original.round, budgetMs },
    persona: original.persona,
    ...recordingFields(providers, interviewer.info),
    attemptOf: { sessionId: request.sessionId, questionId: question.id },
  });
  const key = attemptKey(request.sessionId, attempt, randomBytes(4).toString('hex'));
  const store = deps.attempts.storeFor(request.sessionId);
  const emit = context.emit;
  events.connect((event) => emit({ sessionId: key, event }));

  const recorder = sessionRecorder(
    await store.openRecording(record.id),
    join(store.sessionsDir, record.id),
    events.emit,
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
    ...turnTakingFrom(settings),
    emit: events.emit,
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
    allowInterruptions: settings.turnTaking.allowInterruptions,
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
