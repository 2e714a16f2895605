import { z } from 'zod';
import {
  annotationIdSchema,
  annotationNoteSchema,
  annotationTagSchema,
  type Annotation,
} from '../core/annotations';
import type { ConceptCoverage } from '../core/conceptCoverage';
import { sessionIdSchema, type SessionListItem, type SessionRecord } from '../core/session';
import type { RoundSummary } from '../core/summary';
import type { Turn } from '../core/transcript';
import type { RoundStarted } from './roundStarted';

/**
 * The replay's part of the API contract (merged into `apiRequests` in contract.ts):
 * opening a session for replay, notes on it and answer-again attempts (exports are in
 * exportContract.ts).
 */

const atMs = z
  .number()
  .finite()
  .nonnegative()
  .max(24 * 3600 * 1000);
const attemptNumber = z.number().int().min(1).max(9999);
const questionIdSchema = z.string().regex(/^[a-z0-9-]{1,100}$/, 'not a question id');

export const replayRequests = {
  'replay.open': z.object({ id: sessionIdSchema }).strict(),
  'annotations.add': z
    .object({
      sessionId: sessionIdSchema,
      startMs: atMs,
      endMs: atMs,
      tag: annotationTagSchema,
      note: annotationNoteSchema,
      quote: z.string().max(2000).optional(),
      turnId: z.string().max(40).optional(),
    })
    .strict(),
  'annotations.update': z
    .object({
      sessionId: sessionIdSchema,
      id: annotationIdSchema,
      /** The revision the edit was made on; a newer one on disk refuses the edit. */
      revision: z.number().int().positive(),
      startMs: atMs.optional(),
      endMs: atMs.optional(),
      tag: annotationTagSchema.optional(),
      note: annotationNoteSchema.optional(),
    })
    .strict(),
  'annotations.delete': z.object({ sessionId: sessionIdSchema, id: annotationIdSchema }).strict(),
  /** Starts a live answer-again attempt; then drive it with the round.* methods. */
  'attempts.start': z.object({ sessionId: sessionIdSchema, questionId: questionIdSchema }).strict(),
  'attempts.compare': z.object({ sessionId: sessionIdSchema, attempt: attemptNumber }).strict(),
} as const;

/** Per-channel min/max peaks, s16 little-endian bytes (see core/peaks.ts). */
export interface PeaksPayload {
  sampleRate: number;
  samplesPerPeak: number;
  frames: number;
  length: number;
  channels: Uint8Array[];
}

export interface ReplayQuestion {
  id: string;
  topic: string;
  prompt: string;
  /** Where the question was first asked in this session. */
  askedAtMs: number;
  endMs: number;
  /** False when the round pack is no longer installed: it cannot be asked again. */
  canAnswerAgain: boolean;
}

export interface AttemptInfo {
  attempt: number;
  questionId: string | null;
  createdAt: string;
  status: SessionListItem['status'];
  durationMs: number;
}

export interface ReplayData {
  session: SessionRecord;
  summary: RoundSummary;
  /** The recording, streamed with byte ranges (same origin as the page). */
  audioUrl: string | null;
  peaks: PeaksPayload | null;
  /** Why there is no waveform, when there is none. */
  audioProblem: string | null;
  annotations: Annotation[];
  annotationsProblem: string | null;
  questions: ReplayQuestion[];
  attempts: AttemptInfo[];
}

export interface CompareSide {
  label: string;
  turns: Turn[];
  audioUrl: string | null;
  /** The part of `audioUrl` that belongs to the question. */
  startMs: number;
  endMs: number;
  transcriptAvailable: boolean;
  /** Null when there is no transcript to match against. */
  coverage: ConceptCoverage[] | null;
}

export interface AttemptComparison {
  question: {
    id: string;
    topic: string;
    prompt: string;
    strongAnswer: { label: string; text: string }[];
  } | null;
  original: CompareSide;
  attempt: CompareSide & { attempt: number; status: SessionListItem['status'] };
}

export interface ReplayResponses {
  'replay.open': ReplayData;
  'annotations.add': Annotation;
  'annotations.update': Annotation;
  'annotations.delete': null;
  'attempts.start': RoundStarted & { attempt: number };
  'attempts.compare': AttemptComparison;
}
