import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A recording stand-in for the `electron` module, for loading the built main bundle in
 * plain Node (the Electron binary cannot be downloaded here). It implements what
 * src/main uses, records what the app registers and creates, and lets the driver call
 * it (protocol handlers, IPC handlers, permission handlers) as Chromium would. The voice
 * host is forked for real, with Node, in place of a utility process. Anything the app
 * asks of Electron that is not here throws, so a new use shows up as a red test.
 */

export interface StandInConfig {
  appPath: string;
  isPackaged: boolean;
  resourcesPath: string;
  /** userData, documents and temp live under here. */
  home: string;
  /** Preloaded into forked utility processes (fsRecorder, parentPort shim). */
  utilityRequires: string[];
  /** Files Electron itself would load for the app (preload, icon, utility entry). */
  onElectronLoads(path: string): void;
}

type Handler = (...args: never[]) => unknown;
export type ProtocolHandler = (request: Request) => Promise<Response>;
export interface IpcEvent {
  senderFrame: { url: string; parent: unknown };
  sender: StandInWebContents;
}

export class StandInWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = StandInWebContents.nextId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  private destroyed = false;

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('send on destroyed webContents');
    this.sent.push({ channel, args });
    this.emit('stand-in:sent', channel, ...args);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  printToPDF(): Promise<Buffer> {
    return Promise.resolve(Buffer.from('%PDF-1.7 stand-in'));
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export interface StandInRecord {
  ready: boolean;
  privilegedSchemes: {
    scheme: string;
    privileges: Record<string, boolean>;
    beforeReady: boolean;
  }[];
  protocolHandlers: Map<string, ProtocolHandler>;
  ipcHandlers: Map<string, (event: IpcEvent, ...args: unknown[]) => unknown>;
  windows: StandInWindow[];
  headersReceived: Handler | null;
  permissionRequest: Handler | null;
  permissionCheck: Handler | null;
  forks: { modulePath: string; serviceName: string | null; child: ChildProcess }[];
  /** What the user picks in the next open dialogs (the driver queues it); empty: cancel. */
  openDialogAnswers: string[];
  /** Titles of the open dialogs the app showed. */
  openDialogs: string[];
}

export interface StandInWindow {
  options: { icon?: string; webPreferences?: Record<string, unknown> } & Record<string, unknown>;
  urls: string[];
  webContents: StandInWebContents;
}

export function createElectronStandIn(config: StandInConfig) {
  const record: StandInRecord = {
    ready: false,
    privilegedSchemes: [],
    protocolHandlers: new Map(),
    ipcHandlers: new Map(),
    windows: [],
    headersReceived: null,
    permissionRequest: null,
    permissionCheck: null,
    forks: [],
    openDialogAnswers: [],
    openDialogs: [],
  };
  const contentsById = new Map<number, StandInWebContents>();

  const app = Object.assign(new EventEmitter(), {
    isPackaged: config.isPackaged,
    whenReady: () =>
      new Promise<void>((resolve) =>
        setImmediate(() => {
          record.ready = true;
          resolve();
        }),
      ),
    getPath(name: string): string {
      const paths: Record<string, string> = {
        userData: join(config.home, 'userData'),
        documents: join(config.home, 'Documents'),
        temp: join(config.home, 'tmp'),
      };
      const path = paths[name];
      if (!path) throw new Error(`stand-in app.getPath has no "${name}"`);
      return path;
    },
    getAppPath: () => config.appPath,
    getVersion: () => 'stand-in',
    quit(): void {
      app.emit('before-quit', { preventDefault() {} });
      app.emit('will-quit', { preventDefault() {} });
      app.emit('quit');
    },
  });

  class BrowserWindow extends EventEmitter {
    readonly webContents = new StandInWebContents();
    private readonly entry: StandInWindow;
    constructor(options: StandInWindow['options']) {
      super();
      this.entry = { options, urls: [], webContents: this.webContents };
      record.windows.push(this.entry);
      contentsById.set(this.webContents.id, this.webContents);
      const preload = options.webPreferences?.preload;
      if (typeof preload === 'string') config.onElectronLoads(preload);
      if (options.icon) config.onElectronLoads(options.icon);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string): Promise<void> {
      this.entry.urls.push(url);
      return Promise.resolve();
    }
    loadFile(path: string): Promise<void> {
      this.entry.urls.push(`file://${path}`);
      return Promise.resolve();
    }
    destroy(): void {
      this.webContents.destroy();
    }
    static getAllWindows(): BrowserWindow[] {
      return [];
    }
    static fromWebContents(
      contents: StandInWebContents,
    ): { webContents: StandInWebContents } | null {
      const entry = record.windows.find((w) => w.webContents === contents);
      return entry ? { webContents: entry.webContents } : null;
    }
  }

  const utilityProcess = {
    fork(
      modulePath: string,
      args: string[] = [],
      options: { serviceName?: string; stdio?: 'ignore' | 'inherit' | 'pipe' } = {},
    ) {
      if (!existsSync(modulePath))
        throw new Error(`utilityProcess.fork: no such file ${modulePath}`);
      config.onElectronLoads(modulePath);
      const child = fork(modulePath, args, {
        execArgv: config.utilityRequires.flatMap((path) => ['--require', path]),
        // Electron's utility processes pass messages by structured clone, like this.
        serialization: 'advanced',
        // Electron's default is to inherit the parent's output; 'ignore' drops it.
        stdio:
          options.stdio === 'ignore'
            ? ['ignore', 'ignore', 'ignore', 'ipc']
            : ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      record.forks.push({ modulePath, serviceName: options.serviceName ?? null, child });
      const handle = Object.assign(new EventEmitter(), {
        get pid() {
          return child.pid;
        },
        postMessage: (message: unknown) => child.send(message as never),
        kill: () => child.kill(),
      });
      child.on('message', (message) => handle.emit('message', message));
      child.on('exit', (code) => handle.emit('exit', code ?? 1));
      return handle;
    },
  };

  const electron: Record<string, unknown> = {
    app,
    BrowserWindow,
    utilityProcess,
    protocol: {
      registerSchemesAsPrivileged(
        schemes: { scheme: string; privileges: Record<string, boolean> }[],
      ) {
        for (const s of schemes)
          record.privilegedSchemes.push({ ...s, beforeReady: !record.ready });
      },
      handle(scheme: string, handler: ProtocolHandler) {
        record.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived(handler: Handler) {
            record.headersReceived = handler;
          },
        },
        setPermissionRequestHandler(handler: Handler) {
          record.permissionRequest = handler;
        },
        setPermissionCheckHandler(handler: Handler) {
          record.permissionCheck = handler;
        },
      },
    },
    ipcMain: {
      handle(channel: string, handler: (event: IpcEvent, ...args: unknown[]) => unknown) {
        record.ipcHandlers.set(channel, handler);
      },
    },
    webContents: { fromId: (id: number) => contentsById.get(id) },
    // Reversible, and visibly not plain text, like the OS keychain's.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(plain, 'utf8').reverse(),
      decryptString: (sealed: Buffer) => Buffer.from(sealed).reverse().toString('utf8'),
    },
    dialog: {
      showSaveDialog: () => Promise.resolve({ canceled: true, filePath: undefined }),
      showOpenDialog: (...args: unknown[]) => {
        const options = args.at(-1) as { title?: string };
        record.openDialogs.push(options.title ?? '');
        const answer = record.openDialogAnswers.shift();
        return Promise.resolve(
          answer ? { canceled: false, filePaths: [answer] } : { canceled: true, filePaths: [] },
        );
      },
    },
  };

  const module = new Proxy(electron, {
    get(target, key) {
      if (typeof key === 'symbol' || key in target) return target[key as string];
      if (key === '__esModule' || key === 'default' || key === 'then') return undefined;
      throw new Error(
        `The app used electron.${key}, which the stand-in does not have: add it to tests/support/desktop/electronStandIn.ts`,
      );
    },
  });
  return { module, record, app };
}
