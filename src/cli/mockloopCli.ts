import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SessionExporter } from '../backend/exportBackend';
import { exportFormats, type ExportFormat } from '../core/sessionExport';

/**
 * `npm run cli -- <command>`: exports and imports without the app.
 *
 *   export --data <dir> --session <id> --format md|pdf|json|bundle --out <path> [--force]
 *   import --data <dir> --file <bundle>
 *
 * Exit codes: 0 done, 1 the export or import failed (the message says why), 2 the command
 * line was wrong (usage is printed). Results go to stdout, one line; everything else to
 * stderr. Nothing of the session's content is printed.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage:
  npm run cli -- export --data <dir> --session <id> --format md|pdf|json|bundle --out <path> [--force]
  npm run cli -- import --data <dir> --file <bundle>

  --data      the Mockloop data folder (it holds sessions/)
  --session   the session id (its folder name under <data>/sessions)
  --format    md (Markdown), pdf, json (schema: docs/schemas/session-export.schema.json),
              bundle (the whole session folder, to import on another machine)
  --out       where to write the export; an existing file is kept unless --force
  --file      a session bundle (.mockloop.tar) to import
  --prompts   round packs folder (for question topics; default: the app's prompts/)`;

class UsageError extends Error {}

const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required.`);
  return value;
}

function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function runCli(
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let command: string | undefined;
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string' },
        session: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        file: { type: 'string' },
        prompts: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    values = parsed.values;
    if (values.help) {
      out(USAGE);
      return EXIT_OK;
    }
    if (parsed.positionals.length !== 1) {
      throw new UsageError('Give one command: export or import.');
    }
    command = parsed.positionals[0];
    if (command !== 'export' && command !== 'import') {
      throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (e) {
    err(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return EXIT_USAGE;
  }

  try {
    const dataDir = resolve(required(values.data as string | undefined, '--data'));
    const exporter = new SessionExporter({
      dataDir,
      promptsDir: resolve((values.prompts as string | undefined) ?? join(appRoot, 'prompts')),
      version: appVersion(),
    });
    if (command === 'export') {
      const session = required(values.session as string | undefined, '--session');
      const format = required(values.format as string | undefined, '--format');
      if (!exportFormats.includes(format as ExportFormat)) {
        throw new UsageError(
          `--format must be one of ${exportFormats.join(', ')}, not "${format}".`,
        );
      }
      const target = resolve(required(values.out as string | undefined, '--out'));
      if (values.file) throw new UsageError('--file belongs to import; export writes to --out.');
      if (!existsSync(dataDir)) {
        err(`There is no data folder at ${dataDir}.`);
        return EXIT_FAILED;
      }
      if (existsSync(target)) {
        if (statSync(target).isDirectory()) {
          err(`${target} is a folder; give a file name for --out.`);
          return EXIT_FAILED;
        }
        if (!values.force) {
          err(`${target} already exists; it was left as it is. Pass --force to replace it.`);
          return EXIT_FAILED;
        }
      }
      const { bytes } = await exporter.writeFile(session, format as ExportFormat, target);
      out(`Wrote ${target} (${bytes} bytes)`);
      return EXIT_OK;
    }
    const file = resolve(required(values.file as string | undefined, '--file'));
    if (values.session || values.format || values.out) {
      throw new UsageError('import takes --data and --file only.');
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      err(`There is no bundle at ${file}.`);
      return EXIT_FAILED;
    }
    const { sessionId, files } = await exporter.importFile(file);
    out(
      `Imported session ${sessionId} (${files} files) into ${join(dataDir, 'sessions', sessionId)}`,
    );
    return EXIT_OK;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${e.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    err(e instanceof Error ? e.message : String(e));
    return EXIT_FAILED;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCli(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  ).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(EXIT_FAILED);
    },
  );
}
