import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionExporter } from '../../../src/backend/exportBackend';
import { diagramSvg } from '../../../src/core/diagramShapes';
import { SESSION_ID, writeDocumentedSession } from './exportFixture';

const repo = join(import.meta.dirname, '../../..');
const CODE =
  'def assign(partitions, consumers):\n    return {c: [] for c in consumers}  # ``` inside';

/** `workspace.json` as docs/session-format.md describes it: an early and a final state. */
const WORKSPACE = {
  version: 1,
  kind: 'code',
  code: [
    { atMs: 30_000, language: 'python', code: 'def assign():\n    pass' },
    { atMs: 95_000, language: 'python', code: CODE },
  ],
  diagram: [
    {
      atMs: 90_000,
      elements: [
        { id: 'b', type: 'rectangle', x: 0, y: 0, width: 120, height: 60 },
        {
          id: 'bt',
          type: 'text',
          x: 10,
          y: 10,
          width: 80,
          height: 20,
          text: 'Broker',
          containerId: 'b',
        },
        { id: 'c', type: 'rectangle', x: 300, y: 0, width: 120, height: 60 },
        {
          id: 'ct',
          type: 'text',
          x: 310,
          y: 10,
          width: 80,
          height: 20,
          text: 'Consumer <x>',
          containerId: 'c',
        },
        {
          id: 'a',
          type: 'arrow',
          x: 120,
          y: 30,
          width: 180,
          height: 0,
          startId: 'b',
          endId: 'c',
          points: [
            [0, 0],
            [180, 0],
          ],
        },
      ],
    },
  ],
  runs: [
    {
      atMs: 96_000,
      language: 'python',
      outcome: 'ok',
      output: '',
      cases: [
        { name: 'two consumers', passed: true, actual: '{}', ms: 3 },
        { name: 'empty', passed: false, actual: '{}', expected: '[]', ms: 1 },
      ],
      ms: 12,
    },
  ],
};

let dataDir: string;
let exporter: SessionExporter;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mockloop-ws-export-'));
  await writeDocumentedSession(dataDir);
  await writeFile(
    join(dataDir, 'sessions', SESSION_ID, 'workspace.json'),
    JSON.stringify(WORKSPACE),
  );
  exporter = new SessionExporter({
    dataDir,
    promptsDir: join(repo, 'prompts'),
    version: '0.0.0-test',
    now: () => new Date('2026-12-01T10:00:00.000Z'),
  });
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('exports of a coding or design round', () => {
  it('JSON and Markdown hold the final code, the last run and the final board', async () => {
    const data = await exporter.collect(SESSION_ID);
    expect(data.workspace?.finalCode?.code).toBe(CODE);
    expect(data.workspace?.lastRun?.atMs).toBe(96_000);
    const md = Buffer.from((await exporter.render(SESSION_ID, 'md')).body).toString('utf8');
    expect(md).toContain('## Final code (python, at 1:35)');
    // The fence outgrows the backticks inside the code, which stays verbatim.
    expect(md).toContain(`\`\`\`\`python\n${CODE}\n\`\`\`\``);
    expect(md).toContain('Last run at 1:36:');
    expect(md).toContain('1 of 2 examples passed');
    expect(md).toMatch(/Final whiteboard \(at 1:30\)/);
    expect(md).toMatch(/"Broker" → "Consumer <x>"/);
  });

  it('the PDF draws the board and its text holds its labels and the code', async () => {
    const svg = diagramSvg(WORKSPACE.diagram[0]!.elements as never)!;
    expect(svg).toContain('Consumer &#60;x&#62;');
    const rendered = await exporter.render(SESSION_ID, 'pdf');
    const file = join(dataDir, 'ws.pdf');
    await writeFile(file, rendered.body);
    const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], {
      encoding: 'utf8',
    }).replace(/\s+/g, ' ');
    expect(pdfText).toContain('Final whiteboard (at 1:30)');
    expect(pdfText).toContain('Broker');
    expect(pdfText).toContain('Consumer <x>');
    expect(pdfText).toContain('def assign(partitions, consumers):');
  }, 60_000);
});
