// Runs Electronegativity over src/ (offline: the Electron version is given, so no
// release lookup matters) and fails on any finding that is not justified inline with a
// comment `electronegativity-justified: CHECK_ID — reason` on one of the three lines
// above the flagged line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
).version;

/** One scan; the CSV rows of its findings. */
function scan() {
  const out = join(mkdtempSync(join(tmpdir(), 'eneg-')), 'findings.csv');
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/@doyensec/electronegativity/dist/index.js'),
      '-i',
      join(root, 'src'),
      '-r',
      '-e',
      electronVersion,
      '-o',
      out,
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  return readFileSync(out, 'utf8').trim().split('\n').slice(1).filter(Boolean).map(parseCsvLine);
}

function parseCsvLine(line) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

// The tool sometimes exits before its CSV is fully written (seen on a loaded machine): a
// row that is not a whole finding means the scan is read again, not judged.
const whole = (row) => row.length >= 8 && /^(LOW|MEDIUM|HIGH|INFORMATIONAL)$/.test(row[1]);
let rows = scan();
for (let attempt = 1; attempt < 3 && !rows.every(whole); attempt++) rows = scan();
if (!rows.every(whole)) {
  console.error('Electronegativity wrote an incomplete report three times; run it again.');
  process.exit(1);
}
const unjustified = [];
for (const [check, severity, , file, location, , description] of rows) {
  let justified = false;
  if (file && file !== 'N/A') {
    const lines = readFileSync(join(root, 'src', file), 'utf8').split('\n');
    const line = Number(location.split(':')[0]);
    const above = lines.slice(Math.max(0, line - 4), line).join('\n');
    justified = above.includes(`electronegativity-justified: ${check}`);
  }
  if (!justified) unjustified.push(`${check} (${severity}) ${file}:${location} — ${description}`);
}
console.log(
  `Electronegativity: ${rows.length} finding(s), ${rows.length - unjustified.length} justified inline.`,
);
if (unjustified.length > 0) {
  console.error(`Unjustified findings:\n  ${unjustified.join('\n  ')}`);
  process.exit(1);
}
