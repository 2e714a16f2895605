import { describe, expect, it } from 'vitest';
import {
  addSnapshot,
  sameCode,
  snapshotAt,
  workspaceFileSchema,
  type CodeSnapshot,
} from '../../../src/core/workspace';
import {
  codeChanges,
  diagramLabels,
  diagramText,
  reduceExcalidrawElements,
} from '../../../src/core/workspaceText';

/** Raw elements as Excalidraw's onChange hands them over (trimmed to the fields used). */
const box = (id: string, x: number, y: number, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'rectangle',
  x,
  y,
  width: 160,
  height: 80,
  seed: 1,
  version: 3,
  isDeleted: false,
  boundElements: [],
  ...extra,
});
const text = (id: string, x: number, y: number, words: string, containerId?: string) => ({
  id,
  type: 'text',
  x,
  y,
  width: 100,
  height: 20,
  text: words,
  originalText: words,
  containerId: containerId ?? null,
  isDeleted: false,
});
const arrow = (
  id: string,
  x: number,
  y: number,
  points: [number, number][],
  start?: string,
  end?: string,
) => ({
  id,
  type: 'arrow',
  x,
  y,
  width: 100,
  height: 0,
  points,
  startBinding: start ? { elementId: start, focus: 0, gap: 4 } : null,
  endBinding: end ? { elementId: end, focus: 0, gap: 4 } : null,
  isDeleted: false,
});

describe('diagramText', () => {
  it('renders labelled boxes, bound arrows with labels and free notes', () => {
    const scene = [
      box('p', 0, 0),
      text('pl', 20, 30, 'Producer', 'p'),
      box('b', 300, 0),
      text('bl', 320, 30, 'Broker\n(leader)', 'b'),
      box('c', 600, 0),
      text('cl', 620, 30, 'Consumer', 'c'),
      arrow(
        'a1',
        160,
        40,
        [
          [0, 0],
          [140, 0],
        ],
        'p',
        'b',
      ),
      text('a1l', 200, 20, 'produce acks=all', 'a1'),
      arrow(
        'a2',
        460,
        40,
        [
          [0, 0],
          [140, 0],
        ],
        'b',
        'c',
      ),
      text('n', 0, 300, 'RF=3, min.insync=2'),
    ];
    expect(diagramText(reduceExcalidrawElements(scene))).toBe(
      [
        'Boxes:',
        '- "Producer" (rectangle)',
        '- "Broker (leader)" (rectangle)',
        '- "Consumer" (rectangle)',
        'Arrows:',
        '- "Producer" → "Broker (leader)" labelled "produce acks=all"',
        '- "Broker (leader)" → "Consumer"',
        'Notes:',
        '- "RF=3, min.insync=2"',
      ].join('\n'),
    );
  });

  it('skips deleted elements, including their labels', () => {
    const scene = [
      box('p', 0, 0),
      text('pl', 20, 30, 'Producer', 'p'),
      box('old', 300, 0, { isDeleted: true }),
      { ...text('oldl', 320, 30, 'Zookeeper', 'old'), isDeleted: true },
      { ...text('gone', 0, 300, 'scratch this'), isDeleted: true },
    ];
    const rendered = diagramText(reduceExcalidrawElements(scene));
    expect(rendered).toContain('"Producer"');
    expect(rendered).not.toContain('Zookeeper');
    expect(rendered).not.toContain('scratch');
  });

  it('reads unbound arrows by where their ends land and numbers unlabelled shapes', () => {
    const scene = [
      box('x', 0, 0),
      { ...box('y', 300, 0), type: 'ellipse' },
      text('free', 30, 30, 'Cache'), // drawn inside box x without binding: its label
      arrow('a', 150, 40, [
        [0, 0],
        [170, 0],
      ]),
      arrow('dangling', 0, 400, [
        [0, 0],
        [50, 0],
      ]),
    ];
    const rendered = diagramText(reduceExcalidrawElements(scene));
    expect(rendered).toContain('- "Cache" (rectangle)');
    expect(rendered).toContain('- ellipse 2 (ellipse)');
    expect(rendered).toContain('- "Cache" → ellipse 2');
    expect(rendered).toContain('- nothing → nothing');
    expect(rendered).not.toContain('Notes:');
  });

  it('says frames contain their shapes and counts freehand strokes', () => {
    const scene = [
      { ...box('f', -20, -20), type: 'frame', width: 600, height: 300, name: 'us-east-1' },
      box('b', 0, 0),
      text('bl', 20, 30, 'Broker', 'b'),
      { id: 'pen', type: 'freedraw', x: 0, y: 500, width: 10, height: 10, points: [] },
    ];
    const rendered = diagramText(reduceExcalidrawElements(scene));
    expect(rendered).toContain('- "Broker" (rectangle) inside "us-east-1"');
    expect(rendered).toContain('1 freehand drawing');
    expect(diagramLabels(reduceExcalidrawElements(scene))).toEqual(['Broker']);
  });

  it('ignores malformed input rather than failing the round', () => {
    expect(reduceExcalidrawElements([null, 3, { type: 'rectangle' }, { id: 'q' }])).toEqual([]);
    expect(diagramText([])).toBe('');
  });
});

