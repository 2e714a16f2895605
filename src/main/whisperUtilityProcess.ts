import { utilityProcess, type UtilityProcess } from 'electron';
import type { WhisperReply, WhisperRequest } from '../providers/local/whisperProtocol';
import { HostedWhisper } from '../providers/local/whisperRunner';

/**
 * The desktop app's local speech recognition in an Electron utility process (the RunAsNode
 * fuse is off, so a plain Node child is not available), started on first use and kept
 * while the app runs so the model stays loaded. The host loads whisper.cpp's Node binding
 * from the app's own node_modules (packed by forge.config.ts). The browser-mode twin is
 * providers/local/whisperProcess.ts.
 */
export class UtilityProcessWhisper extends HostedWhisper<UtilityProcess> {
  private readonly exited = new WeakSet<UtilityProcess>();

  constructor(private readonly hostPath: string) {
    super();
  }

  protected start(onReply: (reply: WhisperReply) => void, onGone: (how: string) => void) {
    const child = utilityProcess.fork(this.hostPath, [], {
      serviceName: 'Mockloop speech recognition',
      // whisper.cpp logs to stderr; none of it is the candidate's words, but none of it helps.
      stdio: 'ignore',
    });
    child.on('message', onReply);
    child.on('exit', (code) => {
      this.exited.add(child);
      onGone(`exit ${code}`);
    });
    // A fatal V8 error in the host: it is going away; its exit fails what it was doing.
    child.on('error', () => child.kill());
    return child;
  }

  protected post(child: UtilityProcess, message: WhisperRequest): void {
    child.postMessage(message);
  }

  protected alive(child: UtilityProcess): boolean {
    return !this.exited.has(child);
  }

  protected stop(child: UtilityProcess): void {
    child.kill();
  }
}
