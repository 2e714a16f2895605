import { utilityProcess, type UtilityProcess } from 'electron';
import type { FliteRequest, FliteRunner } from '../providers/embedded/fliteTextToSpeech';
import { ProviderError } from '../providers/types';

type HostReply =
  | { id: number; ok: true; pcm: Int16Array }
  | { id: number; ok: false; code: ProviderError['code']; message: string };

/**
 * The desktop app's embedded voice in an Electron utility process (the RunAsNode fuse is
 * off, so a plain Node child is not available): a crash of Node's WASI runtime costs one
 * sentence, retried, never the main process. Mirrors providers/embedded/fliteProcess.ts.
 */
export class UtilityProcessFlite implements FliteRunner {
  private child: UtilityProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(pcm: Int16Array): void; reject(error: Error): void }
  >();

  constructor(private readonly hostPath: string) {}

  run(request: FliteRequest): Promise<Int16Array> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.postMessage({ ...request, id });
    });
  }

  close(): void {
    this.child?.kill();
    this.child = null;
  }

  private ensureChild(): UtilityProcess {
    if (this.child) return this.child;
    const child = utilityProcess.fork(this.hostPath, [], { serviceName: 'Mockloop voice' });
    child.on('message', (reply: HostReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.pcm);
      else waiter.reject(new ProviderError('tts', reply.code, reply.message));
    });
    child.on('exit', (code) => {
      if (this.child === child) this.child = null;
      const failure = new ProviderError(
        'tts',
        'server',
        `The offline voice stopped unexpectedly (exit ${code}); it restarts by itself.`,
        true,
      );
      for (const waiter of this.pending.values()) waiter.reject(failure);
      this.pending.clear();
    });
    this.child = child;
    return child;
  }
}
