import type { ApiParsedRequest } from '../api/contract';
import { ApiError, type CallContext } from '../api/dispatcher';
import type {
  AttemptComparison,
  AttemptInfo,
  CompareSide,
  ReplayData,
  ReplayQuestion,
  ReplayResponses,
} from '../api/replayContract';
import { clampSpan } from '../core/annotations';
import { conceptCoverage } from '../core/conceptCoverage';
import { mediaPath } from '../core/mediaPaths';
import { int16ToBytes, type Peaks } from '../core/peaks';
import { candidateText, questionBlocks, type QuestionBlock } from '../core/questionBlocks';
import type { Question, RoundPack } from '../core/roundPack';
import type { SessionRecord } from '../core/session';
import { computeRoundSummary } from '../core/summary';
import { AnnotationsStore } from '../storage/annotationsStore';
import { AttemptStore } from '../storage/attemptStore';
import { loadOrComputePeaks } from '../storage/peaksFile';
import { loadRoundPacks } from '../storage/roundPackLoader';
import { sessionDirectory } from '../storage/sessionPaths';
import { StorageError } from '../storage/storageError';
import { startAttempt } from './answerAgain';
import type { ReplayDeps } from './replayDeps';

const PACKS_TTL_MS = 5000;

export type { ReplayDeps } from './replayDeps';

type ReplayMethod = keyof ReplayResponses;
type ReplayHandlers = {
  [M in ReplayMethod]: (
    request: ApiParsedRequest<M>,
    context: CallContext,
  ) => Promise<ReplayResponses[M]>;
};

/**
 * The replay's side of the backend: a session opened for replay (peaks, notes, questions,
 * attempts), notes, answer-again attempts and comparison (exports: exportBackend.ts). Shared by both
 * transports through MockloopService.
 */
export class ReplayBackend {
  readonly annotations: AnnotationsStore;
  readonly attempts: AttemptStore;
  /** One peaks computation per recording at a time, however many windows open it. */
  private readonly peaksInFlight = new Map<string, Promise<{ peaks: Peaks }>>();
  /** Live attempts: their key in the running rounds → where their record is. */
  private readonly liveAttempts = new Map<string, { sessionId: string; attempt: number }>();
  private packs: { at: number; loading: ReturnType<typeof loadRoundPacks> } | null = null;

  constructor(private readonly deps: ReplayDeps) {
    this.annotations = new AnnotationsStore(deps.sessions.sessionsDir);
    this.attempts = new AttemptStore(deps.sessions.sessionsDir);
  }

  readonly handlers: ReplayHandlers = {
    'replay.open': ({ id }) => this.open(id),
    'annotations.add': async ({ sessionId, ...input }) => {
      const session = await this.deps.sessions.get(sessionId);
      const span = clampSpan(input.startMs, input.endMs, session.durationMs);
      return this.annotations.add(sessionId, { ...input, ...span });
    },
    'annotations.update': async ({ sessionId, id, revision, ...patch }) => {
      if (patch.startMs !== undefined && patch.endMs !== undefined && patch.endMs < patch.startMs) {
        throw new ApiError('bad-request', 'A note cannot end before it starts.');
      }
      return this.annotations.update(sessionId, id, revision, patch);
    },
    'annotations.delete': async ({ sessionId, id }) => {
      await this.annotations.remove(sessionId, id);
      return null;
    },
    'attempts.start': async ({ sessionId, questionId }, context) => {
      const started = await startAttempt(
        { ...this.deps, attempts: this.attempts },
        { sessionId, questionId },
        context,
        (key, attempt) => this.liveAttempts.set(key, { sessionId, attempt }),
      );
      return started;
    },
    'attempts.compare': ({ sessionId, attempt }) => this.compare(sessionId, attempt),
  };

  /** The record behind a running round's key, when the round is an answer-again attempt. */
  async liveRecord(key: string): Promise<SessionRecord | null> {
    // Kept after the attempt ends: round.end asks for the record once the round has finished.
    const live = this.liveAttempts.get(key);
    if (!live) return null;
    return this.attempts.get(live.sessionId, live.attempt).catch(() => null);
  }

  /** Startup: repairs attempts cut off by a crash. */
  async recover(sessionIds: readonly string[]): Promise<string[]> {
    return this.attempts.recoverInterrupted(sessionIds);
  }

  mediaUrl(sessionId: string, attempt?: number): string {
    const path = mediaPath(sessionId, attempt);
    // Electron's page may come from Vite's dev server, so the scheme is spelled out there.
    return this.deps.mode === 'electron' ? `mockloop://app${path}` : path;
  }

