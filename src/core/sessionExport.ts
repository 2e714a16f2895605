import { z } from 'zod';
import { annotationSchema, sortAnnotations, type Annotation } from './annotations';
import {
  codeSnapshotSchema,
  diagramSnapshotSchema,
  runSnapshotSchema,
  WORKSPACE_KINDS,
  type WorkspaceFile,
} from './workspace';
import { latestOfKind, scorecardSchema, type Scorecard } from './scorecard';
import { sessionSchema, type SessionRecord } from './session';
import { computeRoundSummary, type RoundSummary } from './summary';

/**
 * One session as a single JSON document: what the JSON export writes and what the
 * Markdown and PDF exports are rendered from (core/reviewDocument.ts). Its JSON Schema is
 * generated from these zod schemas and published as docs/schemas/session-export.schema.json
 * (`npm run schema`); a test keeps the checked-in file equal to the generated one.
 */
export const SESSION_EXPORT_FORMAT = 'mockloop-session-export';
export const SESSION_EXPORT_VERSION = 1;

export const exportFormats = ['md', 'pdf', 'json', 'bundle'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const roundSummarySchema = z.object({
  durationMs: z.number().nonnegative(),
  candidateTalkMs: z.number().nonnegative(),
  interviewerTalkMs: z.number().nonnegative(),
  candidateTurns: z.number().int().nonnegative(),
  interviewerTurns: z.number().int().nonnegative(),
  longestPauseMs: z.number(),
  transcriptAvailable: z.boolean(),
  wordsPerMinute: z.number().nullable(),
  fillerWords: z
    .object({ total: z.number().int().nonnegative(), byWord: z.record(z.string(), z.number()) })
    .nullable(),
}) satisfies z.ZodType<RoundSummary>;

const conceptCoverageSchema = z.object({
  concept: z.string(),
  /** The concept's short label (bundles from before labels have none). */
  label: z.string().optional(),
  covered: z.boolean(),
  matched: z.array(z.string()),
});

export const exportedQuestionSchema = z.object({
  id: z.string(),
  topic: z.string(),
  prompt: z.string(),
  /** Where the question was first asked, on the recording's clock. */
  askedAtMs: z.number().nonnegative(),
});
export type ExportedQuestion = z.infer<typeof exportedQuestionSchema>;

export const exportedAttemptSchema = z.object({
  attempt: z.number().int().positive(),
  questionId: z.string().nullable(),
  questionTopic: z.string(),
  session: sessionSchema,
  /** Which of the question's strong-answer concepts the attempt touched; null without a transcript. */
  coverage: z.array(conceptCoverageSchema).nullable(),
});
export type ExportedAttempt = z.infer<typeof exportedAttemptSchema>;

const latestVersion = z.number().int().positive().nullable();

export const sessionExportSchema = z
  .object({
    format: z.literal(SESSION_EXPORT_FORMAT),
    exportVersion: z.literal(SESSION_EXPORT_VERSION),
    exportedAt: z.string(),
    app: z.object({ name: z.literal('Mockloop'), version: z.string() }),
    /** `session.json` as stored (docs/session-format.md), including the interviewer's hidden notes. */
    session: sessionSchema,
    summary: roundSummarySchema,
    /** The round's questions as asked in this session, in order. */
    questions: z.array(exportedQuestionSchema),
    /** Notes made while replaying, sorted by time. */
    annotations: z.array(annotationSchema),
    attempts: z.array(exportedAttemptSchema),
    /** Every scorecard version, oldest first (`scorecards/<n>.json`). */
    scorecards: z.array(scorecardSchema),
    /** The version shown for each kind: the newest one, or null when there is none. */
    latestScorecards: z.object({
      model: latestVersion,
      offline: latestVersion,
      self: latestVersion,
    }),
    /** Coding and design rounds: the pad's or board's final state (`workspace.json`). */
    workspace: z
      .object({
        kind: z.enum(WORKSPACE_KINDS),
        finalCode: codeSnapshotSchema.nullable(),
        finalDiagram: diagramSnapshotSchema.nullable(),
        lastRun: runSnapshotSchema.nullable(),
      })
      .nullable()
      .optional(),
    /** Parts of the session folder that could not be read; the export holds the rest. */
    problems: z.array(z.string()),
  })
  .meta({
    title: 'Mockloop session export',
    description:
      'One interview session exported by Mockloop: the round, its timed transcript, the interviewer notes, replay notes, answer-again attempts and every scorecard version.',
  });
export type SessionExport = z.infer<typeof sessionExportSchema>;

export interface SessionExportInput {
  session: SessionRecord;
  questions: readonly ExportedQuestion[];
  annotations: readonly Annotation[];
  attempts: readonly ExportedAttempt[];
  scorecards: readonly Scorecard[];
  workspace?: WorkspaceFile | null;
  problems: readonly string[];
  exportedAt: string;
  appVersion: string;
}

export function buildSessionExport(input: SessionExportInput): SessionExport {
  const scorecards = [...input.scorecards].sort((a, b) => a.version - b.version);
  const latest = (kind: Scorecard['kind']) => latestOfKind(scorecards, kind)?.version ?? null;
  return {
    format: SESSION_EXPORT_FORMAT,
    exportVersion: SESSION_EXPORT_VERSION,
    exportedAt: input.exportedAt,
    app: { name: 'Mockloop', version: input.appVersion },
    session: input.session,
    summary: computeRoundSummary(input.session.turns, input.session.durationMs),
    questions: [...input.questions],
    annotations: sortAnnotations(input.annotations),
    attempts: [...input.attempts].sort((a, b) => a.attempt - b.attempt),
    scorecards,
    latestScorecards: { model: latest('model'), offline: latest('offline'), self: latest('self') },
    workspace: input.workspace
      ? {
          kind: input.workspace.kind,
          finalCode: lastByTime(input.workspace.code),
          finalDiagram: lastByTime(input.workspace.diagram),
          lastRun: lastByTime(input.workspace.runs),
        }
      : null,
    problems: [...input.problems],
  };
}

function lastByTime<T extends { atMs: number }>(list: readonly T[]): T | null {
  return list.reduce<T | null>(
    (last, item) => (!last || item.atMs >= last.atMs ? item : last),
    null,
  );
}

/** The published JSON Schema of the JSON export (describes the file as written). */
export function sessionExportJsonSchema(): Record<string, unknown> {
  // `input`: the file as written also satisfies the input side (defaults already applied),
  // and turn times' branded-number transforms have no JSON Schema form on the output side.
  return z.toJSONSchema(sessionExportSchema, { io: 'input', target: 'draft-2020-12' });
}

/** `mockloop-<id>.<ext>`: the file name every transport suggests for an export. */
export function exportFileName(sessionId: string, format: ExportFormat): string {
  const ext = { md: 'md', pdf: 'pdf', json: 'json', bundle: 'mockloop.tar' }[format];
  return `mockloop-${sessionId}.${ext}`;
}

/** Browser mode's download of an export (served by server/exportRoute.ts behind the token). */
export function exportDownloadPath(sessionId: string, format: ExportFormat): string {
  return `/export/sessions/${encodeURIComponent(sessionId)}/${format}`;
}

/** Browser mode's upload of a bundle to import (POST, same guard as the API). */
export const IMPORT_UPLOAD_PATH = '/import/sessions';
