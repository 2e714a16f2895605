import type { BrowserWindow, Dialog, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { electronDesktopFiles, windowForClient } from '../../../src/main/desktopFiles';

/** Electron objects faked with just what desktopFiles.ts touches (Electron cannot run here). */
describe('desktop export dialogs and printing', () => {
  const win = { id: 'w' } as unknown as BrowserWindow;

  it('finds the window of the API caller, and nothing for anything else', () => {
    const contents = { id: 7 } as unknown as WebContents;
    const fromId = (id: number) => (id === 7 ? contents : undefined);
    const fromContents = (c: WebContents) => (c === contents ? win : null);
    expect(windowForClient('window-7', fromId, fromContents)).toBe(win);
    expect(windowForClient('window-8', fromId, fromContents)).toBeNull();
    expect(windowForClient('web-1', fromId, fromContents)).toBeNull();
  });

  it('asks where to save under the documents folder, and reports a cancel as null', async () => {
    const calls: unknown[][] = [];
    let answer = { canceled: false, filePath: '/home/me/x.pdf' };
    const dialog = {
      showSaveDialog: async (...args: unknown[]) => {
        calls.push(args);
        return answer;
      },
    } as unknown as Dialog;
    const files = electronDesktopFiles({
      dialog,
      windowFor: () => win,
      createPrintWindow: () => {
        throw new Error('not used');
      },
      documentsDir: '/home/me/Documents',
      tempDir: '/tmp',
    });
    expect(await files.chooseSavePath('window-1', 'mockloop-s.pdf', 'pdf')).toBe('/home/me/x.pdf');
    expect(calls[0]?.[0]).toBe(win);
    expect(calls[0]?.[1]).toMatchObject({
      defaultPath: '/home/me/Documents/mockloop-s.pdf',
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    });
    answer = { canceled: true, filePath: '' };
    expect(await files.chooseSavePath('window-1', 'mockloop-s.md', 'md')).toBeNull();
  });

  it('opens one file for a bundle or a speech recognition model, with its own filter', async () => {
    const calls: unknown[][] = [];
    let answer = { canceled: false, filePaths: ['/home/me/ggml-base.en.bin'] };
    const dialog = {
      showOpenDialog: async (...args: unknown[]) => {
        calls.push(args);
        return answer;
      },
    } as unknown as Dialog;
    const files = electronDesktopFiles({
      dialog,
      windowFor: (clientId) => (clientId === 'window-1' ? win : null),
      createPrintWindow: () => {
        throw new Error('not used');
      },
      documentsDir: '/home/me/Documents',
      tempDir: '/tmp',
    });
    expect(await files.chooseModelFile('window-1')).toBe('/home/me/ggml-base.en.bin');
    expect(calls[0]?.[0]).toBe(win);
    expect(calls[0]?.[1]).toMatchObject({
      title: 'Use a speech recognition model file',
      properties: ['openFile'],
      filters: [
        { name: 'whisper.cpp model (ggml)', extensions: ['bin'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    // No window to parent it to: the dialog still opens, on its own.
    expect(await files.chooseBundle('web-1')).toBe('/home/me/ggml-base.en.bin');
    expect(calls[1]?.[0]).toMatchObject({ title: 'Import a session bundle' });
    answer = { canceled: true, filePaths: [] };
    expect(await files.chooseModelFile('window-1')).toBeNull();
  });

  it('prints through a throwaway window that is always destroyed', async () => {
    let destroyed = false;
    let loaded = '';
    const printWindow = {
      loadFile: async (path: string) => {
        loaded = path;
      },
      webContents: { printToPDF: async () => Buffer.from('%PDF-1.7') },
      destroy: () => {
        destroyed = true;
      },
    } as unknown as BrowserWindow;
    const files = electronDesktopFiles({
      dialog: {} as Dialog,
      windowFor: () => null,
      createPrintWindow: () => printWindow,
      documentsDir: '/d',
      tempDir: (await import('node:os')).tmpdir(),
    });
    const pdf = await files.printPdf('<p>x</p>');
    expect(Buffer.from(pdf).toString()).toBe('%PDF-1.7');
    expect(loaded).toMatch(/mockloop-print-[0-9a-f]+\.html$/);
    expect(destroyed).toBe(true);
    const { existsSync } = await import('node:fs');
    expect(existsSync(loaded)).toBe(false);
  });
});
