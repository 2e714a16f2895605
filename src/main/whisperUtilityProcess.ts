import { utilityProcess, type UtilityProcess } from 'electron';
import type { WhisperReply } from '../providers/local/whisperProtocol';
import {
  WhisperRequests,
  type WhisperResult,
  type WhisperRunner,
  type WhisperTranscription,
} from '../providers/local/whisperRunner';

/**
 * The desktop app's local speech recognition in an Electron utility process (the RunAsNode
 * fuse is off, so a plain Node child is not available), started on first use and kept
 * while the app runs so the model stays loaded. The host loads whisper.cpp's Node binding
 * from the app's own node_modules (packed by forge.config.ts). The browser-mode twin is
 * providers/local/whisperProcess.ts.
 */
export class UtilityProcessWhisper implements WhisperRunner {
  private child: UtilityProcess | null = null;
  private readonly requests = new WhisperRequests();

  constructor(private readonly hostPath: string) {}

  transcribe(request: WhisperTranscription, signal?: AbortSignal): Promise<WhisperResult> {
    // A request cancelled before it starts never starts the host.
    const child = signal?.aborted ? null : this.ensureChild();
    return this.requests.request(request, (message) => child?.postMessage(message), signal);
  }

  close(): void {
    this.child?.kill();
    this.child = null;
  }

  private ensureChild(): UtilityProcess {
    if (this.child) return this.child;
    const child = utilityProcess.fork(this.hostPath, [], {
      serviceName: 'Mockloop speech recognition',
      // whisper.cpp logs to stderr; none of it is the candidate's words, but none of it helps.
      stdio: 'ignore',
    });
    child.on('message', (reply: WhisperReply) => this.requests.settle(reply));
    child.on('exit', (code) => {
      if (this.child === child) this.child = null;
      this.requests.failAll(`exit ${code}`);
    });
    this.child = child;
    return child;
  }
}
