import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Downloads one model file the way desktop apps do: into `<file>.part` beside the
 * target, resumed from where a cut left off (HTTP Range), checked against its pinned size
 * and SHA-256, and only then renamed into place — so a file under its final name is
 * always whole and verified. Cancel keeps the part for a later resume; a wrong checksum
 * deletes it.
 */
export interface ModelFileSpec {
  url: string;
  bytes: number;
  sha256: string;
}

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes: number;
}

export type DownloadFailure = 'offline' | 'http' | 'disk-full' | 'checksum' | 'cancelled' | 'io';

export class ModelDownloadError extends Error {
  constructor(
    readonly failure: DownloadFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ModelDownloadError';
  }
}

export function partPath(target: string): string {
  return `${target}.part`;
}

const PROGRESS_EVERY_BYTES = 1 << 20;

export async function downloadModelFile(
  spec: ModelFileSpec,
  target: string,
  options: {
    signal?: AbortSignal;
    onProgress?: (progress: DownloadProgress) => void;
    fetch?: typeof fetch;
  } = {},
): Promise<void> {
  const doFetch = options.fetch ?? fetch;
  const part = partPath(target);
  await mkdir(dirname(target), { recursive: true });
  let have = await sizeOf(part);
  if (have > spec.bytes) {
    await rm(part, { force: true });
    have = 0;
  }
  if (have < spec.bytes) {
    let response: Response;
    try {
      response = await doFetch(spec.url, {
        headers: have > 0 ? { range: `bytes=${have}-` } : {},
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      throw failureOf(error, options.signal);
    }
    if (response.status === 200 && have > 0) {
      // The server ignored the range: start over rather than append the start twice.
      have = 0;
    } else if (response.status !== 206 && response.status !== 200) {
      throw new ModelDownloadError(
        'http',
        `The model server answered ${response.status} ${response.statusText}. Try again later, or use a model file you already have.`,
      );
    }
    if (!response.body) throw new ModelDownloadError('http', 'The model server sent no data.');
    await writeBody(response.body, part, have, spec.bytes, options);
  }
  const digest = await sha256Of(part);
  if (digest !== spec.sha256.toLowerCase()) {
    await rm(part, { force: true });
    throw new ModelDownloadError(
      'checksum',
      `The downloaded model does not match its published checksum (SHA-256 ${digest.slice(0, 12)}…), so it was deleted. Try the download again.`,
    );
  }
  await rename(part, target);
}

async function writeBody(
  body: ReadableStream<Uint8Array>,
  part: string,
  start: number,
  total: number,
  options: { signal?: AbortSignal; onProgress?: (progress: DownloadProgress) => void },
): Promise<void> {
  const file = await open(part, start > 0 ? 'r+' : 'w');
  let received = start;
  let reported = start;
  options.onProgress?.({ receivedBytes: received, totalBytes: total });
  try {
    const reader = body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw failureOf(error, options.signal);
      }
      if (chunk.done) break;
      if (received + chunk.value.length > total) {
        throw new ModelDownloadError('http', 'The model server sent more data than the model has.');
      }
      try {
        await file.write(chunk.value, 0, chunk.value.length, received);
      } catch (error) {
        throw failureOf(error, options.signal);
      }
      received += chunk.value.length;
      if (received - reported >= PROGRESS_EVERY_BYTES || received === total) {
        reported = received;
        options.onProgress?.({ receivedBytes: received, totalBytes: total });
      }
      if (options.signal?.aborted) throw failureOf(options.signal.reason, options.signal);
    }
  } finally {
    await file.close();
  }
  if (received < total) {
    throw new ModelDownloadError(
      'offline',
      `The download stopped at ${mb(received)} of ${mb(total)}. It resumes from there when you try again.`,
    );
  }
}

function failureOf(error: unknown, signal: AbortSignal | undefined): ModelDownloadError {
  if (error instanceof ModelDownloadError) return error;
  if (signal?.aborted) {
    return new ModelDownloadError(
      'cancelled',
      'Download cancelled. It resumes from where it stopped.',
    );
  }
  const code =
    (error as { code?: string; cause?: { code?: string } })?.code ??
    (error as { cause?: { code?: string } })?.cause?.code;
  if (code === 'ENOSPC') {
    return new ModelDownloadError(
      'disk-full',
      'The disk is full: free some space, then try again (the part downloaded so far is kept).',
    );
  }
  if (
    code === 'ENOTFOUND' ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === 'EAI_AGAIN' ||
    code === 'UND_ERR_SOCKET' ||
    error instanceof TypeError
  ) {
    return new ModelDownloadError(
      'offline',
      'Could not reach the model server: check your network connection, then try again (the download resumes).',
    );
  }
  return new ModelDownloadError(
    'io',
    `The model could not be saved: ${error instanceof Error ? error.message : String(error)}`,
  );
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
