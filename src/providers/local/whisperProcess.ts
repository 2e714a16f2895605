import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProviderError } from '../types';
import type { WhisperReply, WhisperRequest } from './whisperProtocol';
import { HostedWhisper } from './whisperRunner';

export type { WhisperResult } from './whisperRunner';

/**
 * Whether the host can run from this module's folder (browser mode, the tests, the
 * bench). The desktop app runs its own build of the host instead (src/main/main.ts).
 */
export function whisperHostAvailable(hostPath = defaultHostPath()): boolean {
  return hostPath !== null && existsSync(hostPath);
}

/**
 * whisper.cpp in a Node child process (whisperHost.ts). A request can be cancelled; if
 * the host dies, what it was doing fails retryably and the next request starts a fresh one.
 */
export class WhisperProcess extends HostedWhisper<ChildProcess> {
  private readonly hostPath: string;

  constructor(hostPath = defaultHostPath()) {
    super();
    if (hostPath === null) {
      throw new ProviderError(
        'stt',
        'missing-asset',
        'Speech recognition on this computer is not part of this build.',
      );
    }
    this.hostPath = hostPath;
  }

  protected start(onReply: (reply: WhisperReply) => void, onGone: (how: string) => void) {
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
    child.on('message', onReply);
    child.on('exit', (code, signal) => onGone(signal ?? `exit ${code}`));
    // A failed send or spawn: the process is unusable, so stop it (its exit fails the rest).
    child.on('error', () => child.kill());
    return child;
  }

  protected post(child: ChildProcess, message: WhisperRequest): void {
    // The channel closes before the exit event arrives; a cancel sent in between is moot.
    if (child.connected) child.send(message, () => undefined);
  }

  protected alive(child: ChildProcess): boolean {
    return child.connected;
  }

  protected stop(child: ChildProcess): void {
    child.kill();
  }

  protected override hold(child: ChildProcess, busy: boolean): void {
    const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (busy) {
      child.ref();
      channel?.ref?.();
    } else {
      child.unref();
      channel?.unref?.();
    }
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
