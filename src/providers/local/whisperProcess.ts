import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProviderError } from '../types';
import type { WhisperReply } from './whisperProtocol';
import {
  WhisperRequests,
  type WhisperResult,
  type WhisperRunner,
  type WhisperTranscription,
} from './whisperRunner';

export type { WhisperResult } from './whisperRunner';

/**
 * Whether the host can run from this module's folder (browser mode, the tests, the
 * bench). The desktop app runs its own build of the host instead (src/main/main.ts).
 */
export function whisperHostAvailable(hostPath = defaultHostPath()): boolean {
  return hostPath !== null && existsSync(hostPath);
}

/**
 * whisper.cpp in a Node child process (whisperHost.ts), started on first use and kept
 * while the backend runs (the loaded model stays warm between turns). A request can be
 * cancelled; if the host dies, what it was doing fails retryably and the next request
 * starts a fresh one.
 */
export class WhisperProcess implements WhisperRunner {
  private child: ChildProcess | null = null;
  private readonly requests = new WhisperRequests((busy) => {
    if (this.child) hold(this.child, busy);
  });
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

  transcribe(request: WhisperTranscription, signal?: AbortSignal): Promise<WhisperResult> {
    // A request cancelled before it starts never starts the host.
    const child = signal?.aborted ? null : this.ensureChild();
    return this.requests.request(request, (message) => child?.send(message), signal);
  }

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
    hold(child, false);
    child.on('message', (reply: WhisperReply) => this.requests.settle(reply));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      this.requests.failAll(signal ?? `exit ${code}`);
    });
    this.child = child;
    return child;
  }
}

function hold(child: ChildProcess, busy: boolean): void {
  const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
  if (busy) {
    child.ref();
    channel?.ref?.();
  } else {
    child.unref();
    channel?.unref?.();
  }
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