describe('codeChanges', () => {
  it('is empty when nothing changed', () => {
    expect(codeChanges('a\nb\n', 'a\nb\n')).toEqual({ added: 0, removed: 0, diff: '' });
  });

  it('summarises added and removed lines as unified hunks', () => {
    const before =
      'def f(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total\n';
    const after =
      'def f(xs):\n    if not xs:\n        return 0\n    total = 0\n    for x in xs:\n        total += x * 2\n    return total\n';
    const changes = codeChanges(before, after);
    expect(changes.added).toBe(3);
    expect(changes.removed).toBe(1);
    expect(changes.diff).toContain('+    if not xs:');
    expect(changes.diff).toContain('-        total += x');
    expect(changes.diff).toContain('+        total += x * 2');
    expect(changes.diff).toMatch(/^@@ -1,5 \+1,7 @@/);
    expect(changes.diff).not.toContain('No newline');
  });

  it('treats the first code as all added and cuts long diffs', () => {
    const code = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n');
    const changes = codeChanges('', code, 20);
    expect(changes.added).toBe(200);
    expect(changes.diff.split('\n')).toHaveLength(21);
    expect(changes.diff).toMatch(/more diff lines\)$/);
  });
});

describe('snapshot history', () => {
  const snap = (atMs: number, code: string): CodeSnapshot => ({
    atMs,
    language: 'python',
    code,
  });

  it('drops unchanged snapshots and coalesces bursts of typing', () => {
    let h: readonly CodeSnapshot[] = [];
    h = addSnapshot(h, snap(1000, 'a'), sameCode);
    h = addSnapshot(h, snap(2000, 'a'), sameCode);
    expect(h).toHaveLength(1);
    h = addSnapshot(h, snap(3000, 'ab'), sameCode);
    h = addSnapshot(h, snap(4000, 'abc'), sameCode);
    expect(h.map((s) => s.code)).toEqual(['a', 'abc']);
    h = addSnapshot(h, snap(20_000, 'abcd'), sameCode);
    expect(h.map((s) => [s.atMs, s.code])).toEqual([
      [1000, 'a'],
      [4000, 'abc'],
      [20_000, 'abcd'],
    ]);
  });

  it('finds the snapshot in force at a time', () => {
    const h = [snap(1000, 'a'), snap(9000, 'b'), snap(20_000, 'c')];
    expect(snapshotAt(h, 500)).toBeNull();
    expect(snapshotAt(h, 1000)?.code).toBe('a');
    expect(snapshotAt(h, 8999)?.code).toBe('a');
    expect(snapshotAt(h, 60_000)?.code).toBe('c');
  });

  it('never reorders history when a late update arrives', () => {
    let h: readonly CodeSnapshot[] = [snap(10_000, 'a'), snap(30_000, 'b')];
    h = addSnapshot(h, snap(29_000, 'c'), sameCode);
    expect(h.map((s) => s.atMs)).toEqual([10_000, 30_000]);
    expect(h[1]?.code).toBe('c');
  });

  it('validates the saved file', () => {
    expect(
      workspaceFileSchema.safeParse({
        version: 1,
        kind: 'code',
        code: [snap(0, 'x')],
        diagram: [],
        runs: [],
      }).success,
    ).toBe(true);
    expect(workspaceFileSchema.safeParse({ version: 2, kind: 'code' }).success).toBe(false);
  });
});

describe('snapshots a run refers to', () => {
  it('are kept when typing follows within the coalescing window', () => {
    const a: CodeSnapshot = { atMs: 1000, language: 'javascript', code: 'a' };
    const ran: CodeSnapshot = { atMs: 20_000, language: 'javascript', code: 'ran' };
    const next: CodeSnapshot = { atMs: 21_000, language: 'javascript', code: 'typed after' };
    const h = addSnapshot([a, ran], next, sameCode, true);
    expect(h.map((s) => s.code)).toEqual(['a', 'ran', 'typed after']);
  });
});

describe('long lines on the board', () => {
  it('keep their ends and a bounded number of points', () => {
    const points = Array.from({ length: 500 }, (_, i) => [i, i * 2]);
    const [line] = reduceExcalidrawElements([
      { id: 'l', type: 'line', x: 0, y: 0, width: 499, height: 998, points },
    ]);
    expect(line?.points).toHaveLength(32);
    expect(line?.points?.[0]).toEqual([0, 0]);
    expect(line?.points?.[31]).toEqual([499, 998]);
  });
});
