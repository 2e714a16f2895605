import type { ApiParsedRequest } from '../api/contract';
import { ApiError } from '../api/dispatcher';
import type { ScorecardsView, ScoringResponses } from '../api/scoringContract';
import {
  checkScorerOutput,
  modelScorecard,
  reverifyModelScorecard,
  SCORER_INSTRUCTIONS,
  scorerInput,
  scorerOutputSchema,
} from '../core/modelScoring';
import { offlineScorecard } from '../core/offlineScorecard';
import { computeProgress, type ScoredSession } from '../core/progress';
import type { RoundPack } from '../core/roundPack';
import type { Scorecard } from '../core/scorecard';
import type { SessionRecord } from '../core/session';
import type { Settings } from '../core/settings';
import type { CodeSnapshot } from '../core/workspace';
import { createOpenAIClient } from '../providers/openai/openaiClient';
import { completeStructured } from '../providers/openai/structuredOutput';
import { loadRoundPacks } from '../storage/roundPackLoader';
import { ScorecardStore } from '../storage/scorecardStore';
import { sessionDirectory } from '../storage/sessionPaths';
import { readWorkspaceFile } from '../storage/workspaceFile';
import type { SessionStore } from '../storage/sessionStore';
import type { ProviderEnvironment } from './providerSelection';

export interface ScoringDeps {
  sessions: SessionStore;
  promptsDir: string;
  loadSettings: () => Promise<Settings>;
  environment: () => ProviderEnvironment;
}

/** Scoring reads a whole transcript and writes a long answer: give it more than a turn. */
const MIN_SCORING_TIMEOUT_MS = 120_000;

type ScoringMethod = keyof ScoringResponses;
type ScoringHandlers = {
  [M in ScoringMethod]: (request: ApiParsedRequest<M>) => Promise<ScoringResponses[M]>;
};

/**
 * Scorecards for sessions: model scoring (structured output, quotes verified), offline
 * measurement, self-review and the progress history. Every result is saved as a new
 * version; a failed model call saves nothing and says why — no fallback numbers.
 */
export class ScoringBackend {
  readonly scorecards: ScorecardStore;

  constructor(private readonly deps: ScoringDeps) {
    this.scorecards = new ScorecardStore(deps.sessions.sessionsDir);
  }

  readonly handlers: ScoringHandlers = {
    'scorecards.list': async ({ sessionId }) => this.view(sessionId),
    'scorecards.score': async ({ sessionId, kind, model }) =>
      kind === 'offline' ? this.measure(sessionId) : this.scoreWithModel(sessionId, model),
    'scorecards.saveSelf': async ({ sessionId, criteria }) => {
      const session = await this.deps.sessions.get(sessionId);
      const pack = await this.pack(session.round.packId);
      if (!pack) throw packMissing(session);
      const byId = new Map(criteria.map((c) => [c.criterionId, c]));
      const unknown = criteria.find((c) => !pack.rubric.some((r) => r.id === c.criterionId));
      if (unknown) {
        throw new ApiError(
          'bad-request',
          `"${unknown.criterionId}" is not a criterion of this round.`,
        );
      }
      return this.scorecards.save({
        kind: 'self',
        sessionId,
        packId: pack.id,
        criteria: pack.rubric.map((r) => ({
          criterionId: r.id,
          name: r.name,
          score: byId.get(r.id)?.score ?? null,
          note: byId.get(r.id)?.note ?? '',
        })),
      });
    },
    'progress.get': async () => this.progress(),
  };

  /** Called when a round finishes: delivery figures need no model, so they are always there. */
  async measure(sessionId: string): Promise<Scorecard> {
    const session = await this.deps.sessions.get(sessionId);
    return this.scorecards.save(offlineScorecard(session, await this.pack(session.round.packId)));
  }

  private async view(sessionId: string): Promise<ScorecardsView> {
    const session = await this.deps.sessions.get(sessionId);
    const pack = await this.pack(session.round.packId);
    let { scorecards, problems } = await this.scorecards.list(sessionId);
    // Sessions from before scorecards existed, or copied in, get their delivery figures
    // the first time they are opened; a live round is measured when it ends instead.
    if (session.status !== 'recording' && !scorecards.some((c) => c.kind === 'offline')) {
      try {
        scorecards = [...scorecards, await this.measure(sessionId)];
      } catch (error) {
        problems = [
          ...problems,
          `Delivery could not be measured: ${error instanceof Error ? error.message : String(error)}`,
        ];
      }
    }
    // Saved model scorecards are checked against the transcript again on every read.
    const written = await this.written(sessionId);
    scorecards = scorecards.map((card) => {
      if (card.kind !== 'model') return card;
      const checked = reverifyModelScorecard(card, session.turns, written);
      if (checked.changed) {
        problems = [
          ...problems,
          `Scorecard ${card.version} cites words that are not in this session's transcript; those scores are shown as withdrawn.`,
        ];
      }
      return checked.card;
    });
    const settings = await this.deps.loadSettings();
    return {
      scorecards,
      problems,
      rubric: pack?.rubric ?? null,
      scorer: this.scorer(settings, session, pack),
      transcriptAvailable: session.transcriptAvailable,
    };
  }

