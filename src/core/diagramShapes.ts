import type { DiagramElement } from './workspace';

/**
 * A whiteboard drawn without Excalidraw: its elements as plain geometric shapes, and the
 * same shapes as an SVG document. One geometry serves the replay (React draws the shapes)
 * and the PDF export (the SVG string), so both show the board alike.
 */
export type DiagramShape =
  | {
      kind: 'rect';
      id: string;
      x: number;
      y: number;
      width: number;
      height: number;
      dashed: boolean;
    }
  | { kind: 'ellipse'; id: string; cx: number; cy: number; rx: number; ry: number }
  | { kind: 'polygon'; id: string; points: string }
  | { kind: 'polyline'; id: string; points: string; arrow: boolean }
  | { kind: 'text'; id: string; x: number; y: number; lines: string[] };

export interface DiagramDrawing {
  viewBox: string;
  shapes: DiagramShape[];
  /** Every label on the board, for an accessible name. */
  labels: string[];
}

const PAD = 20;
export const DIAGRAM_LINE_HEIGHT = 20;

export function diagramDrawing(elements: readonly DiagramElement[]): DiagramDrawing | null {
  if (elements.length === 0) return null;
  const xs = elements.flatMap((e) => [e.x, e.x + e.width]);
  const ys = elements.flatMap((e) => [e.y, e.y + e.height]);
  const minX = Math.min(...xs) - PAD;
  const minY = Math.min(...ys) - PAD;
  const width = Math.max(...xs) - minX + PAD;
  const height = Math.max(...ys) - minY + PAD;
  const shapes = elements.flatMap((e): DiagramShape[] => {
    switch (e.type) {
      case 'rectangle':
      case 'frame':
        return [
          {
            kind: 'rect',
            id: e.id,
            x: Math.min(e.x, e.x + e.width),
            y: Math.min(e.y, e.y + e.height),
            width: Math.abs(e.width),
            height: Math.abs(e.height),
            dashed: e.type === 'frame',
          },
        ];
      case 'ellipse':
        return [
          {
            kind: 'ellipse',
            id: e.id,
            cx: e.x + e.width / 2,
            cy: e.y + e.height / 2,
            rx: Math.abs(e.width / 2),
            ry: Math.abs(e.height / 2),
          },
        ];
      case 'diamond': {
        const cx = e.x + e.width / 2;
        const cy = e.y + e.height / 2;
        const points = `${cx},${e.y} ${e.x + e.width},${cy} ${cx},${e.y + e.height} ${e.x},${cy}`;
        return [{ kind: 'polygon', id: e.id, points }];
      }
      case 'arrow':
      case 'line': {
        const points = (e.points ?? []).map(([px, py]) => `${e.x + px},${e.y + py}`).join(' ');
        return [{ kind: 'polyline', id: e.id, points, arrow: e.type === 'arrow' }];
      }
      case 'text':
        return [{ kind: 'text', id: e.id, x: e.x, y: e.y + 16, lines: (e.text ?? '').split('\n') }];
      default:
        return [];
    }
  });
  const labels = elements.filter((e) => e.type === 'text' && e.text).map((e) => e.text ?? '');
  return { viewBox: `${minX} ${minY} ${width} ${height}`, shapes, labels };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const INK = '#1d2330';

/** The board as a standalone SVG element (text escaped), for documents like the PDF. */
export function diagramSvg(elements: readonly DiagramElement[]): string | null {
  const drawing = diagramDrawing(elements);
  if (!drawing) return null;
  const stroke = `fill="none" stroke="${INK}" stroke-width="2"`;
  const body = drawing.shapes.map((s) => {
    switch (s.kind) {
      case 'rect':
        return `<rect x="${s.x}" y="${s.y}" width="${s.width}" height="${s.height}" rx="8" ${stroke}${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
      case 'ellipse':
        return `<ellipse cx="${s.cx}" cy="${s.cy}" rx="${s.rx}" ry="${s.ry}" ${stroke}/>`;
      case 'polygon':
        return `<polygon points="${s.points}" ${stroke}/>`;
      case 'polyline':
        return `<polyline points="${s.points}" ${stroke}${s.arrow ? ' marker-end="url(#arrowhead)"' : ''}/>`;
      case 'text':
        return `<text x="${s.x}" y="${s.y}" font-size="16" fill="${INK}">${s.lines
          .map(
            (line, i) =>
              `<tspan x="${s.x}" dy="${i === 0 ? 0 : DIAGRAM_LINE_HEIGHT}">${escapeXml(line)}</tspan>`,
          )
          .join('')}</text>`;
    }
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${drawing.viewBox}" role="img" aria-label="${escapeXml(`Whiteboard: ${drawing.labels.join('; ')}`)}">`,
    `<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${INK}"/></marker></defs>`,
    ...body,
    '</svg>',
  ].join('');
}
