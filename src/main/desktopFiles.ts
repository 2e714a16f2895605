import type { BrowserWindow, Dialog, FileFilter, WebContents } from 'electron';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DesktopFiles } from '../backend/exportBackend';
import type { ExportFormat } from '../core/sessionExport';

/**
 * The desktop's side of exports (backend/exportBackend.ts): the system's save and open
 * dialogs, parented to the window that asked, and PDF printing with Electron's own
 * Chromium (`webContents.printToPDF`), so the desktop needs no separate browser. Electron
 * objects come in as arguments so this stays a plain function.
 */
const FILTERS: Record<ExportFormat, FileFilter[]> = {
  md: [{ name: 'Markdown', extensions: ['md'] }],
  pdf: [{ name: 'PDF', extensions: ['pdf'] }],
  json: [{ name: 'JSON', extensions: ['json'] }],
  bundle: [{ name: 'Mockloop session bundle', extensions: ['tar'] }],
};

export interface DesktopFilesDeps {
  dialog: Dialog;
  /** The window of an API caller (`window-<webContents id>`, see ipcTransport.ts). */
  windowFor(clientId: string): BrowserWindow | null;
  /** A hidden window for printing; see main.ts for its locked-down webPreferences. */
  createPrintWindow(): BrowserWindow;
  documentsDir: string;
  tempDir: string;
}

export function windowForClient(
  clientId: string,
  fromId: (id: number) => WebContents | undefined,
  fromWebContents: (contents: WebContents) => BrowserWindow | null,
): BrowserWindow | null {
  const match = /^window-(\d+)$/.exec(clientId);
  const contents = match ? fromId(Number(match[1])) : undefined;
  return contents ? fromWebContents(contents) : null;
}

export function electronDesktopFiles(deps: DesktopFilesDeps): DesktopFiles {
  return {
    async chooseSavePath(clientId, suggestedName, format) {
      const options = {
        title: 'Export session',
        defaultPath: join(deps.documentsDir, suggestedName),
        filters: FILTERS[format],
        properties: ['createDirectory', 'showOverwriteConfirmation'] as (
          'createDirectory' | 'showOverwriteConfirmation'
        )[],
      };
      const parent = deps.windowFor(clientId);
      const result = parent
        ? await deps.dialog.showSaveDialog(parent, options)
        : await deps.dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    chooseBundle: (clientId) =>
      chooseFile(deps, clientId, 'Import a session bundle', FILTERS.bundle),
    chooseModelFile: (clientId) =>
      chooseFile(deps, clientId, 'Use a speech recognition model file', [
        { name: 'whisper.cpp model (ggml)', extensions: ['bin'] },
      ]),
    async printPdf(html) {
      // A file rather than a data: URL, which Chromium caps at 2 MB.
      const page = join(deps.tempDir, `mockloop-print-${randomBytes(6).toString('hex')}.html`);
      await writeFile(page, html);
      const window = deps.createPrintWindow();
      try {
        await window.loadFile(page);
        return await window.webContents.printToPDF({
          printBackground: true,
          preferCSSPageSize: true,
          generateDocumentOutline: true,
        });
      } finally {
        window.destroy();
        await rm(page, { force: true }).catch(() => undefined);
      }
    },
  };
}

/** The system's open dialog for one file, parented to the caller's window. */
async function chooseFile(
  deps: DesktopFilesDeps,
  clientId: string,
  title: string,
  filters: FileFilter[],
): Promise<string | null> {
  const options = {
    title,
    filters: [...filters, { name: 'All files', extensions: ['*'] }],
    properties: ['openFile'] as 'openFile'[],
  };
  const parent = deps.windowFor(clientId);
  const result = parent
    ? await deps.dialog.showOpenDialog(parent, options)
    : await deps.dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