  private scorer(
    settings: Settings,
    session: SessionRecord,
    pack: RoundPack | undefined,
  ): ScorecardsView['scorer'] {
    const model = settings.openai.interviewerModel;
    const env = this.deps.environment();
    if (!env.apiKey && !settings.openai.baseUrl && !env.envBaseUrl) {
      return {
        available: false,
        model,
        reason:
          'Scoring against the rubric needs a model: add an OpenAI key (or a compatible server) in Settings. Offline, the delivery figures and your self-review are what is measured.',
      };
    }
    if (!pack) return { available: false, model, reason: packMissing(session).message };
    if (!session.turns.some((t) => t.speaker === 'candidate' && t.text !== null)) {
      return {
        available: false,
        model,
        reason:
          'This session has no transcript of your answers (it was recorded without speech-to-text), so a model has nothing to score. Use the self-review instead.',
      };
    }
    return { available: true, model };
  }

  private async scoreWithModel(sessionId: string, requestedModel?: string): Promise<Scorecard> {
    const session = await this.deps.sessions.get(sessionId);
    const pack = await this.pack(session.round.packId);
    const settings = await this.deps.loadSettings();
    const scorer = this.scorer(settings, session, pack);
    if (!scorer.available || !pack) throw new ApiError('failed', scorer.reason ?? '');
    const env = this.deps.environment();
    const model = requestedModel ?? scorer.model;
    const written = await this.written(sessionId);
    const client = createOpenAIClient({
      apiKey: env.apiKey || 'local-server',
      baseURL: settings.openai.baseUrl || env.envBaseUrl,
      timeoutMs: Math.max(settings.openai.timeoutMs, MIN_SCORING_TIMEOUT_MS),
    });
    const result = await completeStructured({
      client,
      model,
      name: 'scorecard',
      schema: scorerOutputSchema(pack),
      messages: [
        { role: 'system', content: SCORER_INSTRUCTIONS },
        { role: 'user', content: scorerInput(session, pack, written.at(-1) ?? null) },
      ],
      check: (output) => checkScorerOutput(output, pack),
      strict: true,
    }).catch((error: unknown) => {
      throw new ApiError(
        'failed',
        `Scoring failed, nothing was saved: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return this.scorecards.save(
      modelScorecard(result.value, session, pack, model, result.repaired, written),
    );
  }

  private async progress() {
    const { sessions } = await this.deps.sessions.list();
    const scored: ScoredSession[] = [];
    for (const item of sessions) {
      const session = await this.deps.sessions.get(item.id).catch(() => undefined);
      if (!session) continue;
      const listed = await this.scorecards.list(item.id).catch(() => ({ scorecards: [] }));
      const written = await this.written(item.id);
      const scorecards = listed.scorecards.map((card) =>
        card.kind === 'model' ? reverifyModelScorecard(card, session.turns, written).card : card,
      );
      const packId = session.round.packId;
      scored.push({
        sessionId: item.id,
        createdAt: item.createdAt,
        packId,
        title: item.title,
        loopTitle: item.loopTitle,
        scorecards,
      });
    }
    const { packs } = await loadRoundPacks(this.deps.promptsDir);
    return computeProgress(scored, packs);
  }

  /** Code the candidate wrote on the pad (coding rounds), oldest first; none elsewhere. */
  private async written(sessionId: string): Promise<CodeSnapshot[]> {
    const dir = sessionDirectory(this.deps.sessions.sessionsDir, sessionId);
    const { workspace } = await readWorkspaceFile(dir).catch(() => ({ workspace: null }));
    return workspace?.code ?? [];
  }

  private async pack(packId: string): Promise<RoundPack | undefined> {
    const { packs } = await loadRoundPacks(this.deps.promptsDir);
    return packs.find((p) => p.id === packId);
  }
}

function packMissing(session: SessionRecord): ApiError {
  return new ApiError(
    'failed',
    `The round pack "${session.round.packId}" is no longer installed, so its rubric is unknown.`,
  );
}

/** Handlers that look the backend up when called (see delegateReplay for why). */
export function delegateScoring(get: () => ScoringBackend): ScoringHandlers {
  return {
    'scorecards.list': (r) => get().handlers['scorecards.list'](r),
    'scorecards.score': (r) => get().handlers['scorecards.score'](r),
    'scorecards.saveSelf': (r) => get().handlers['scorecards.saveSelf'](r),
    'progress.get': (r) => get().handlers['progress.get'](r),
  };
}
