import { structuredPatch } from 'diff';
import type { DiagramElement } from './workspace';

/**
 * What the interviewer reads of the workspace: the whiteboard as plain text (a chat model
 * cannot see pixels) and what changed in the code since its last turn. Pure.
 */

const SHAPES = new Set<DiagramElement['type']>(['rectangle', 'ellipse', 'diamond', 'frame']);

/**
 * Reduces raw Excalidraw elements (from the canvas or a saved scene) to the fields that
 * matter. Deleted elements (Excalidraw keeps them, flagged, for undo and sync) and
 * malformed ones are dropped.
 */
export function reduceExcalidrawElements(raw: readonly unknown[]): DiagramElement[] {
  const out: DiagramElement[] = [];
  for (const item of raw) {
    if (!item || typeof item !== 'object') continue;
    const e = item as Record<string, unknown>;
    if (e.isDeleted === true || typeof e.id !== 'string' || typeof e.type !== 'string') continue;
    const reduced: DiagramElement = {
      id: e.id.slice(0, 100),
      type: knownType(e.type),
      x: finite(e.x),
      y: finite(e.y),
      width: finite(e.width),
      height: finite(e.height),
    };
    const text =
      e.type === 'text'
        ? stringOr(e.originalText) || stringOr(e.text)
        : e.type === 'frame'
          ? stringOr(e.name)
          : '';
    if (text.trim()) reduced.text = text.slice(0, 500);
    if (typeof e.containerId === 'string') reduced.containerId = e.containerId.slice(0, 100);
    const start = bindingId(e.startBinding);
    const end = bindingId(e.endBinding);
    if (start) reduced.startId = start;
    if (end) reduced.endId = end;
    if ((e.type === 'arrow' || e.type === 'line') && Array.isArray(e.points)) {
      const points = e.points
        .filter((p): p is [number, number] => Array.isArray(p) && p.length >= 2)
        .map(([px, py]): [number, number] => [finite(px), finite(py)]);
      reduced.points = sampled(points, MAX_POINTS);
    }
    out.push(reduced);
  }
  return out;
}

/**
 * The board as lines a model can reason about:
 *
 *   Boxes: [1] "Producer" (rectangle) …
 *   Arrows: "Producer" → "Broker" labelled "produce (acks=all)" …
 *   Notes: "RF=3" …
 *
 * Labels are the text bound to a shape (Excalidraw's container text), or else a free
 * text element drawn inside the shape. Unlabelled shapes get a number, so arrows between
 * them still read ("box 2 → box 3"). Ordered top-to-bottom, left-to-right, like reading.
 */
export function diagramText(elements: readonly DiagramElement[]): string {
  const byId = new Map(elements.map((e) => [e.id, e]));
  const readingOrder = (a: DiagramElement, b: DiagramElement) =>
    Math.round(a.y / 40) - Math.round(b.y / 40) || a.x - b.x;

  const shapes = elements.filter((e) => SHAPES.has(e.type)).sort(readingOrder);
  const arrows = elements.filter((e) => e.type === 'arrow' || e.type === 'line');
  const texts = elements.filter((e) => e.type === 'text' && e.text?.trim());

  const boundText = new Map<string, string[]>();
  const usedText = new Set<string>();
  for (const t of texts) {
    if (t.containerId && byId.has(t.containerId)) {
      boundText.set(t.containerId, [...(boundText.get(t.containerId) ?? []), clean(t.text!)]);
      usedText.add(t.id);
    }
  }
  // Free text drawn inside a shape labels it, as a person reading the board would take it.
  for (const t of texts) {
    if (usedText.has(t.id)) continue;
    const inside = shapes
      .filter((s) => s.type !== 'frame' && contains(s, t))
      .sort((a, b) => a.width * a.height - b.width * b.height)[0];
    if (inside) {
      boundText.set(inside.id, [...(boundText.get(inside.id) ?? []), clean(t.text!)]);
      usedText.add(t.id);
    }
  }

  const names = new Map<string, string>();
  shapes.forEach((s, i) => {
    const label = s.type === 'frame' ? clean(s.text ?? '') : (boundText.get(s.id) ?? []).join(' ');
    names.set(s.id, label ? `"${label}"` : `${noun(s)} ${i + 1}`);
  });
  const nameOf = (id: string | undefined, fallback: string) =>
    id && names.has(id) ? names.get(id)! : fallback;

  const lines: string[] = [];
  if (shapes.length > 0) {
    lines.push('Boxes:');
    for (const s of shapes) {
      const inFrame = shapes.find((f) => f.type === 'frame' && f.id !== s.id && contains(f, s));
      lines.push(
        `- ${names.get(s.id)} (${s.type})${inFrame ? ` inside ${names.get(inFrame.id)}` : ''}`,
      );
    }
  }
  if (arrows.length > 0) {
    lines.push('Arrows:');
    for (const a of [...arrows].sort(readingOrder)) {
      const label = (boundText.get(a.id) ?? []).join(' ');
      const from = nameOf(a.startId, nearestEnd(a, shapes, 'start', names) ?? 'nothing');
      const to = nameOf(a.endId, nearestEnd(a, shapes, 'end', names) ?? 'nothing');
      const joint = a.type === 'arrow' ? '→' : '—';
      lines.push(`- ${from} ${joint} ${to}${label ? ` labelled "${label}"` : ''}`);
    }
  }
  const notes = texts.filter((t) => !usedText.has(t.id)).sort(readingOrder);
  if (notes.length > 0) {
    lines.push('Notes:');
    for (const n of notes) lines.push(`- "${clean(n.text!)}"`);
  }
  const drawings = elements.filter((e) => e.type === 'freedraw' || e.type === 'image').length;
  if (drawings > 0) {
    lines.push(`(${drawings} freehand drawing${drawings === 1 ? '' : 's'} or image(s) not shown)`);
  }
  return lines.join('\n');
}

