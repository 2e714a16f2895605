/**
 * Entry point of the process that runs Flite apart from the backend: a Node child
 * process in browser mode (fliteProcess.ts), an Electron utility process on the desktop
 * (src/main/fliteUtilityProcess.ts). One request at a time, in order; the parent
 * restarts this process if it dies.
 */
import { ProviderError } from '../types';
import type { FliteHostReply } from './fliteReplies';
import { synthesizeFlite, type FliteRequest } from './fliteTextToSpeech';

interface HostRequest extends FliteRequest {
  id: number;
  wasmPath?: string;
}

type Reply = FliteHostReply;

/** Electron's utility processes talk through parentPort; Node children through process.send. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: HostRequest }) => void): void;
  postMessage(message: Reply): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

let queue: Promise<void> = Promise.resolve();

function handle(request: HostRequest, reply: (message: Reply) => void): void {
  queue = queue.then(async () => {
    try {
      reply({ id: request.id, ok: true, pcm: await synthesizeFlite(request, request.wasmPath) });
    } catch (error) {
      const code = error instanceof ProviderError ? error.code : 'bad-response';
      const message = error instanceof Error ? error.message : String(error);
      reply({ id: request.id, ok: false, code, message });
    }
  });
}

if (parentPort) {
  parentPort.on('message', (event) => handle(event.data, (m) => parentPort.postMessage(m)));
} else {
  process.on('message', (request: HostRequest) => handle(request, (m) => process.send?.(m)));
  // The parent going away (or closing the channel) ends this process too.
  process.on('disconnect', () => process.exit(0));
}
