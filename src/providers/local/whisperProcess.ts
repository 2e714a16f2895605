import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProviderError } from '../types';
import type { WhisperReply, WhisperRequest } from './whisperProtocol';

export interface WhisperResult {
  text: string;
  processingMs: number;
  loadMs: number;
}

type Transcription = Omit<Extract<WhisperRequest, { type: 'transcribe' }>, 'id' | 'type'>;

/**
 * whisper.cpp in a child process (whisperHost.ts), started on first use and kept while
 * the backend runs (the loaded model stays warm between turns). A request can be
 * cancelled; if the host dies, what it was doing fails retryably and the next request
 * starts a fresh one.
 */
/**
 * Whether the host can run here. In the packaged desktop app it cannot yet (the native
 * engine is not packed into the app), so local speech recognition is not offered there.
 */
export function whisperHostAvailable(hostPath = defaultHostPath()): boolean {
  return hostPath !== null && existsSync(hostPath);
}

export class WhisperProcess {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(result: WhisperResult): void; reject(error: Error): void }
  >();

  private readonly hostPath: string;

  constructor(hostPath = defaultHostPath()) {
    if (hostPath === null) {
      throw new ProviderError(
        'stt',
        'missing-asset',
        'Speech recognition on this computer is not part of this build.',
      );
    }
    this.hostPath = hostPath;
  }

  transcribe(request: Transcription, signal?: AbortSignal): Promise<WhisperResult> {
    if (signal?.aborted) return Promise.reject(aborted());
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise<WhisperResult>((resolve, reject) => {
      const onAbort = () => child.send({ type: 'cancel', id } satisfies WhisperRequest);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (result) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      this.hold(child, true);
      child.send({ type: 'transcribe', id, ...request } satisfies WhisperRequest);
    });
  }

  /** Stops the host; the owner calls this when it shuts down. */
  close(): void {
    this.child?.kill();
    this.child = null;
  }

  private ensureChild(): ChildProcess {
    if (this.child && this.child.connected) return this.child;
    const child = fork(this.hostPath, [], {
      // The backend runs its TypeScript through tsx; the host does the same.
      execArgv: this.hostPath.endsWith('.ts')
        ? ['--import', 'tsx', '--disable-warning=ExperimentalWarning']
        : [],
      serialization: 'advanced',
      // whisper.cpp logs to stderr; none of it is the candidate's words, but none of it helps.
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    // Idle, the host never keeps the backend alive (it exits when the backend does);
    // while it works on a request, the backend waits for the answer.
    this.hold(child, false);
    child.on('message', (reply: WhisperReply) => this.settle(reply));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      const failure = new ProviderError(
        'stt',
        'server',
        `Speech recognition on this computer stopped unexpectedly (${signal ?? `exit ${code}`}); it restarts by itself.`,
        true,
      );
      for (const waiter of this.pending.values()) waiter.reject(failure);
      this.pending.clear();
    });
    this.child = child;
    return child;
  }

  private hold(child: ChildProcess, busy: boolean): void {
    const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (busy) {
      child.ref();
      channel?.ref?.();
    } else {
      child.unref();
      channel?.unref?.();
    }
  }

  private settle(reply: WhisperReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0 && this.child) this.hold(this.child, false);
    if (reply.ok) {
      waiter.resolve({ text: reply.text, processingMs: reply.processingMs, loadMs: reply.loadMs });
    } else {
      waiter.reject(
        reply.code === 'aborted' ? aborted() : new ProviderError('stt', reply.code, reply.message),
      );
    }
  }
}

function aborted(): ProviderError {
  return new ProviderError('stt', 'aborted', 'Transcription cancelled.');
}

/**
 * Where the host runs from: beside this module (browser mode, tests, the bench). Null in
 * a bundle whose modules have no file URL (the desktop app's main process).
 */
export function defaultHostPath(): string | null {
  try {
    return fileURLToPath(new URL('./whisperHost.ts', import.meta.url));
  } catch {
    return null;
  }
}
