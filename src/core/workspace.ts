import { z } from 'zod';

/**
 * The candidate's shared workspace in coding and design rounds: a code pad or a
 * whiteboard. Pure: the schemas of what the renderer sends and what `workspace.json`
 * keeps (see docs/session-format.md), and the reductions the interviewer reads. The
 * candidate's code and drawing are personal data — never log them.
 */

export const WORKSPACE_KINDS = ['code', 'whiteboard'] as const;
export type WorkspaceKind = (typeof WORKSPACE_KINDS)[number];

export const CODE_LANGUAGES = ['python', 'java', 'typescript', 'javascript', 'go'] as const;
export const codeLanguageSchema = z.enum(CODE_LANGUAGES);
export type CodeLanguage = z.infer<typeof codeLanguageSchema>;

/** A pad holds one solution, not a project: 64 KB is far more than an interview answer. */
export const MAX_CODE_CHARS = 64_000;
/** A busy design board has ~100 shapes; the cap keeps one update small. */
export const MAX_DIAGRAM_ELEMENTS = 500;
export const MAX_ELEMENT_TEXT = 500;
export const MAX_RUN_OUTPUT_CHARS = 4_000;

const atMsSchema = z
  .number()
  .finite()
  .nonnegative()
  .max(24 * 3600 * 1000);

/**
 * A whiteboard element reduced to what the interviewer and the replay need: the shape,
 * where it is, its words, and for arrows what they join. Excalidraw's own element has
 * ~30 fields (seed, version, roughness…) that mean nothing to either.
 */
export const diagramElementSchema = z
  .object({
    id: z.string().min(1).max(100),
    type: z.enum([
      'rectangle',
      'ellipse',
      'diamond',
      'arrow',
      'line',
      'text',
      'freedraw',
      'frame',
      'image',
      'other',
    ]),
    x: z.number().finite(),
    y: z.number().finite(),
    width: z.number().finite(),
    height: z.number().finite(),
    /** The words of a text element (or a frame's name). */
    text: z.string().max(MAX_ELEMENT_TEXT).optional(),
    /** A text element bound inside a shape or on an arrow: that element's id. */
    containerId: z.string().max(100).optional(),
    /** Arrows: the elements their ends are bound to. */
    startId: z.string().max(100).optional(),
    endId: z.string().max(100).optional(),
    /** Arrows and lines: points relative to x/y, so the replay can draw them. */
    points: z
      .array(z.tuple([z.number().finite(), z.number().finite()]))
      .max(200)
      .optional(),
  })
  .strict();
export type DiagramElement = z.infer<typeof diagramElementSchema>;

export const diagramSchema = z.array(diagramElementSchema).max(MAX_DIAGRAM_ELEMENTS);

/** One example case of a coding question, run against the candidate's code. */
export const runCaseResultSchema = z
  .object({
    name: z.string().max(200),
    passed: z.boolean().nullable(),
    /** What the candidate's function returned (JSON), or the error it threw. */
    actual: z.string().max(MAX_RUN_OUTPUT_CHARS),
    expected: z.string().max(MAX_RUN_OUTPUT_CHARS).optional(),
    ms: z.number().finite().nonnegative(),
  })
  .strict();

/** What pressing Run produced: the interviewer hears it with the code. */
export const runResultSchema = z
  .object({
    language: codeLanguageSchema,
    /** `ok` ran to the end; `error` failed to compile or threw; `timeout` was stopped. */
    outcome: z.enum(['ok', 'error', 'timeout']),
    message: z.string().max(MAX_RUN_OUTPUT_CHARS).optional(),
    output: z.string().max(MAX_RUN_OUTPUT_CHARS),
    cases: z.array(runCaseResultSchema).max(50),
    ms: z.number().finite().nonnegative(),
  })
  .strict();
export type RunResult = z.infer<typeof runResultSchema>;

