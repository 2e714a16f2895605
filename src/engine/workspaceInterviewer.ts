import type { Turn } from '../core/transcript';
import {
  snapshotAt,
  type CodeSnapshot,
  type DiagramSnapshot,
  type RunResult,
  type RunSnapshot,
  type WorkspaceKind,
  type WorkspaceView,
} from '../core/workspace';
import { codeChanges, diagramLabels, diagramText } from '../core/workspaceText';
import { textStream } from '../providers/textStream';
import type { InterviewContext, Interviewer, InterviewerReply } from '../providers/types';

/**
 * Lets the round's interviewer see the candidate's code pad or whiteboard. Each open() and
 * reply() gets the workspace as it is now — and, for code, what changed since the
 * interviewer's last turn — in `context.workspace`; a model reads it as delimited data
 * (providers/openai/workspacePrompt.ts).
 *
 * The offline scripted interviewer cannot read code, so once per question, when the pad
 * or board changed enough, this asks a generic question about it instead ("what is the
 * complexity…?", "walk me through … on the board") — only about what it can honestly
 * know: that something changed, which labels are on the board, which example failed.
 */

/** The backend's live workspace for the round (backend/workspaceBackend.ts). */
export interface WorkspaceSource {
  readonly kind: WorkspaceKind;
  code(): readonly CodeSnapshot[];
  diagram(): readonly DiagramSnapshot[];
  lastRun(): RunSnapshot | null;
}

/** Fewer changed lines than this is tidying, not new code worth asking about. */
const MIN_CHANGED_LINES = 3;

export class WorkspaceInterviewer implements Interviewer {
  readonly info: Interviewer['info'];
  private readonly probed = new Set<string>();
  private codeProbes = 0;

  constructor(
    private readonly inner: Interviewer,
    private readonly source: WorkspaceSource,
  ) {
    this.info = inner.info;
  }

  /** For wrappers that look for the scripted interviewer's `resumeFrom` (resumedInterviewer.ts). */
  resumeFrom(context: InterviewContext): void {
    const inner = this.inner as Partial<{ resumeFrom(c: InterviewContext): void }>;
    inner.resumeFrom?.(context);
  }

  open(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
    return this.inner.open(this.withWorkspace(context), signal);
  }

  reply(context: InterviewContext, signal?: AbortSignal): InterviewerReply {
    const full = this.withWorkspace(context);
    if (this.inner.info.kind === 'embedded') {
      const probe = this.offlineProbe(full);
      if (probe) return probe;
    }
    return this.inner.reply(full, signal);
  }

  /** The workspace now, with what changed since the interviewer last spoke. */
  view(turns: readonly Turn[]): WorkspaceView {
    const since = lastInterviewerTurn(turns)?.startMs ?? Number.NEGATIVE_INFINITY;
    if (this.source.kind === 'code') {
      const history = this.source.code();
      const now = history[history.length - 1];
      const before = snapshotAt(history, since);
      const code = now?.code ?? '';
      const run = this.source.lastRun();
      // Only a run since the interviewer last spoke is news; older ones it has heard.
      const fresh = run && run.atMs >= since ? withoutTime(run) : null;
      return {
        kind: 'code',
        language: now?.language ?? 'python',
        code,
        changes: codeChanges(before?.code ?? '', code),
        ...(fresh ? { run: fresh } : {}),
      };
    }
    const history = this.source.diagram();
    const now = history[history.length - 1];
    const before = snapshotAt(history, since);
    return {
      kind: 'whiteboard',
      diagram: diagramText(now?.elements ?? []),
      diagramChanged: now !== undefined && now !== before,
    };
  }

  private withWorkspace(context: InterviewContext): InterviewContext {
    return { ...context, workspace: this.view(context.turns) };
  }

  private offlineProbe(context: InterviewContext): InterviewerReply | null {
    const view = context.workspace;
    const asking = lastInterviewerTurn(context.turns)?.questionId;
    const last = context.turns[context.turns.length - 1];
    if (!view || !asking || context.phase !== 'questions' || last?.speaker !== 'candidate') {
      return null;
    }
    if (this.probed.has(asking)) return null;
    const text = view.kind === 'code' ? this.codeProbe(view) : this.boardProbe(view);
    if (!text) return null;
    this.probed.add(asking);
    // Same question id: the scripted plan has not moved, so its next reply carries on.
    return { text: textStream(text), questionId: asking };
  }

  private codeProbe(view: WorkspaceView): string | null {
    const run = view.run;
    if (run?.outcome === 'timeout') {
      return 'Your last run was stopped because it did not finish in time. Is there a loop in there that might never end?';
    }
    if (run?.outcome === 'error') {
      return 'Your last run ended with an error. What do you think caused it?';
    }
    const failed = run?.cases.find((c) => c.passed === false);
    if (failed)
      return `I see ${failed.name} fails when you run it. What do you think is going wrong there?`;
    const changed = (view.changes?.added ?? 0) + (view.changes?.removed ?? 0);
    if (!view.code?.trim() || changed < MIN_CHANGED_LINES) return null;
    const probes = [
      'I see you have been writing code. What is the time and space complexity of what you have there?',
      'Looking at your code, what happens when the input is empty?',
    ];
    return probes[this.codeProbes++ % probes.length] ?? null;
  }

  private boardProbe(view: WorkspaceView): string | null {
    if (!view.diagramChanged) return null;
    const history = this.source.diagram();
    const labels = diagramLabels(history[history.length - 1]?.elements ?? []);
    // Two named parts make a flow worth asking about; a lone box does not yet.
    if (labels.length < 2) return null;
    const named = labels.slice(0, 3);
    const list =
      named.length === 2
        ? `${named[0]} and ${named[1]}`
        : `${named[0]}, ${named[1]} and ${named[2]}`;
    return `I see ${list} on the board. Walk me through how data flows between them, and what happens when one of them fails.`;
  }
}

function withoutTime({ atMs: _atMs, ...result }: RunSnapshot): RunResult {
  return result;
}

function lastInterviewerTurn(turns: readonly Turn[]): Turn | undefined {
  for (let i = turns.length - 1; i >= 0; i--) {
    if (turns[i]?.speaker === 'interviewer') return turns[i];
  }
  return undefined;
}
