// Over ~400 lines on purpose: this is the handler table of the whole API (one entry per
// method of src/api/contract.ts) and the running rounds they share; the replay, scoring,
// export, workspace and loop handlers already live in their own backends beside it.
import { join } from 'node:path';
import type { RoundInfo, SettingsView } from '../api/contract';
import { ApiError, type ApiHandlers, type CallContext } from '../api/dispatcher';
import { inInterviewOrder, roundDurationMinutes, type RoundPack } from '../core/roundPack';
import { computeRoundSummary } from '../core/summary';
import { millis } from '../core/units';
import { systemClock, type Clock } from '../engine/clock';
import { LiveRound, type LiveRoundDeps } from '../engine/liveRound';
import type { RoundController } from '../engine/roundController';
import { loadRoundPacks } from '../storage/roundPackLoader';
import { SessionStore } from '../storage/sessionStore';
import { WhisperProcess, whisperHostAvailable } from '../providers/local/whisperProcess';
import type { WhisperRunner } from '../providers/local/whisperRunner';
import { ModelStore } from '../storage/modelStore';
import { SettingsStore } from '../storage/settingsStore';
import {
  describeProviders,
  type OfflineEngines,
  type ProviderEnvironment,
} from './providerSelection';
import type { FliteRunner } from '../providers/embedded/fliteTextToSpeech';
import { checkConnection } from './connectionCheck';
import { effectiveKey, type KeyVault } from './keyVault';
import { LoopRuns } from './loopRuns';
import {
  costMeter,
  providersFor,
  recordingFields,
  roundEvents,
  sessionRecorder,
  turnTakingFrom,
} from './roundSetup';
import { delegateReplay, ReplayBackend } from './replayBackend';
import { delegateScoring, ScoringBackend } from './scoringBackend';
import { planResume, roundSoFar } from './resumeRound';
import { ResumedInterviewer } from '../engine/resumedInterviewer';
import { WorkspaceInterviewer } from '../engine/workspaceInterviewer';
import { ModelsBackend, modelsHandlers } from './modelsBackend';
import { WorkspaceBackend, workspaceHandlers } from './workspaceBackend';
import { exportHandlers, type DesktopFiles } from './exportBackend';
import { sessionDirectory } from '../storage/sessionPaths';
import {
  createRealtimeRound,
  describeRealtime,
  realtimePlan,
  realtimeHandlers,
  realtimeRecordingFields,
  rendererConnectSources,
} from './realtimeSetup';

export interface ServiceOptions {
  dataDir: string;
  promptsDir: string;
  mode: 'electron' | 'browser';
  version: string;
  /** Where a key entered in Settings is kept (safeStorage on the desktop, memory in browser mode). */
  keyVault: KeyVault;
  /** OPENAI_API_KEY and OPENAI_BASE_URL, read once at start. */
  env: { apiKey?: string | undefined; baseUrl?: string | undefined };
  clock?: Clock;
  /** Where the embedded voice runs; in this process when not given. */
  fliteRunner?: FliteRunner;
  /**
   * Where local speech recognition runs: a Node child process beside the sources when not
   * given (browser mode), the desktop's utility process, or null where it cannot run.
   */
  whisperRunner?: WhisperRunner | null;
  /** Save/open dialogs and Electron's PDF printer for exports (desktop only; see exportBackend.ts). */
  desktopFiles?: DesktopFiles;
}

/** How long a round that ended by itself still accepts (and ignores) the page's late calls. */
const LATE_CALLS_GRACE_MS = 10_000;

interface ActiveRound {
  round: RoundController;
  ownerClientId: string;
}

/**
 * The backend behind the API contract, shared by Electron's main process and browser
 * mode: round packs, settings, sessions, and the live rounds in progress.
 */
