/**
 * Disk failures the user can act on. Raw `ENOSPC` / `EROFS` / `EACCES` errors mean nothing
 * to someone mid-interview, so storage code converts them into a StorageError whose
 * `message` says what happened and what to do.
 */
export type StorageErrorCode =
  | 'disk-full'
  | 'read-only'
  | 'permission'
  | 'not-found'
  | 'exists'
  | 'corrupt'
  | 'invalid-id'
  | 'invalid-data'
  | 'io';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export interface StorageErrorContext {
  /** What was being attempted; only changes the wording of permission errors. */
  action?: 'read' | 'write';
  /** Finishes the sentence for the caller's situation, e.g. "what was recorded so far is kept." */
  consequence?: string;
}

/** Wraps a filesystem error into a StorageError whose message says what to do. */
export function toStorageError(
  err: unknown,
  path: string,
  context: StorageErrorContext = {},
): StorageError {
  if (err instanceof StorageError) return err;
  const tail = context.consequence ? `; ${context.consequence}` : '.';
  const verb = context.action ?? 'write';
  const code = errnoCode(err);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new StorageError('disk-full', `The disk is full — free some space${tail}`, path, {
        cause: err,
      });
    case 'EROFS':
      return new StorageError(
        'read-only',
        `The data folder is on a read-only disk (${path}) — choose a writable data folder${tail}`,
        path,
        { cause: err },
      );
    case 'EACCES':
    case 'EPERM':
      return new StorageError(
        'permission',
        `Mockloop is not allowed to ${verb} ${path} — check the folder's permissions${tail}`,
        path,
        { cause: err },
      );
    case 'ENOENT':
      return new StorageError('not-found', `${path} does not exist${tail}`, path, { cause: err });
    case 'EEXIST':
      return new StorageError('exists', `${path} already exists${tail}`, path, { cause: err });
    default: {
      const detail = err instanceof Error ? err.message : String(err);
      return new StorageError('io', `Could not access ${path} (${detail})${tail}`, path, {
        cause: err,
      });
    }
  }
}
