import { z } from 'zod';
import { exportFormats } from '../core/sessionExport';
import { sessionIdSchema } from '../core/session';

/**
 * Export and import (merged into `apiRequests` in contract.ts). Files never travel over
 * the API itself — a recording can be hundreds of megabytes:
 * - on the desktop the backend asks where to save (or which bundle to open) with the
 *   system's file dialog and reads or writes the file itself;
 * - in browser mode the answer is a URL on the same server: the renderer downloads the
 *   export from it, or uploads a bundle to it, with the page's access token.
 */
export const exportRequests = {
  'sessions.export': z.object({ id: sessionIdSchema, format: z.enum(exportFormats) }).strict(),
  'sessions.import': z.object({}).strict(),
} as const;

export type ExportOutcome =
  /** Desktop: written where the user chose. */
  | { kind: 'saved'; path: string; bytes: number }
  /** Desktop: the save dialog was cancelled. */
  | { kind: 'cancelled' }
  /** Browser mode: download it from this same-origin URL. */
  | { kind: 'download'; url: string; fileName: string };

export type ImportOutcome =
  | { kind: 'imported'; sessionId: string; title: string }
  | { kind: 'cancelled' }
  /** Browser mode: POST the bundle's bytes to this same-origin URL. */
  | { kind: 'upload'; url: string };

export interface ExportResponses {
  'sessions.export': ExportOutcome;
  'sessions.import': ImportOutcome;
}
