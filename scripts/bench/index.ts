// `npm run bench [-- --out bench-results.json] [--runs 15] [--section replay]`
//
// Benchmarks are not tests: they print figures and write them to one JSON object; they
// never pass or fail. Each section measures one area and returns flat, named figures
// (`replay_open_ms`, …) that are merged into the JSON, so other sections (latency, …)
// can be added beside it. Running one section keeps the other sections' figures already
// in the file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { latencySection } from './latency';
import { localSttSection } from './localStt';
import { longRoundSection } from './longRound';
import { replaySection } from './replay';
import type { Section } from './section';
import type { Figure } from './stats';
import { removeOnInterrupt } from './tempFolders';

const SECTIONS: Record<string, Section> = {
  replay: replaySection,
  'long-round': longRoundSection,
  latency: latencySection,
  'local-stt': localSttSection,
};

function printTable(figures: Record<string, Figure>): void {
  const rows = Object.entries(figures).map(([name, f]) => [
    name,
    String(f.median),
    String(f.p95),
    String(f.min),
    String(f.max),
    String(f.runs),
    f.unit,
  ]);
  const header = ['figure', 'median', 'p95', 'min', 'max', 'runs', 'unit'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  removeOnInterrupt();
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'bench-results.json' },
      runs: { type: 'string', default: '15' },
      section: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer`);
  const names = values.section?.length ? values.section : Object.keys(SECTIONS);
  for (const name of names) {
    if (!SECTIONS[name])
      throw new Error(`Unknown section "${name}" (have: ${Object.keys(SECTIONS).join(', ')})`);
  }

  const out = resolve(values.out);
  const previous = existsSync(out)
    ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>)
    : {};
  const result: Record<string, unknown> = {
    ...previous,
    generatedAt: new Date().toISOString(),
    machine: { platform: `${platform()} ${release()}`, cpus: cpus().length, node: process.version },
  };
  const sections = { ...((previous.sections as Record<string, unknown>) ?? {}) };
  for (const name of names) {
    console.log(`\n== ${name} ==`);
    const started = Date.now();
    const { figures, notes } = await SECTIONS[name]!({
      runs,
      log: (line) => console.log(`  ${line}`),
    });
    Object.assign(result, figures);
    sections[name] = {
      ranAt: new Date().toISOString(),
      seconds: Math.round((Date.now() - started) / 1000),
      figures: Object.keys(figures),
      notes,
    };
    printTable(figures);
  }
  result.sections = sections;
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nWrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
