import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Prints the PDF export's HTML with a headless Chromium, for browser mode and the CLI
 * (the desktop app prints with Electron's own `printToPDF` instead). Chromium is spawned
 * with `--print-to-pdf` rather than driven over CDP: no extra runtime dependency, and
 * nothing to go wrong between two processes. The page is a local file whose CSP forbids
 * every fetch, in a fresh throwaway profile.
 */
export class ChromiumMissingError extends Error {
  constructor() {
    super(
      'PDF export needs Chromium or Google Chrome, and none was found. Install it (Debian/Ubuntu: `apt-get install chromium`; macOS/Windows: Google Chrome) or set CHROME_PATH to its executable. Markdown, JSON and bundle exports work without it.',
    );
    this.name = 'ChromiumMissingError';
  }
}

const ABSOLUTE_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];
const NAMES_ON_PATH = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * CHROME_PATH (or MOCKLOOP_CHROMIUM, which the tests use) wins; then the usual install
 * places; then the names on PATH. Null when there is none.
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  isExecutable: (path: string) => boolean = executable,
): string | null {
  for (const name of ['CHROME_PATH', 'MOCKLOOP_CHROMIUM'] as const) {
    const given = env[name];
    if (given) return isExecutable(given) ? given : null;
  }
  for (const path of ABSOLUTE_CANDIDATES) if (isExecutable(path)) return path;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES_ON_PATH) {
      if (isExecutable(join(dir, name))) return join(dir, name);
    }
  }
  return null;
}

export interface PrintOptions {
  chromium?: string | null;
  timeoutMs?: number;
}

export async function printHtmlToPdf(html: string, options: PrintOptions = {}): Promise<Buffer> {
  const chromium = options.chromium === undefined ? findChromium() : options.chromium;
  if (!chromium) throw new ChromiumMissingError();
  const work = await mkdtemp(join(tmpdir(), 'mockloop-pdf-'));
  try {
    const page = join(work, 'review.html');
    const out = join(work, 'review.pdf');
    await writeFile(page, html);
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${join(work, 'profile')}`,
      '--no-pdf-header-footer',
      // The same switch under its older name, for Chromium before 115.
      '--print-to-pdf-no-header',
      `--print-to-pdf=${out}`,
      pathToFileURL(page).href,
    ];
    // Chromium refuses to start its sandbox as root (containers, CI); the page is our own
    // escaped HTML that may load nothing, so running it unsandboxed there is acceptable.
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    await run(chromium, args, options.timeoutMs ?? 60_000);
    const pdf = await readFile(out).catch(() => null);
    if (!pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
      throw new Error(`${chromium} ran but wrote no PDF. Try again, or export Markdown instead.`);
    }
    return pdf;
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Chromium did not finish printing the PDF within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`Could not start ${command} to print the PDF: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else {
        const last = stderr.trim().split('\n').at(-1) ?? '';
        reject(
          new Error(
            `Chromium could not print the PDF (exit ${code ?? signal})${last ? `: ${last}` : ''}.`,
          ),
        );
      }
    });
  });
}
