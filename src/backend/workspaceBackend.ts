import type { ApiParsedRequest } from '../api/contract';
import { ApiError, type CallContext } from '../api/dispatcher';
import type {
  WorkspaceInitial,
  WorkspaceQuestion,
  WorkspaceResponses,
} from '../api/workspaceContract';
import type { RoundPack } from '../core/roundPack';
import { millis } from '../core/units';
import {
  addSnapshot,
  emptyWorkspaceFile,
  sameCode,
  sameDiagram,
  type CodeSnapshot,
  type DiagramSnapshot,
  type RunSnapshot,
  type WorkspaceFile,
  type WorkspaceKind,
} from '../core/workspace';
import type { Clock, TimerHandle } from '../engine/clock';
import { WorkspaceInterviewer, type WorkspaceSource } from '../engine/workspaceInterviewer';
import type { Interviewer } from '../providers/types';
import { loadRoundPacks } from '../storage/roundPackLoader';
import { sessionDirectory } from '../storage/sessionPaths';
import type { SessionStore } from '../storage/sessionStore';
import { readWorkspaceFile, writeWorkspaceFile } from '../storage/workspaceFile';

/**
 * The code pad and whiteboard behind the API: the live workspace of each running round
 * (what the interviewer sees, through `WorkspaceInterviewer`) and its history, saved to
 * `<session>/workspace.json` at most every couple of seconds and once more at the end.
 * The candidate's code and drawing are personal data: they are never logged.
 */

/** Typing sends an update a second; the file is rewritten at most this often. */
const WRITE_EVERY_MS = 2_000;

export interface WorkspaceDeps {
  sessions: SessionStore;
  promptsDir: string;
  clock: Clock;
  /** Throws the usual ApiError unless the round runs and the caller owns it. */
  checkOwner(sessionId: string, context: CallContext): void;
}

class LiveWorkspace implements WorkspaceSource {
  private file: WorkspaceFile;
  private timer: TimerHandle | null = null;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private reported = false;
  /** The code snapshot the latest run ran: later typing must not overwrite it. */
  private ranSnapshot: CodeSnapshot | null = null;

  constructor(
    readonly kind: WorkspaceKind,
    readonly questions: WorkspaceQuestion[],
    private readonly sessionDir: string,
    private readonly clock: Clock,
    private readonly notify: (message: string) => void,
  ) {
    this.file = emptyWorkspaceFile(kind);
  }

  /**
   * A resumed round starts where the interrupted one left off: its last code and board
   * become this session's first snapshots (at 0, the continuation's start).
   */
  seed(prior: WorkspaceFile | null): void {
    const code = prior?.code[prior.code.length - 1];
    const diagram = prior?.diagram[prior.diagram.length - 1];
    this.file = {
      ...this.file,
      code: code ? [{ ...code, atMs: 0 }] : [],
      diagram: diagram ? [{ ...diagram, atMs: 0 }] : [],
    };
    if (code || diagram) this.dirty = true;
  }

  /** What the pad or board opens with (a resumed round's last state), if anything. */
  initial(): WorkspaceInitial {
    const code = this.file.code[0];
    const diagram = this.file.diagram[0];
    return {
      ...(code ? { code: { language: code.language, code: code.code } } : {}),
      ...(diagram ? { diagram: diagram.elements } : {}),
    };
  }

  code(): readonly CodeSnapshot[] {
    return this.file.code;
  }
  diagram(): readonly DiagramSnapshot[] {
    return this.file.diagram;
  }
  lastRun(): RunSnapshot | null {
    return this.file.runs[this.file.runs.length - 1] ?? null;
  }

  update(request: ApiParsedRequest<'round.workspace'>): void {
    const { atMs } = request;
    let { code, diagram, runs } = this.file;
    if (request.code) {
      const keep = this.ranSnapshot !== null && code[code.length - 1] === this.ranSnapshot;
      code = addSnapshot(code, { atMs, ...request.code }, sameCode, keep) as CodeSnapshot[];
      if (request.run) this.ranSnapshot = code[code.length - 1] ?? null;
    }
    if (request.diagram) {
      diagram = addSnapshot(
        diagram,
        { atMs, elements: request.diagram },
        sameDiagram,
      ) as DiagramSnapshot[];
    }
    if (request.run) runs = [...runs.slice(-199), { atMs, ...request.run }];
    if (code === this.file.code && diagram === this.file.diagram && runs === this.file.runs) return;
    this.file = { ...this.file, code, diagram, runs };
    this.dirty = true;
    this.timer ??= this.clock.after(millis(WRITE_EVERY_MS), () => {
      this.timer = null;
      void this.save();
    });
  }

  /** The last write, waited for: the history on disk is complete when this resolves. */
  async close(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.save();
  }

