import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ProviderError } from '../types';
import type { FliteRequest, FliteRunner } from './fliteTextToSpeech';

type HostReply =
  | { id: number; ok: true; pcm: Int16Array }
  | { id: number; ok: false; code: ProviderError['code']; message: string };

/**
 * Flite in a child process. Node's WASI runtime has been seen to crash the whole process
 * (a segfault, not an exception) after many utterances; in a child, such a crash costs
 * one sentence: pending requests fail with a retryable error, and the next request starts
 * a fresh child.
 */
export class ChildProcessFlite implements FliteRunner {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(pcm: Int16Array): void; reject(error: Error): void }
  >();

  constructor(private readonly options: { wasmPath?: string } = {}) {}

  run(request: FliteRequest): Promise<Int16Array> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({
        ...request,
        id,
        ...(this.options.wasmPath ? { wasmPath: this.options.wasmPath } : {}),
      });
    });
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
    child.on('message', (reply: HostReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.pcm);
      else waiter.reject(new ProviderError('tts', reply.code, reply.message));
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      const failure = new ProviderError(
        'tts',
        'server',
        `The offline voice stopped unexpectedly (${signal ?? `exit ${code}`}); it restarts by itself.`,
        true,
      );
      for (const waiter of this.pending.values()) waiter.reject(failure);
      this.pending.clear();
    });
    this.child = child;
    return child;
  }
}