export class MockloopService {
  readonly sessions: SessionStore;
  /** Replay, notes and answer-again attempts (see replayBackend.ts). */
  readonly replay: ReplayBackend;
  /** Scorecards and progress (see scoringBackend.ts). */
  readonly scoring: ScoringBackend;
  /** Code pads and whiteboards of running rounds (see workspaceBackend.ts). */
  readonly workspace: WorkspaceBackend;
  private readonly settings: SettingsStore;
  readonly models: ModelStore;
  readonly modelDownloads: ModelsBackend;
  private readonly active = new Map<string, ActiveRound>();
  /** Interrupted sessions being resumed right now. */
  private readonly resuming = new Set<string>();
  private readonly loops: LoopRuns;
  private readonly clock: Clock;
  /** One per backend: the loaded model stays warm between turns and rounds. */
  private readonly whisper: WhisperRunner | null;
  /** What the last probe of whisper.cpp said (undefined: not asked yet; null: it runs). */
  private engineState: { problem: string | null } | undefined;
  private engineProbe: Promise<string | null> | null = null;

  constructor(private readonly options: ServiceOptions) {
    this.sessions = new SessionStore(options.dataDir);
    this.settings = new SettingsStore(options.dataDir);
    this.models = new ModelStore(options.dataDir);
    this.whisper =
      options.whisperRunner !== undefined
        ? options.whisperRunner
        : whisperHostAvailable()
          ? new WhisperProcess()
          : null;
    this.modelDownloads = new ModelsBackend({
      store: this.models,
      settings: async () => (await this.settings.load()).settings,
      engine: () => this.engineProblem(),
      ...(options.desktopFiles
        ? { chooseFile: (clientId: string) => options.desktopFiles!.chooseModelFile(clientId) }
        : {}),
    });
    this.loops = new LoopRuns(options.dataDir, this.sessions);
    this.clock = options.clock ?? systemClock;
    this.scoring = new ScoringBackend({
      sessions: this.sessions,
      promptsDir: options.promptsDir,
      loadSettings: async () => (await this.settings.load()).settings,
      environment: () => this.environment(),
    });
    this.workspace = new WorkspaceBackend({
      sessions: this.sessions,
      promptsDir: options.promptsDir,
      clock: this.clock,
      checkOwner: (sessionId, context) => void this.owned(sessionId, context),
    });
    this.replay = new ReplayBackend({
      sessions: this.sessions,
      mode: options.mode,
      promptsDir: options.promptsDir,
      clock: this.clock,
      loadSettings: async () => (await this.settings.load()).settings,
      environment: () => this.environment(),
      engines: this.engines(),
      register: (key, round, ownerClientId) => this.active.set(key, { round, ownerClientId }),
      unregister: (key) => this.active.delete(key),
    });
  }

  /** Sessions left `recording` by a crash are repaired and marked interrupted. */
  async recover(): Promise<string[]> {
    const recovered = await this.sessions.recoverInterrupted();
    const { sessions } = await this.sessions.list();
    await this.replay.recover(sessions.map((s) => s.id)).catch(() => undefined);
    // What was recorded up to the crash can still be measured (and scored on request).
    for (const id of recovered) await this.scoring.measure(id).catch(() => undefined);
    return recovered;
  }