  private save(): Promise<void> {
    // Chained, so two writes never race and the later history always lands last.
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await writeWorkspaceFile(this.sessionDir, this.file);
      } catch (error) {
        this.dirty = true;
        if (this.reported) return;
        this.reported = true;
        this.notify(
          `The code pad could not be saved: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
    return this.writing;
  }
}

type WorkspaceMethod = keyof WorkspaceResponses;
type WorkspaceHandlers = {
  [M in WorkspaceMethod]: (
    request: ApiParsedRequest<M>,
    context: CallContext,
  ) => Promise<WorkspaceResponses[M]>;
};

export class WorkspaceBackend {
  private readonly live = new Map<string, LiveWorkspace>();
  /** Resumed rounds still reading the interrupted session's workspace. */
  private readonly seeding = new Map<string, Promise<void>>();

  constructor(private readonly deps: WorkspaceDeps) {}

  /**
   * A round starts: when its pack has a pad or board, keep its workspace and return the
   * interviewer wrapped so each turn sees it; otherwise the interviewer as it is.
   */
  attach(
    sessionId: string,
    pack: RoundPack,
    interviewer: Interviewer,
    notify: (message: string) => void,
    /** The interrupted session this round continues, whose pad or board it picks up. */
    resumeOf?: string,
  ): Interviewer {
    if (!pack.workspace) return interviewer;
    const workspace = new LiveWorkspace(
      pack.workspace,
      workspaceQuestions(pack),
      sessionDirectory(this.deps.sessions.sessionsDir, sessionId),
      this.deps.clock,
      notify,
    );
    this.live.set(sessionId, workspace);
    if (resumeOf) {
      const seeded = readWorkspaceFile(sessionDirectory(this.deps.sessions.sessionsDir, resumeOf))
        .then(({ workspace: prior }) => workspace.seed(prior))
        // Unreadable history: the round goes on with an empty pad rather than failing.
        .catch(() => undefined)
        .finally(() => this.seeding.delete(sessionId));
      this.seeding.set(sessionId, seeded);
    }
    return new WorkspaceInterviewer(interviewer, workspace);
  }

  /** The round ended: save the last of its history and forget it. */
  async finish(sessionId: string): Promise<void> {
    const workspace = this.live.get(sessionId);
    if (!workspace) return;
    this.live.delete(sessionId);
    await workspace.close();
  }

  readonly handlers: WorkspaceHandlers = {
    'workspace.open': async ({ sessionId }, context) => {
      this.deps.checkOwner(sessionId, context);
      await this.seeding.get(sessionId);
      const workspace = this.live.get(sessionId);
      return workspace
        ? { kind: workspace.kind, questions: workspace.questions, initial: workspace.initial() }
        : { kind: null, questions: [], initial: {} };
    },
    'round.workspace': async (request, context) => {
      this.deps.checkOwner(request.sessionId, context);
      const workspace = this.live.get(request.sessionId);
      if (!workspace) {
        throw new ApiError(
          'not-found',
          'This round has no code pad or whiteboard (or it has ended).',
        );
      }
      if (request.code && workspace.kind !== 'code') {
        throw new ApiError('bad-request', 'This round has a whiteboard, not a code pad.');
      }
      if (request.diagram && workspace.kind !== 'whiteboard') {
        throw new ApiError('bad-request', 'This round has a code pad, not a whiteboard.');
      }
      workspace.update(request);
      return null;
    },
    'workspace.history': async ({ sessionId }) => {
      const session = await this.deps.sessions.get(sessionId);
      const saved = await readWorkspaceFile(
        sessionDirectory(this.deps.sessions.sessionsDir, sessionId),
      );
      if (!saved.workspace) return { ...saved, questions: [] };
      // The pack gives the problem statements; a pack no longer installed just has none.
      const { packs } = await loadRoundPacks(this.deps.promptsDir).catch(() => ({ packs: [] }));
      const pack = packs.find((p) => p.id === session.round.packId);
      return { ...saved, questions: pack ? workspaceQuestions(pack) : [] };
    },
  };
}

export function workspaceQuestions(pack: RoundPack): WorkspaceQuestion[] {
  return pack.questions.map((q) => ({
    id: q.id,
    topic: q.topic,
    prompt: q.prompt,
    entryPoint: q.code?.entryPoint ?? null,
    examples: (q.code?.examples ?? []).map((e, i) => ({
      name: e.name ?? `Example ${i + 1}`,
      args: e.args,
      expected: e.expected,
    })),
  }));
}

/** The service's handler table entries (one spread line in mockloopService.ts). */
export function workspaceHandlers(get: () => WorkspaceBackend): WorkspaceHandlers {
  return {
    'workspace.open': (request, context) => get().handlers['workspace.open'](request, context),
    'round.workspace': (request, context) => get().handlers['round.workspace'](request, context),
    'workspace.history': (request, context) =>
      get().handlers['workspace.history'](request, context),
  };
}
