import { z } from 'zod';

/**
 * Notes on moments of a session, made while replaying it: a time span of the recording,
 * a tag and free text. Stored in `<session>/annotations.json` (docs/session-format.md).
 * Each note carries a revision so an edit made from a stale copy (another window) is
 * refused instead of silently overwriting a newer one.
 */
export const ANNOTATIONS_VERSION = 1;

/** Offered in the tag field; any other short tag is allowed too. */
export const SUGGESTED_TAGS = [
  'strong example',
  'rambling',
  'unclear',
  'missed ISR',
  'good structure',
  'filler words',
  'follow up',
] as const;

const maxMs = 24 * 3600 * 1000;
export const annotationTagSchema = z
  .string()
  .trim()
  .min(1, 'a tag is needed')
  .max(40, 'tags are at most 40 characters');
export const annotationNoteSchema = z.string().max(4000, 'notes are at most 4000 characters');
export const annotationIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'not a note id');

export const annotationSchema = z.object({
  id: annotationIdSchema,
  startMs: z.number().finite().nonnegative().max(maxMs),
  endMs: z.number().finite().nonnegative().max(maxMs),
  tag: annotationTagSchema,
  note: annotationNoteSchema,
  /** Transcript text the note was made on, when it was made by selecting text. */
  quote: z.string().max(2000).optional(),
  /** The turn the note was made on, when known. */
  turnId: z.string().max(40).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  revision: z.number().int().positive(),
});
export type Annotation = z.infer<typeof annotationSchema>;

export const annotationsFileSchema = z.object({
  version: z.literal(ANNOTATIONS_VERSION),
  annotations: z.array(annotationSchema),
});
export type AnnotationsFile = z.infer<typeof annotationsFileSchema>;

export interface AnnotationInput {
  startMs: number;
  endMs: number;
  tag: string;
  note: string;
  quote?: string;
  turnId?: string;
}

export interface AnnotationPatch {
  startMs?: number;
  endMs?: number;
  tag?: string;
  note?: string;
}

/** Ordered by time, then creation. */
export function sortAnnotations(list: readonly Annotation[]): Annotation[] {
  return [...list].sort(
    (a, b) => a.startMs - b.startMs || a.endMs - b.endMs || a.createdAt.localeCompare(b.createdAt),
  );
}

/** Tags in use, most used first, for the filter. */
export function annotationTags(list: readonly Annotation[]): { tag: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const a of list) counts.set(a.tag, (counts.get(a.tag) ?? 0) + 1);
  return [...counts]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}

export function filterByTag(list: readonly Annotation[], tag: string | null): Annotation[] {
  return tag === null ? [...list] : list.filter((a) => a.tag === tag);
}

/** A span in order and inside the recording. */
export function clampSpan(
  startMs: number,
  endMs: number,
  durationMs: number,
): { startMs: number; endMs: number } {
  const lo = Math.max(0, Math.min(startMs, endMs));
  const hi = Math.max(startMs, endMs);
  const limit = durationMs > 0 ? durationMs : hi;
  return { startMs: Math.min(lo, limit), endMs: Math.min(hi, limit) };
}
