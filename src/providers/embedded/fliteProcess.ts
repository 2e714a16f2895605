import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FliteReplies, type FliteHostReply } from './fliteReplies';
import type { FliteRequest, FliteRunner } from './fliteTextToSpeech';

/**
 * Flite in a child process. Node's WASI runtime has been seen to crash the whole process
 * (a segfault, not an exception) now and then; in a child, such a crash costs one
 * sentence: pending requests fail with a retryable error, and the next request starts a
 * fresh child.
 */
export class ChildProcessFlite implements FliteRunner {
  private child: ChildProcess | null = null;
  private readonly replies = new FliteReplies();

  constructor(private readonly options: { wasmPath?: string } = {}) {}

  run(request: FliteRequest): Promise<Int16Array> {
    const child = this.ensureChild();
    const extra = this.options.wasmPath ? { wasmPath: this.options.wasmPath } : {};
    return this.replies.request((id) => child.send({ ...request, ...extra, id }));
  }

  /** The running child's pid, if one is running (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops the child; the owner calls this when it shuts down (an open channel keeps Node running). */
  close(): void {
    this.child?.kill();
    this.child = null;
  }

  private ensureChild(): ChildProcess {
    if (this.child && this.child.connected) return this.child;
    const host = fileURLToPath(new URL('./fliteHost.ts', import.meta.url));
    // The backend runs its TypeScript through tsx; the child does the same.
    const child = fork(host, [], {
      execArgv: ['--import', 'tsx', '--disable-warning=ExperimentalWarning'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.on('message', (reply: FliteHostReply) => this.replies.settle(reply));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      this.replies.failAll(signal ?? `exit ${code}`);
    });
    this.child = child;
    return child;
  }
}
