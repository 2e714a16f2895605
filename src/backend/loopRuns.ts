import type { LoopRunView } from '../api/contract';
import { ApiError } from '../api/dispatcher';
import { loopMemory, nextRound, type LoopRun } from '../core/loopRun';
import { inInterviewOrder, type RoundPack } from '../core/roundPack';
import type { Settings } from '../core/settings';
import { createOpenAIClient } from '../providers/openai/openaiClient';
import { writeDebrief, type DebriefRound } from '../providers/openai/openaiDebrief';
import { LoopRunStore } from '../storage/loopRunStore';
import type { SessionStore } from '../storage/sessionStore';
import type { ProviderEnvironment } from './providerSelection';

/**
 * Full loops: the rounds of one loop in order, each a normal session, with what the
 * candidate said earlier handed to later interviewers, and a debrief at the end.
 */
export class LoopRuns {
  private readonly store: LoopRunStore;

  constructor(
    dataDir: string,
    private readonly sessions: SessionStore,
  ) {
    this.store = new LoopRunStore(dataDir);
  }

  async start(loopId: string, packs: readonly RoundPack[]): Promise<LoopRunView> {
    const rounds = inInterviewOrder(packs.filter((p) => p.loop.id === loopId));
    const first = rounds[0];
    if (!first) throw new ApiError('not-found', `No rounds belong to the loop "${loopId}".`);
    const run = await this.store.create({
      loopId,
      loopTitle: first.loop.title,
      rounds: rounds.map((p) => ({ packId: p.id, title: p.title })),
    });
    return this.view(run);
  }

  async get(id: string): Promise<LoopRunView> {
    return this.view(await this.store.get(id));
  }

  /** Checks that `packId` is the loop's next round; returns the memory of earlier rounds. */
  async prepareRound(
    runId: string,
    packId: string,
    packs: readonly RoundPack[],
  ): Promise<string[]> {
    const run = await this.store.get(runId);
    if (nextRound(run)?.packId !== packId) {
      throw new ApiError('bad-request', `"${packId}" is not the next round of this loop.`);
    }
    const earlier = [];
    for (const round of run.rounds.filter((r) => r.sessionId)) {
      const session = await this.sessions.get(round.sessionId!).catch(() => null);
      if (!session) continue;
      earlier.push({
        title: round.title,
        interviewer: packs.find((p) => p.id === round.packId)?.persona.name ?? session.persona.name,
        answers: session.turns.filter((t) => t.speaker === 'candidate').map((t) => t.text),
        notes: session.notes.map((n) => n.text),
      });
    }
    return loopMemory(earlier);
  }

  async attach(runId: string, packId: string, sessionId: string): Promise<void> {
    await this.store.update(runId, (run) => ({
      ...run,
      rounds: run.rounds.map((r) =>
        r.packId === packId && !r.sessionId ? { ...r, sessionId } : r,
      ),
    }));
  }

  async debrief(
    id: string,
    packs: readonly RoundPack[],
    settings: Settings,
    env: ProviderEnvironment,
  ): Promise<LoopRunView> {
    const run = await this.store.get(id);
    if (nextRound(run))
      throw new ApiError('bad-request', 'Finish every round of the loop before the debrief.');
    if (!env.apiKey && !settings.openai.baseUrl && !env.envBaseUrl) {
      throw new ApiError(
        'failed',
        'A hire / no-hire recommendation needs a model: set an OpenAI key (or a compatible server) in Settings, then write the debrief. Offline, the rounds and notes below are what was measured.',
      );
    }
    const rounds: DebriefRound[] = [];
    for (const round of run.rounds) {
      const session = await this.sessions.get(round.sessionId!);
      const pack = packs.find((p) => p.id === round.packId);
      rounds.push({
        id: round.packId,
        title: round.title,
        interviewer: session.persona.name,
        criteria: pack?.rubric.map((c) => c.name) ?? [],
        turns: session.turns.map((t) => ({ speaker: t.speaker, text: t.text })),
        notes: session.notes.map((n) => n.text),
      });
    }
    const client = createOpenAIClient({
      apiKey: env.apiKey || 'local-server',
      baseURL: settings.openai.baseUrl || env.envBaseUrl,
      timeoutMs: Math.max(settings.openai.timeoutMs, 60_000),
    });
    const model = settings.openai.interviewerModel;
    const debrief = await writeDebrief(client, model, run.loopTitle, rounds).catch(
      (error: unknown) => {
        throw new ApiError('failed', error instanceof Error ? error.message : String(error));
      },
    );
    return this.view(
      await this.store.update(id, (r) => ({
        ...r,
        debrief: { ...debrief, model, writtenAt: new Date().toISOString() },
      })),
    );
  }

  private async view(run: LoopRun): Promise<LoopRunView> {
    const rounds = await Promise.all(
      run.rounds.map(async (r) => {
        const session = r.sessionId ? await this.sessions.get(r.sessionId).catch(() => null) : null;
        return {
          ...r,
          status: session?.status ?? (r.sessionId ? ('missing' as const) : ('pending' as const)),
          durationMs: session?.durationMs ?? 0,
          notes: session?.notes.map((n) => n.text) ?? [],
        };
      }),
    );
    return { ...run, rounds, next: nextRound(run)?.packId ?? null };
  }
}
