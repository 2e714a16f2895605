import { z } from 'zod';

/**
 * Speech recognition models on this computer (merged into `apiRequests` in contract.ts):
 * the catalog with what is installed, downloads (started here, followed by polling
 * `models.list`, which carries each one's progress), cancel, "use a file I already have"
 * (a typed path, or on the desktop the system's file dialog: `models.choose`) and remove.
 */
const modelId = z.string().min(1).max(200);

export const modelsRequests = {
  'models.list': z.object({}).strict(),
  'models.download': z.object({ id: modelId }).strict(),
  'models.cancel': z.object({ id: modelId }).strict(),
  'models.import': z.object({ path: z.string().trim().min(1).max(4096) }).strict(),
  'models.choose': z.object({}).strict(),
  'models.remove': z.object({ id: modelId }).strict(),
} as const;

export interface ModelDownloadState {
  receivedBytes: number;
  totalBytes: number;
  /** Running, or how the last attempt ended (its message says what to do). */
  status: 'running' | 'failed' | 'cancelled';
  error?: string;
}

export interface ModelView {
  id: string;
  name: string;
  languages: string;
  speed: string;
  memoryMb: number;
  bytes: number;
  /** Catalog models: where the download comes from. */
  url: string | null;
  installed: boolean;
  /** Bytes of a download left off part-way (it resumes from there). */
  partialBytes: number;
  download: ModelDownloadState | null;
}

export interface ModelsView {
  /** `<data>/models`: where the files live. */
  dir: string;
  models: ModelView[];
  /** The model a round would use now (Settings' choice, else the first installed). */
  inUse: string | null;
  /** Whether whisper.cpp can run here (its library loads). */
  engineAvailable: boolean;
  /** Why not, in words for the user (null when it can). */
  engineProblem: string | null;
  /** Whether `models.choose` can open the system's file dialog (the desktop app). */
  canChooseFile: boolean;
}

export interface ModelsResponses {
  'models.list': ModelsView;
  'models.download': ModelsView;
  'models.cancel': ModelsView;
  'models.import': ModelsView;
  /** The list after the chosen file was taken in; unchanged when the dialog was cancelled. */
  'models.choose': ModelsView;
  'models.remove': ModelsView;
}
