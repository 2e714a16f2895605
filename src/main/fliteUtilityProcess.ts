import { utilityProcess, type UtilityProcess } from 'electron';
import { FliteReplies, type FliteHostReply } from '../providers/embedded/fliteReplies';
import type { FliteRequest, FliteRunner } from '../providers/embedded/fliteTextToSpeech';

/**
 * The desktop app's embedded voice in an Electron utility process (the RunAsNode fuse is
 * off, so a plain Node child is not available): a crash of Node's WASI runtime costs one
 * sentence, retried, never the main process. The browser-mode twin is
 * providers/embedded/fliteProcess.ts.
 */
export class UtilityProcessFlite implements FliteRunner {
  private child: UtilityProcess | null = null;
  private readonly replies = new FliteReplies();

  constructor(
    private readonly hostPath: string,
    /** flite.wasm as packaged beside the host (the host cannot resolve node_modules there). */
    private readonly wasmPath: string,
  ) {}

  run(request: FliteRequest): Promise<Int16Array> {
    const child = this.ensureChild();
    return this.replies.request((id) =>
      child.postMessage({ ...request, wasmPath: this.wasmPath, id }),
    );
  }

  close(): void {
    this.child?.kill();
    this.child = null;
  }

  private ensureChild(): UtilityProcess {
    if (this.child) return this.child;
    const child = utilityProcess.fork(this.hostPath, [], { serviceName: 'Mockloop voice' });
    child.on('message', (reply: FliteHostReply) => this.replies.settle(reply));
    child.on('exit', (code) => {
      if (this.child === child) this.child = null;
      this.replies.failAll(`exit ${code}`);
    });
    this.child = child;
    return child;
  }
}
