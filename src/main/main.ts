import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  webContents,
} from 'electron';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MockloopService } from '../backend/mockloopService';
import { contentSecurityPolicyFor, pagePath } from '../core/contentSecurityPolicy';
import { ApiKeyStore } from './apiKeyStore';
import { appFiles, promptsDir } from './appFiles';
import { electronDesktopFiles, windowForClient } from './desktopFiles';
import { UtilityProcessFlite } from './fliteUtilityProcess';
import { UtilityProcessWhisper } from './whisperUtilityProcess';
import { serveAppProtocol } from './appProtocol';
import { installIpcTransport } from './ipcTransport';
import { mediaProtocolResponse } from './mediaProtocol';
import { allowPermission, APP_ORIGIN, APP_SCHEME, isTrustedUrl, trustedOrigins } from './security';

// Defined by @electron-forge/plugin-vite at build time.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

/**
 * The desktop app's main process: a window, the app protocol, permissions and the IPC
 * transport. Everything else lives in src/backend and below, shared with browser mode.
 */
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    // `stream`: the replay's audio element reads recordings with byte ranges.
    privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
  },
]);

const devServerUrl =
  typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const origins = trustedOrigins(devServerUrl);

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const keys = new ApiKeyStore(userData, safeStorage);
  await keys.load();

  const files = appFiles(__dirname, MAIN_WINDOW_VITE_NAME);
  const pkg = JSON.parse(readFileSync(join(app.getAppPath(), 'package.json'), 'utf8')) as {
    version: string;
  };
  // The offline voice runs in a utility process, apart from the main process; its WASI
  // module ships beside the host, so nothing is read from node_modules at run time.
  const flite = new UtilityProcessFlite(files.voiceHost, files.voiceModule);
  // Local speech recognition likewise, started when a round first needs it.
  const whisper = new UtilityProcessWhisper(files.speechHost);
  const service = new MockloopService({
    fliteRunner: flite,
    whisperRunner: whisper,
    dataDir: join(userData, 'data'),
    promptsDir: promptsDir({
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
      resourcesPath: process.resourcesPath,
    }),
    mode: 'electron',
    version: pkg.version,
    keyVault: keys,
    env: {
      apiKey: process.env.OPENAI_API_KEY || undefined,
      baseUrl: process.env.OPENAI_BASE_URL || undefined,
    },
    desktopFiles: electronDesktopFiles({
      dialog,
      windowFor: (clientId) =>
        windowForClient(clientId, webContents.fromId, BrowserWindow.fromWebContents),
      createPrintWindow: () =>
        new BrowserWindow({
          show: false,
          // The exported page only needs to render: no script, no Node, sandboxed (the
          // other secure settings are Electron's defaults).
          webPreferences: {
            javascript: false,
            sandbox: true,
            contextIsolation: true,
            disableBlinkFeatures: 'Auxclick',
          },
        }),
      documentsDir: app.getPath('documents'),
      tempDir: app.getPath('temp'),
    }),
  });
  await service.recover();

  serveAppProtocol(
    protocol,
    APP_SCHEME,
    files.rendererDir,
    (req) => mediaProtocolResponse(req, service.sessions.sessionsDir),
    // A realtime round over WebRTC posts its SDP offer to the API origin from the window.
    () => service.connectSources(),
  );
  const ses = session.defaultSession;
  // The app protocol sends its own CSP; this also covers Vite's dev server in `npm start`.
  // electronegativity-justified: CSP_GLOBAL_CHECK — the policy is built by contentSecurityPolicy() (tested), so the scanner cannot parse it statically.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const respond = (realtime: string[]) =>
      callback({
        // electronegativity-justified: CSP_GLOBAL_CHECK — built by contentSecurityPolicyFor() (tested), so the scanner cannot parse it statically.
        responseHeaders: {
          ...details.responseHeaders,
          // The code pad's sandbox page gets its own, stricter policy (core/contentSecurityPolicy.ts).
          'Content-Security-Policy': [
            contentSecurityPolicyFor(
              isTrustedUrl(details.url, origins) ? pagePath(details.url) : '/',
              [...(devServerUrl ? ['ws:'] : []), ...realtime],
            ),
          ],
        },
      });
    // Only a page's own policy governs its connections; the settings are read for pages.
    if (details.resourceType !== 'mainFrame') return respond([]);
    void service.connectSources().then(respond, () => respond([]));
  });
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(allowPermission(permission, details.requestingUrl, mediaTypes, origins));
  });
  ses.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) =>
      permission === 'media' && isTrustedUrl(requestingOrigin, origins),
  );
  installIpcTransport({ ipcMain, handlers: service.handlers, origins });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedUrl(url, origins)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  const createWindow = () => {
    const window = new BrowserWindow({
      width: 1180,
      height: 860,
      title: 'Mockloop',
      icon: files.windowIcon,
      // Spelled out here (not built elsewhere) so the security scanner can read them.
      webPreferences: {
        // electronegativity-justified: PRELOAD_JS_CHECK — our own preload; it exposes only call/onEvent through contextBridge.
        preload: files.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        disableBlinkFeatures: 'Auxclick',
        spellcheck: false,
      },
    });
    window.webContents.on(
      'destroyed',
      () => void service.clientGone(`window-${window.webContents.id}`),
    );
    void window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  };
  createWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    void service.shutdown();
    flite.close();
    whisper.close();
  });
}

void start();