  private async open(id: string): Promise<ReplayData> {
    const session = await this.deps.sessions.get(id);
    const dir = sessionDirectory(this.deps.sessions.sessionsDir, id);
    const audio =
      session.status === 'recording'
        ? Promise.resolve({
            peaks: null,
            problem: 'This round is still being recorded; its replay opens once it has ended.',
          })
        : this.peaksFor(dir, session.audio.file).then(
            ({ peaks }) => ({ peaks, problem: null }),
            (err: unknown) => ({
              peaks: null,
              problem:
                err instanceof StorageError && err.code === 'not-found'
                  ? 'This session has no recording.'
                  : `The recording cannot be shown: ${err instanceof Error ? err.message : String(err)}`,
            }),
          );
    const [{ peaks, problem: audioProblem }, notes, pack, attempts] = await Promise.all([
      audio,
      this.annotations.list(id),
      this.packOf(session),
      this.attemptInfos(id),
    ]);
    return {
      session,
      summary: computeRoundSummary(session.turns, session.durationMs),
      audioUrl: peaks ? this.mediaUrl(id) : null,
      peaks: peaks
        ? {
            sampleRate: peaks.sampleRate,
            samplesPerPeak: peaks.samplesPerPeak,
            frames: peaks.frames,
            length: peaks.length,
            channels: peaks.data.map(int16ToBytes),
          }
        : null,
      audioProblem,
      annotations: notes.annotations,
      annotationsProblem: notes.problem,
      questions: this.questions(session, pack),
      attempts,
    };
  }

  private peaksFor(dir: string, audioFile: string): Promise<{ peaks: Peaks }> {
    let running = this.peaksInFlight.get(dir);
    if (!running) {
      running = loadOrComputePeaks(dir, audioFile).finally(() => this.peaksInFlight.delete(dir));
      this.peaksInFlight.set(dir, running);
    }
    return running;
  }

  private async packOf(session: SessionRecord): Promise<RoundPack | null> {
    // Packs are YAML parsed on every load; opening replays one after another reuses them
    // for a few seconds (an edited pack shows up on the next open after that).
    const now = Date.now();
    if (!this.packs || now - this.packs.at > PACKS_TTL_MS) {
      this.packs = { at: now, loading: loadRoundPacks(this.deps.promptsDir) };
      this.packs.loading.catch(() => (this.packs = null));
    }
    const { packs } = await this.packs.loading;
    return packs.find((p) => p.id === session.round.packId) ?? null;
  }

  private blocks(session: SessionRecord): QuestionBlock[] {
    return questionBlocks(session.turns, {
      untaggedEndsBlock: session.providers.interviewer.kind === 'embedded',
    });
  }

  private questions(session: SessionRecord, pack: RoundPack | null): ReplayQuestion[] {
    return this.blocks(session).map((block) => {
      const question = pack?.questions.find((q) => q.id === block.questionId);
      const asked = block.turns.find((t) => t.speaker === 'interviewer');
      return {
        id: block.questionId,
        topic: question?.topic ?? block.questionId,
        prompt: question?.prompt ?? asked?.text ?? '',
        askedAtMs: block.startMs,
        endMs: block.endMs,
        canAnswerAgain: question !== undefined && session.status !== 'recording',
      };
    });
  }

  private async attemptInfos(sessionId: string): Promise<AttemptInfo[]> {
    const { attempts } = await this.attempts.list(sessionId);
    const records = await Promise.all(
      attempts.map((a) => this.attempts.get(sessionId, Number(a.id)).catch(() => null)),
    );
    return attempts.map((a, i) => ({
      attempt: Number(a.id),
      questionId: records[i]?.attemptOf?.questionId ?? null,
      createdAt: a.createdAt,
      status: a.status,
      durationMs: a.durationMs,
    }));
  }

  private async compare(sessionId: string, attempt: number): Promise<AttemptComparison> {
    const session = await this.deps.sessions.get(sessionId);
    const record = await this.attempts.get(sessionId, attempt);
    const questionId = record.attemptOf?.questionId ?? null;
    const pack = await this.packOf(session);
    const question = pack?.questions.find((q) => q.id === questionId) ?? null;
    const block = this.blocks(session).find((b) => b.questionId === questionId);
    const original: CompareSide = {
      label: 'First answer',
      turns: block?.turns ?? [],
      audioUrl: this.mediaUrl(sessionId),
      startMs: block?.startMs ?? 0,
      endMs: block?.endMs ?? 0,
      transcriptAvailable: session.transcriptAvailable,
      coverage: coverageOf(question, block?.turns ?? []),
    };
    return {
      question: question
        ? {
            id: question.id,
            topic: question.topic,
            prompt: question.prompt,
            strongAnswer: question.strongAnswer,
          }
        : null,
      original,
      attempt: {
        label: `Attempt ${attempt}`,
        attempt,
        status: record.status,
        turns: record.turns,
        audioUrl: record.status === 'recording' ? null : this.mediaUrl(sessionId, attempt),
        startMs: 0,
        endMs: record.durationMs,
        transcriptAvailable: record.transcriptAvailable,
        coverage: coverageOf(question, record.turns),
      },
    };
  }
}

function coverageOf(question: Question | null, turns: SessionRecord['turns']) {
  if (!question) return null;
  const text = candidateText(turns);
  return text === null ? null : conceptCoverage(question.strongAnswer, text);
}

/**
 * Handlers that look the backend up when called, for MockloopService's handler table
 * (which is built before its constructor body creates the ReplayBackend).
 */
export function delegateReplay(get: () => ReplayBackend): ReplayHandlers {
  const call =
    <M extends ReplayMethod>(method: M) =>
    (request: ApiParsedRequest<M>, context: CallContext) =>
      get().handlers[method](request, context);
  return {
    'replay.open': call('replay.open'),
    'annotations.add': call('annotations.add'),
    'annotations.update': call('annotations.update'),
    'annotations.delete': call('annotations.delete'),
    'attempts.start': call('attempts.start'),
    'attempts.compare': call('attempts.compare'),
  };
}
