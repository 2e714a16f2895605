import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionExporter } from '../../../src/backend/exportBackend';
import { escapeHtml, renderReviewHtml } from '../../../src/core/reviewHtml';
import { escapeMarkdown } from '../../../src/core/reviewExport';
import { sessionExportJsonSchema, sessionExportSchema } from '../../../src/core/sessionExport';
import { CRITERIA, HOSTILE, SESSION_ID, writeDocumentedSession } from './exportFixture';

const repo = join(import.meta.dirname, '../../..');
const SCHEMA_FILE = join(repo, 'docs', 'schemas', 'session-export.schema.json');

let dataDir: string;
let exporter: SessionExporter;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mockloop-export-'));
  await writeDocumentedSession(dataDir);
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

const text = (body: Uint8Array) => Buffer.from(body).toString('utf8');

/** What each criterion must show: its name, its score (or why there is none), its evidence times. */
const EXPECTED = [
  { name: 'Technical depth', score: '3/4', times: ['0:41'] },
  { name: 'Trade-off reasoning', score: 'not enough evidence', times: [] },
  { name: 'Communication', score: 'withdrawn', times: [] },
  { name: 'Operational judgement', score: '2/4', times: ['1:35'] },
];

describe('session export', () => {
  it('collects every scorecard version and marks the newest of each kind', async () => {
    const data = await exporter.collect(SESSION_ID);
    expect(data.scorecards.map((c) => [c.version, c.kind])).toEqual([
      [1, 'model'],
      [2, 'offline'],
      [3, 'self'],
      [4, 'model'],
    ]);
    expect(data.latestScorecards).toEqual({ model: 4, offline: 2, self: 3 });
    expect(data.attempts.map((a) => a.attempt)).toEqual([1]);
    expect(data.annotations).toHaveLength(1);
    expect(data.session.notes).toHaveLength(3);
    expect(data.problems).toEqual([]);
    expect(CRITERIA).toHaveLength(EXPECTED.length);
  });

  it('JSON: validates against the published schema, which equals the generated one', async () => {
    const published = JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    // Compared as data, so formatting the file (prettier) does not matter; when this fails,
    // run `npm run schema` and commit the file.
    expect(published).toEqual(sessionExportJsonSchema());

    const rendered = await exporter.render(SESSION_ID, 'json');
    expect(rendered.contentType).toMatch(/^application\/json/);
    expect(rendered.fileName).toBe(`mockloop-${SESSION_ID}.json`);
    const json = JSON.parse(text(rendered.body)) as unknown;
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(published);
    expect(validate(json), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(sessionExportSchema.safeParse(json).success).toBe(true);

    // And the schema is not a rubber stamp: a score of 7 is refused.
    const tampered = structuredClone(json) as { scorecards: { criteria?: { score: number }[] }[] };
    tampered.scorecards[3]!.criteria![0]!.score = 7;
    expect(validate(tampered)).toBe(false);
  });

  it('Markdown: the review with scorecards, hidden notes, notes, transcript and attempts', async () => {
    const rendered = await exporter.render(SESSION_ID, 'md');
    const md = text(rendered.body);
    expect(md).toContain('# Kafka internals — review');
    expect(md).toContain('Confluent engineering loop · with Ingrid (Principal engineer)');
    expect(md).toContain('## Model scorecard (version 4 · gpt-4.1 · 2026-11-24T20:00:00.000Z)');
    expect(md).toContain('Overall signal: **lean hire**');
    expect(md).toContain('- **Technical depth — 3/4**: Rationale for Technical depth.');
    expect(md).toContain('  - **0:41** “the high watermark advances”');
    expect(md).toContain('- **Trade-off reasoning — not enough evidence**');
    expect(md).toContain('- **Communication — withdrawn** (the scorer claimed 4/4');
    expect(md).toContain('### Per-question feedback');
    expect(md).toContain('Missing: unclean leader election');
    expect(md).toContain('- Walk through a broker failure step by step.');
    expect(md).toContain('## Offline metrics (version 2');
    expect(md).toContain('| Pace | 142 wpm |');
    expect(md).toContain('  - [ ] unclean leader election');
    expect(md).toContain('## Self-review (version 3');
    expect(md).toContain('- **Technical depth — 2/4**: Felt shaky on ISR.');
    expect(md).toContain('## Earlier scorecards (1)');
    expect(md).toContain(
      'Model scorecard v1** · 2026-11-21T20:00:00.000Z · gpt-4.1-mini · no hire',
    );
    expect(md).toContain("## Interviewer's notes");
    expect(md).toContain(
      '- **1:04** Replication — missing: Not yet covered: unclean leader election.',
    );
    // A note by labels: covered with its time and words, missed, the story's missing part,
    // and each label's full text once, at the end.
    expect(md).toContain('- **1:10** Replication\n  - [x] HW as ISR minimum (1:12)');
    expect(md).toContain('    > the minimum offset all in-sync replicas have');
    expect(md).toContain('  - [ ] unclean election\n  - STAR: missing measured result');
    expect(md).toContain('### Key points in full');
    expect(md).toContain(
      '  - **unclean election**: unclean leader election trades durability for availability',
    );
    expect(md).toContain('- **1:01–1:04** `rambling` — Three restarts before the point.');
    expect(md).toContain('  > so basically what we did was');
    expect(md).toContain('- **0:07 You:** The follower fetches');
    expect(md).toContain('**1:01 Ingrid:** And when a broker dies? _(interrupted)_');
    expect(md).toContain('### Attempt 1: ');
    // Transcript text is shown as said, never as Markdown or HTML.
    expect(md).toContain(escapeMarkdown(HOSTILE));
    expect(md).not.toContain('<script>');
  });

  it('HTML (the PDF template): escaped, self-contained, loads and runs nothing', () => {
    return exporter.collect(SESSION_ID).then((data) => {
      const html = renderReviewHtml(data);
      expect(html).toContain(escapeHtml(HOSTILE));
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain("default-src 'none'");
      expect(html).not.toMatch(/(src|href)=/);
      expect(html).toContain('@page');
    });
  });

  it('PDF: its text holds every criterion, score and evidence time', async () => {
    const rendered = await exporter.render(SESSION_ID, 'pdf');
    expect(Buffer.from(rendered.body).subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(dataDir, 'out.pdf');
    await writeFile(file, rendered.body);
    // pdftotext (poppler-utils) reads the PDF as a person would; whitespace is normalised
    // because line breaks fall wherever the page wraps.
    const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], {
      encoding: 'utf8',
    }).replace(/\s+/g, ' ');
    for (const c of EXPECTED) {
      expect(pdfText).toContain(`${c.name} — ${c.score}`);
      for (const t of c.times) expect(pdfText).toContain(t);
    }
    expect(pdfText).toContain('0:41 “the high watermark advances”');
    expect(pdfText).toContain('1:35 “not bold”');
    expect(pdfText).toContain('Overall signal: lean hire');
    expect(pdfText).toContain('Self-review (version 3');
    expect(pdfText).toContain('Technical depth — 2/4');
    expect(pdfText).toContain('Pace 142 wpm');
    expect(pdfText).toContain('Not yet covered: unclean leader election.');
    expect(pdfText).toContain(HOSTILE);
  }, 60_000);
});
