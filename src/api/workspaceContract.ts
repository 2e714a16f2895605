import { z } from 'zod';
import { sessionIdSchema } from '../core/session';
import {
  codeLanguageSchema,
  diagramSchema,
  MAX_CODE_CHARS,
  runResultSchema,
  type CodeLanguage,
  type DiagramElement,
  type WorkspaceFile,
  type WorkspaceKind,
} from '../core/workspace';

/**
 * The code pad and whiteboard's part of the API contract (merged into `apiRequests` in
 * contract.ts): what the live round's workspace is, the candidate's updates to it while
 * the round runs, and its saved history for the replay.
 */

const atMs = z
  .number()
  .finite()
  .nonnegative()
  .max(24 * 3600 * 1000);

export const workspaceRequests = {
  /** The running round's workspace: which kind, and the coding questions' example cases. */
  'workspace.open': z.object({ sessionId: sessionIdSchema }).strict(),
  /**
   * The candidate's pad or board as it is now (the whole of it: updates are idempotent and
   * a lost one is repaired by the next), on the round's recording clock. A run's result
   * comes with the code it ran.
   */
  'round.workspace': z
    .object({
      sessionId: sessionIdSchema,
      atMs,
      code: z
        .object({ language: codeLanguageSchema, code: z.string().max(MAX_CODE_CHARS) })
        .strict()
        .optional(),
      diagram: diagramSchema.optional(),
      run: runResultSchema.optional(),
    })
    .strict()
    .refine((r) => r.code || r.diagram, 'send the code or the diagram'),
  /** A saved session's workspace history, for the replay. */
  'workspace.history': z.object({ sessionId: sessionIdSchema }).strict(),
} as const;

/** A coding question as the pad shows it. */
export interface WorkspaceQuestion {
  id: string;
  topic: string;
  prompt: string;
  /** The function the example cases call, when the question has cases. */
  entryPoint: string | null;
  examples: { name: string; args: unknown[]; expected: unknown }[];
}

/** What the pad or board opens with: a resumed round's last code or board. */
export interface WorkspaceInitial {
  code?: { language: CodeLanguage; code: string };
  diagram?: DiagramElement[];
}

export interface WorkspaceSpec {
  /** Null: this round has neither a pad nor a board. */
  kind: WorkspaceKind | null;
  questions: WorkspaceQuestion[];
  initial: WorkspaceInitial;
}

export interface WorkspaceResponses {
  'workspace.open': WorkspaceSpec;
  'round.workspace': null;
  'workspace.history': {
    /** Null when the session had no workspace (or it was never used). */
    workspace: WorkspaceFile | null;
    questions: WorkspaceQuestion[];
    /** Why the saved history cannot be shown, when it cannot. */
    problem: string | null;
  };
}
