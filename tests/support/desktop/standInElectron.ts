/**
 * The program behind the stand-in Electron binary (standInDist.ts writes the binary, a
 * shell script that runs this with Node). Like Electron it finds the app — the folder
 * given on the command line (`electron .`, as `npm start` runs it), or, renamed by the
 * packager, its own `resources/` — reads `main` from the app's package.json and loads
 * it, with `require('electron')` answered by the recording stand-in. Then the driver
 * plays the renderer's part and the report goes to MOCKLOOP_STANDIN_REPORT.
 *
 * Node cannot read app.asar; a packaged run is given the archive extracted
 * (MOCKLOOP_STANDIN_APP_DIR) and checks the archive itself is where Electron looks.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { runDriver } from './desktopDriver';
import type { DesktopReport } from './desktopReport';
import { createElectronStandIn } from './electronStandIn';

const env = process.env;
const exe = env.MOCKLOOP_STANDIN_EXE ?? 'electron';
const reportPath = env.MOCKLOOP_STANDIN_REPORT;
const home = env.MOCKLOOP_STANDIN_HOME;
const fsLog = env.MOCKLOOP_STANDIN_FS_LOG;
if (!reportPath || !home || !fsLog) {
  throw new Error('the stand-in Electron needs MOCKLOOP_STANDIN_REPORT, _HOME and _FS_LOG');
}
const here = import.meta.dirname;
const electronLoads = new Set<string>();

async function main(): Promise<Omit<DesktopReport, 'loadedFiles'>> {
  // The packager renames the binary after the app: that is how Electron knows it is packaged.
  const packaged = basename(exe) !== 'electron';
  const resourcesPath = join(dirname(resolve(exe)), 'resources');
  let appPath: string;
  if (packaged) {
    if (!existsSync(join(resourcesPath, 'app.asar'))) {
      throw new Error(`packaged, but there is no ${join(resourcesPath, 'app.asar')}`);
    }
    appPath = resolve(env.MOCKLOOP_STANDIN_APP_DIR ?? '');
  } else {
    appPath = resolve(process.argv[2] ?? '.');
  }
  const pkg = JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8')) as { main?: string };
  if (!pkg.main) throw new Error(`${appPath}/package.json names no main`);
  const mainScript = join(appPath, pkg.main);

  // What Electron sets up before the app runs.
  Object.defineProperty(process, 'resourcesPath', { value: resourcesPath });
  env.MOCKLOOP_STANDIN_APP_ROOT = appPath;
  const standIn = createElectronStandIn({
    appPath,
    isPackaged: packaged,
    resourcesPath,
    home: home!,
    utilityRequires: [join(here, 'fsRecorder.cjs'), join(here, 'utilityParentPort.cjs')],
    onElectronLoads: (path) => electronLoads.add(resolve(path)),
  });
  (globalThis as Record<symbol, unknown>)[Symbol.for('mockloop.electron-stand-in')] =
    standIn.module;
  const shim = join(here, 'electronShim.cjs');
  const modules = Module as unknown as {
    _resolveFilename(request: string, ...rest: unknown[]): string;
  };
  const resolveFilename = modules._resolveFilename;
  modules._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'electron' ? shim : resolveFilename.call(this, request, ...rest);
  };

  if (!existsSync(mainScript)) throw new Error(`package.json main ${mainScript} does not exist`);
  electronLoads.add(mainScript);
  createRequire(import.meta.url)(mainScript);
  return runDriver(standIn, {
    mode: packaged ? 'packaged' : 'development',
    appPath,
    resourcesPath,
    mainScript,
    packageMain: pkg.main,
  });
}

function loadedFiles(): string[] {
  const logged = existsSync(fsLog!) ? readFileSync(fsLog!, 'utf8').split('\n') : [];
  return [...new Set([...electronLoads, ...logged.filter(Boolean)])].sort();
}

main().then(
  (report) => {
    writeFileSync(reportPath, JSON.stringify({ ...report, loadedFiles: loadedFiles() }, null, 2));
    process.exit(0);
  },
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    writeFileSync(reportPath, JSON.stringify({ error: message, loadedFiles: loadedFiles() }));
    process.exit(1);
  },
);