export const codeSnapshotSchema = z
  .object({
    atMs: atMsSchema,
    language: codeLanguageSchema,
    code: z.string().max(MAX_CODE_CHARS),
  })
  .strict();
export type CodeSnapshot = z.infer<typeof codeSnapshotSchema>;

export const diagramSnapshotSchema = z
  .object({ atMs: atMsSchema, elements: diagramSchema })
  .strict();
export type DiagramSnapshot = z.infer<typeof diagramSnapshotSchema>;

export const runSnapshotSchema = runResultSchema.extend({ atMs: atMsSchema }).strict();
export type RunSnapshot = z.infer<typeof runSnapshotSchema>;

/** `<session>/workspace.json`. */
export const workspaceFileSchema = z
  .object({
    version: z.literal(1),
    kind: z.enum(WORKSPACE_KINDS),
    code: z.array(codeSnapshotSchema),
    diagram: z.array(diagramSnapshotSchema),
    runs: z.array(runSnapshotSchema),
  })
  .strict();
export type WorkspaceFile = z.infer<typeof workspaceFileSchema>;

export function emptyWorkspaceFile(kind: WorkspaceKind): WorkspaceFile {
  return { version: 1, kind, code: [], diagram: [], runs: [] };
}

/**
 * Two updates closer than this replace each other in the saved history: typing produces
 * an update a second, and a snapshot every few seconds is all the replay needs.
 */
export const SNAPSHOT_COALESCE_MS = 5_000;
/** An hour at one snapshot per coalescing window, with room for bursts. */
export const MAX_SNAPSHOTS = 1_000;

/**
 * Adds a snapshot to a time-ordered history: an unchanged one is dropped, one within the
 * coalescing window replaces the last. Returns the same array when nothing changed.
 */
export function addSnapshot<T extends { atMs: number }>(
  history: readonly T[],
  next: T,
  same: (a: T, b: T) => boolean,
  /** The last snapshot must stay (a run's result refers to it): append, never replace. */
  keepLast = false,
): readonly T[] {
  const last = history[history.length - 1];
  if (last && same(last, next)) return history;
  // The renderer's clock never goes back, but a late message must not reorder history.
  if (last && next.atMs < last.atMs) next = { ...next, atMs: last.atMs };
  // Keep the first snapshot whole: it marks when the pad was first used.
  if (last && !keepLast && history.length > 1 && next.atMs - last.atMs < SNAPSHOT_COALESCE_MS) {
    return [...history.slice(0, -1), next];
  }
  if (history.length >= MAX_SNAPSHOTS) return [...history.slice(0, -1), next];
  return [...history, next];
}

export const sameCode = (a: CodeSnapshot, b: CodeSnapshot) =>
  a.code === b.code && a.language === b.language;
export const sameDiagram = (a: DiagramSnapshot, b: DiagramSnapshot) =>
  JSON.stringify(a.elements) === JSON.stringify(b.elements);

/** The snapshot in force at `atMs` (the last one at or before it), or null before the first. */
export function snapshotAt<T extends { atMs: number }>(
  history: readonly T[],
  atMs: number,
): T | null {
  let lo = 0;
  let hi = history.length - 1;
  let found: T | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const item = history[mid]!;
    if (item.atMs <= atMs) {
      found = item;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * What the interviewer is shown of the workspace with each turn (InterviewContext):
 * delimited data, never instructions.
 */
export interface WorkspaceView {
  kind: WorkspaceKind;
  language?: CodeLanguage;
  /** The code as it is now ('' when the pad is empty). */
  code?: string;
  /** What changed since the interviewer's last turn, as unified-diff hunks. */
  changes?: { added: number; removed: number; diff: string };
  /** The latest run, when it happened since the interviewer's last turn. */
  run?: RunResult;
  /** The board as text (core/workspaceText.ts `diagramText`). */
  diagram?: string;
  /** The board changed since the interviewer's last turn. */
  diagramChanged?: boolean;
}
