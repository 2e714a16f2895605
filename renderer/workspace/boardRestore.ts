import { convertToExcalidrawElements } from '@excalidraw/excalidraw';
import type { DiagramElement } from '../../src/core/workspace';

type Skeleton = NonNullable<Parameters<typeof convertToExcalidrawElements>[0]>[number];

/**
 * A resumed design round reopens the board it was cut off with. Only the reduced board is
 * saved (core/workspace.ts), so it is rebuilt through Excalidraw's element skeletons:
 * shapes with their labels, arrows bound to the same shapes, free text and lines. Styling
 * (colours, sloppiness) is not kept; freehand strokes and images are not restored.
 */
export function restoreBoard(elements: readonly DiagramElement[]) {
  const ids = new Set(elements.map((e) => e.id));
  const labels = new Map<string, string>();
  for (const e of elements) {
    if (e.type === 'text' && e.text && e.containerId && ids.has(e.containerId)) {
      labels.set(e.containerId, e.text);
    }
  }
  const skeletons: Skeleton[] = [];
  for (const e of elements) {
    const label = labels.get(e.id);
    const box = { id: e.id, x: e.x, y: e.y, width: e.width, height: e.height };
    switch (e.type) {
      case 'rectangle':
      case 'ellipse':
      case 'diamond':
        skeletons.push({ type: e.type, ...box, ...(label ? { label: { text: label } } : {}) });
        break;
      case 'arrow':
        skeletons.push({
          type: 'arrow',
          ...box,
          ...(e.points ? { points: e.points.map(([x, y]) => pointOf(x, y)) } : {}),
          ...(e.startId && ids.has(e.startId) ? { start: { id: e.startId } } : {}),
          ...(e.endId && ids.has(e.endId) ? { end: { id: e.endId } } : {}),
          ...(label ? { label: { text: label } } : {}),
        });
        break;
      case 'line':
        skeletons.push({
          type: 'line',
          ...box,
          ...(e.points ? { points: e.points.map(([x, y]) => pointOf(x, y)) } : {}),
        });
        break;
      case 'text':
        if (!e.text || (e.containerId && ids.has(e.containerId))) break;
        skeletons.push({ type: 'text', id: e.id, x: e.x, y: e.y, text: e.text });
        break;
      default:
        break;
    }
  }
  return convertToExcalidrawElements(skeletons);
}

/** Excalidraw's points are branded tuples; ours are plain pairs of the same numbers. */
function pointOf(x: number, y: number) {
  return [x, y] as unknown as NonNullable<Extract<Skeleton, { type: 'line' }>['points']>[number];
}