  /** The page that owned a round went away: end it and keep what was recorded. */
  async clientGone(clientId: string): Promise<void> {
    for (const [id, entry] of this.active) {
      if (entry.ownerClientId !== clientId) continue;
      await entry.round.disconnect().catch(() => undefined);
      this.active.delete(id);
    }
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.active.values()].map((a) => a.round.end().catch(() => undefined)));
    this.active.clear();
    this.whisper?.close();
  }

  readonly handlers: ApiHandlers = {
    'app.info': async () => ({
      version: this.options.version,
      mode: this.options.mode,
      dataDir: this.options.dataDir,
    }),
    'rounds.list': async () => {
      const { packs, problems } = await loadRoundPacks(this.options.promptsDir);
      return { rounds: inInterviewOrder(packs).map(toRoundInfo), problems };
    },
    'settings.get': async () => this.settingsView(),
    'settings.update': async (patch) => {
      await this.settings.update(patch);
      return this.settingsView();
    },
    'settings.setApiKey': async ({ key }) => {
      await this.options.keyVault.set(key);
      return this.settingsView();
    },
    'settings.checkConnection': async () => {
      const { settings } = await this.settings.load();
      const env = this.environment();
      return checkConnection(settings, env.apiKey, settings.openai.baseUrl || env.envBaseUrl);
    },
    'sessions.list': async () => {
      const { sessions, problems } = await this.sessions.list();
      return { sessions, problems };
    },
    'sessions.get': async ({ id }) => {
      const session = await this.sessions.get(id);
      return { session, summary: computeRoundSummary(session.turns, session.durationMs) };
    },
    'round.start': async ({ roundId, loopRunId, resumeOf }, context) =>
      this.startRound(roundId, context, loopRunId, resumeOf),
    'loops.start': async ({ loopId }) =>
      this.loops.start(loopId, (await loadRoundPacks(this.options.promptsDir)).packs),
    'loops.get': async ({ id }) => this.loops.get(id),
    'loops.debrief': async ({ id }) => {
      const { packs } = await loadRoundPacks(this.options.promptsDir);
      const { settings } = await this.settings.load();
      return this.loops.debrief(id, packs, settings, this.environment());
    },
    'round.audio': async ({ sessionId, pcm }, context) => {
      const round = this.owned(sessionId, context);
      // Copy: the frame's bytes may not be 2-byte aligned inside its message buffer.
      const aligned = new Int16Array(pcm.byteLength / 2);
      new Uint8Array(aligned.buffer).set(pcm);
      round.audioFrames(aligned);
      return null;
    },
    'round.vad': async ({ sessionId, type, atMs }, context) => {
      const round = this.owned(sessionId, context);
      if (type === 'speech-start') round.speechStart(millis(atMs));
      else round.speechEnd(millis(atMs));
      return null;
    },
    'round.control': async ({ sessionId, action, atMs }, context) => {
      const round = this.owned(sessionId, context);
      if (action === 'done') round.done(millis(atMs));
      else round.hold(action === 'hold-start');
      return null;
    },
    'round.playback': async (report, context) => {
      const round = this.owned(report.sessionId, context);
      if (report.event === 'started') {
        round.playback({
          utteranceId: report.utteranceId,
          event: 'started',
          atMs: millis(report.atMs),
        });
      } else {
        round.playback({
          utteranceId: report.utteranceId,
          event: report.event,
          atMs: millis(report.atMs),
          playedSamples: report.playedSamples,
        });
      }
      return null;
    },
    'round.end': async ({ sessionId }, context) => {
      const round = this.owned(sessionId, context);
      await round.end();
      this.active.delete(sessionId);
      const session =
        (await this.replay.liveRecord(sessionId)) ?? (await this.sessions.get(sessionId));
      return { summary: computeRoundSummary(session.turns, session.durationMs) };
    },
    ...delegateReplay(() => this.replay),
    ...delegateScoring(() => this.scoring),
    ...realtimeHandlers({
      owned: (sessionId, context) => this.owned(sessionId, context),
    }),
    ...exportHandlers(() => this.options),
    ...workspaceHandlers(() => this.workspace),
    ...modelsHandlers(() => this.modelDownloads),
  };

  /** Origins the renderer's CSP must allow (the API origin for a WebRTC realtime call). */
  async connectSources(): Promise<string[]> {
    const { settings } = await this.settings.load();
    return rendererConnectSources(settings, this.environment(), this.options.mode);
  }

  /** The processes the offline providers run in, for a round's providers. */
  private engines(): OfflineEngines {
    return {
      ...(this.options.fliteRunner ? { fliteRunner: this.options.fliteRunner } : {}),
      ...(this.whisper ? { whisper: this.whisper } : {}),
    };
  }

  /**
   * Null when whisper.cpp runs here, else why not (a build without it, a missing native
   * package or system library). Asked of the host once it matters — Settings' models, a
   * round with a model installed; a success is kept, a failure asked again next time.
   */
  private engineProblem(): Promise<string | null> {
    if (!this.whisper) {
      return Promise.resolve('Speech recognition on this computer is not part of this build.');
    }
    if (this.engineState?.problem === null) return Promise.resolve(null);
    return (this.engineProbe ??= this.whisper.probe().then((problem) => {
      this.engineState = { problem };
      this.engineProbe = null;
      return problem;
    }));
  }

  /** Before choosing a round's providers: is an installed model usable? */
  private async checkEngine(): Promise<void> {
    if (this.whisper && this.models.installed().length > 0) await this.engineProblem();
  }

  /** Read on every use, so a key entered in Settings applies to the next round. */
  private environment(): ProviderEnvironment {
    // Local models count once nothing is known against the engine (an unprobed engine is
    // probed before a round starts and when Settings opens).
    const engineRuns = this.whisper !== null && (this.engineState?.problem ?? null) === null;
    return {
      apiKey: effectiveKey(this.options.keyVault, this.options.env.apiKey).key,
      envBaseUrl: this.options.env.baseUrl,
      localModels: engineRuns ? this.models.installed() : [],
    };
  }

  private async settingsView(): Promise<SettingsView> {
    const { settings, problems } = await this.settings.load();
    await this.checkEngine();
    const env = this.environment();
    return {
      settings,
      apiKeyPresent: Boolean(env.apiKey),
      apiKeySource: effectiveKey(this.options.keyVault, this.options.env.apiKey).source,
      apiKeyStorage: this.options.keyVault.storage(),
      effective: describeProviders(settings, env),
      problems,
    };
  }

  private owned(sessionId: string, context: CallContext): RoundController {
    const entry = this.active.get(sessionId);
    if (!entry) throw new ApiError('not-found', 'That round is not running (it may have ended).');
    if (entry.ownerClientId !== context.clientId) {
      throw new ApiError('forbidden', 'That round belongs to another window.');
    }
    return entry.round;
  }

  private async findPack(roundId: string): Promise<RoundPack> {
    const { packs } = await loadRoundPacks(this.options.promptsDir);
    const pack = packs.find((p) => p.id === roundId);
    if (!pack) throw new ApiError('not-found', `No round pack with id "${roundId}".`);
    return pack;
  }

  private async startRound(
    roundId: string,
    context: CallContext,
    loopRunId?: string,
    resumeOf?: string,
  ) {
    const pack = await this.findPack(roundId);
    if (loopRunId && resumeOf) {
      throw new ApiError('bad-request', 'A round is either part of a loop or resumed, not both.');
    }
    if (resumeOf && this.resuming.has(resumeOf)) {
      throw new ApiError('bad-request', 'That round is already being resumed.');
    }
    // Held until the continuation is linked, so a double click cannot resume it twice.
    if (resumeOf) this.resuming.add(resumeOf);
    try {
      return await this.launchRound(pack, context, loopRunId, resumeOf);
    } finally {
      if (resumeOf) this.resuming.delete(resumeOf);
    }
  }

  private async launchRound(
    pack: RoundPack,
    context: CallContext,
    loopRunId?: string,
    resumeOf?: string,
  ) {
    const interrupted = resumeOf ? await this.sessions.get(resumeOf) : undefined;
    const resume = interrupted
      ? planResume(
          interrupted,
          pack,
          roundDurationMinutes(pack) * 60_000,
          // The interviewer hears every part of the round, not just the last one.
          await roundSoFar(interrupted, (id) => this.sessions.get(id)),
        )
      : undefined;
    // In a full loop, later interviewers hear what the candidate said in earlier rounds.
    const memory = loopRunId
      ? await this.loops.prepareRound(
          loopRunId,
          pack.id,
          (await loadRoundPacks(this.options.promptsDir)).packs,
        )
      : undefined;
    const { settings } = await this.settings.load();
    await this.checkEngine();
    const env = this.environment();
    const realtime = realtimePlan(settings, env, this.options.mode);
    const events = roundEvents();
    const costs = costMeter(settings, events.emit, () =>
      round.wrapUp('The budget for this session is spent; the interviewer is wrapping up.'),
    );
    const providers = providersFor(settings, env, pack, events.emit, this.engines(), (u) =>
      costs.record(u),
    );
    const budgetMs = roundDurationMinutes(pack) * 60_000;
    const record = await this.sessions.create({
      round: {
        packId: pack.id,
        title: pack.title,
        loopTitle: pack.loop.title,
        company: pack.company,
        budgetMs,
      },
      persona: { name: pack.persona.name, role: pack.persona.role },
      ...(realtime ? realtimeRecordingFields(realtime) : recordingFields(providers)),
      ...(resume ? { resumeOf: resume.resumeOf } : {}),
    });
    const sessionId = record.id;
    if (resume) await this.sessions.update(resume.resumeOf.sessionId, { resumedIn: sessionId });
    if (loopRunId) await this.loops.attach(loopRunId, pack.id, sessionId);
    const emit = context.emit;
    events.connect((event) => emit({ sessionId, event }));
    const recorder = sessionRecorder(
      await this.sessions.openRecording(sessionId),
      sessionDirectory(this.sessions.sessionsDir, sessionId),
      events.emit,
    );
    const roundDeps: LiveRoundDeps = {
      pack,
      clock: this.clock,
      ...providers,
      // Coding and design rounds: the interviewer sees the candidate's pad or board.
      interviewer: this.workspace.attach(
        sessionId,
        pack,
        // A resumed round's interviewer hears the earlier part first.
        resume
          ? new ResumedInterviewer(providers.interviewer, resume.priorTurns, resume.priorDurationMs)
          : providers.interviewer,
        (message) => events.emit({ type: 'notice', level: 'error', message }),
        resume?.resumeOf.sessionId,
      ),
      recorder,
      journal: {
        appendTurn: (turn) => this.sessions.appendTurn(sessionId, turn),
        appendNotes: (notes) => this.sessions.appendNotes(sessionId, notes),
      },
      ...turnTakingFrom(settings),
      emit: events.emit,
      ...(memory ? { memory } : {}),
      ...(resume ? { elapsedOffsetMs: millis(resume.priorDurationMs) } : {}),

      onFinished: async ({ reason, summary }) => {
        // A round that ends itself (time up, farewell) still gets the page's last audio
        // and playback calls; the finished round ignores them instead of refusing them.
        this.clock.after(millis(LATE_CALLS_GRACE_MS), () => {
          if (this.active.get(sessionId)?.round === round) this.active.delete(sessionId);
        });
        await this.workspace.finish(sessionId);
        const usage = costs.summary();
        if (Object.keys(usage.stages).length > 0) await this.sessions.update(sessionId, { usage });
        await this.sessions.finish(sessionId, {
          status: reason === 'disconnected' ? 'interrupted' : 'complete',
          endReason: reason,
          durationMs: summary.durationMs,
        });
        // Delivery figures need no model; a failure here must not fail the round's end.
        await this.scoring.measure(sessionId).catch(() => undefined);
      },
    };
    // Speech-to-speech when chosen and a key allows it; otherwise the cascade.
    const round: RoundController = realtime
      ? createRealtimeRound(
          realtime,
          roundDeps,
          (u) => costs.record(u),
          undefined,
          // Recapped to the model like a reconnect: "continue from here, do not greet".
          resume?.priorTurns.map((t) => ({
            ...t,
            startMs: millis(t.startMs - resume.priorDurationMs),
            endMs: millis(t.endMs - resume.priorDurationMs),
          })),
          // The speech-to-speech model sees the pad or board through its instructions.
          roundDeps.interviewer instanceof WorkspaceInterviewer
            ? (turns) => (roundDeps.interviewer as WorkspaceInterviewer).view(turns)
            : undefined,
        )
      : new LiveRound(roundDeps);
    this.active.set(sessionId, { round, ownerClientId: context.clientId });
    round.start();
    return {
      sessionId,
      budgetMs: budgetMs - (resume?.priorDurationMs ?? 0),
      allowInterruptions: settings.turnTaking.allowInterruptions,
      persona: { name: pack.persona.name, role: pack.persona.role },
      providers: realtime ? describeRealtime(realtime) : describeProviders(settings, env),
      transcriptAvailable: realtime ? realtime.transcriptionModel !== null : providers.stt !== null,
    };
  }
}

function toRoundInfo(pack: RoundPack): RoundInfo {
  return {
    id: pack.id,
    order: pack.order,
    tests: pack.rubric.map((c) => c.name),
    loopId: pack.loop.id,
    loopTitle: pack.loop.title,
    company: pack.company,
    title: pack.title,
    summary: pack.summary,
    durationMinutes: roundDurationMinutes(pack),
    persona: { name: pack.persona.name, role: pack.persona.role },
  };
}

export function defaultPromptsDir(appRoot: string): string {
  return join(appRoot, 'prompts');
}