/** The labels on the board, for a spoken reference ("I see Producer and Broker…"). */
export function diagramLabels(elements: readonly DiagramElement[]): string[] {
  const labels = elements
    .filter((e) => e.type === 'text' && e.text?.trim())
    .map((e) => clean(e.text!));
  return [...new Set(labels)];
}

export interface CodeChanges {
  added: number;
  removed: number;
  /** Unified-diff hunks (no file headers), cut at `maxLines`. Empty when unchanged. */
  diff: string;
}

/**
 * What changed in the code between two versions, as unified-diff hunks (the `diff`
 * library's structured patch) with two lines of context — the form models read best.
 */
export function codeChanges(before: string, after: string, maxLines = 80): CodeChanges {
  if (before === after) return { added: 0, removed: 0, diff: '' };
  const patch = structuredPatch('before', 'after', before, after, undefined, undefined, {
    context: 2,
  });
  let added = 0;
  let removed = 0;
  const out: string[] = [];
  for (const hunk of patch.hunks) {
    out.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
      // "\ No newline at end of file" is noise to a reader.
      if (!line.startsWith('\\')) out.push(line);
    }
  }
  const cut = out.length > maxLines;
  const diff = (cut ? out.slice(0, maxLines) : out).join('\n');
  return {
    added,
    removed,
    diff: cut ? `${diff}\n… (${out.length - maxLines} more diff lines)` : diff,
  };
}

/** A long hand-drawn line keeps its shape with this many points; ends are always kept. */
const MAX_POINTS = 32;

function sampled<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)]!);
}

function knownType(type: string): DiagramElement['type'] {
  const known: DiagramElement['type'][] = [
    'rectangle',
    'ellipse',
    'diamond',
    'arrow',
    'line',
    'text',
    'freedraw',
    'frame',
    'image',
  ];
  if (type === 'magicframe') return 'frame';
  return (known as string[]).includes(type) ? (type as DiagramElement['type']) : 'other';
}

function finite(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function stringOr(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function bindingId(binding: unknown): string | null {
  if (!binding || typeof binding !== 'object') return null;
  const id = (binding as { elementId?: unknown }).elementId;
  return typeof id === 'string' ? id.slice(0, 100) : null;
}

/** Multi-line labels read as one line; quotes would break the quoting around them. */
function clean(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/"/g, "'").trim();
}

function noun(e: DiagramElement): string {
  return e.type === 'rectangle' ? 'box' : e.type;
}

function contains(outer: DiagramElement, inner: DiagramElement): boolean {
  const ox = Math.min(outer.x, outer.x + outer.width);
  const oy = Math.min(outer.y, outer.y + outer.height);
  const cx = inner.x + inner.width / 2;
  const cy = inner.y + inner.height / 2;
  return (
    cx >= ox && cx <= ox + Math.abs(outer.width) && cy >= oy && cy <= oy + Math.abs(outer.height)
  );
}

/**
 * An arrow drawn to a shape without snapping to it has no binding; its end point inside
 * a shape is what the candidate meant.
 */
function nearestEnd(
  arrow: DiagramElement,
  shapes: readonly DiagramElement[],
  end: 'start' | 'end',
  names: ReadonlyMap<string, string>,
): string | null {
  const points = arrow.points ?? [];
  const point = end === 'start' ? points[0] : points[points.length - 1];
  if (!point) return null;
  const px = arrow.x + point[0];
  const py = arrow.y + point[1];
  const hit = shapes
    .filter(
      (s) =>
        s.type !== 'frame' &&
        px >= s.x - 8 &&
        px <= s.x + s.width + 8 &&
        py >= s.y - 8 &&
        py <= s.y + s.height + 8,
    )
    .sort((a, b) => a.width * a.height - b.width * b.height)[0];
  return hit ? (names.get(hit.id) ?? null) : null;
}
