import { ProviderError } from '../types';
import type { WhisperReply, WhisperRequest } from './whisperProtocol';

export interface WhisperResult {
  text: string;
  processingMs: number;
  loadMs: number;
}

export type WhisperTranscription = Omit<
  Extract<WhisperRequest, { type: 'transcribe' }>,
  'id' | 'type'
>;

/**
 * Where whisper.cpp runs for the backend: a Node child process in browser mode, the tests
 * and the bench (whisperProcess.ts), an Electron utility process on the desktop
 * (src/main/whisperUtilityProcess.ts). Both run the same host (whisperHost.ts).
 */
export interface WhisperRunner {
  transcribe(request: WhisperTranscription, signal?: AbortSignal): Promise<WhisperResult>;
  /** Stops the host; the owner calls this when it shuts down. */
  close(): void;
}

/**
 * The parent's side of a host process, whatever kind of process it is: numbered requests,
 * replies matched to them, cancellation passed on, and every waiting request failed
 * (retryably) when the process dies.
 */
export class WhisperRequests {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(result: WhisperResult): void; reject(error: Error): void }
  >();

  /** `onBusy(true)` when the first request starts waiting, `onBusy(false)` when none is left. */
  constructor(private readonly onBusy: (busy: boolean) => void = () => undefined) {}

  /** Registers a request; `send` posts the message (a transcription, or its cancellation). */
  request(
    transcription: WhisperTranscription,
    send: (message: WhisperRequest) => void,
    signal?: AbortSignal,
  ): Promise<WhisperResult> {
    if (signal?.aborted) return Promise.reject(aborted());
    const id = this.nextId++;
    return new Promise<WhisperResult>((resolve, reject) => {
      const onAbort = () => send({ type: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (result) => (done(), resolve(result)),
        reject: (error) => (done(), reject(error)),
      });
      if (this.pending.size === 1) this.onBusy(true);
      send({ type: 'transcribe', id, ...transcription });
    });
  }

  settle(reply: WhisperReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.forget(reply.id);
    if (reply.ok) {
      waiter.resolve({ text: reply.text, processingMs: reply.processingMs, loadMs: reply.loadMs });
    } else {
      waiter.reject(
        reply.code === 'aborted' ? aborted() : new ProviderError('stt', reply.code, reply.message),
      );
    }
  }

  /** The host process is gone: what it was doing fails, and may be tried again. */
  failAll(how: string): void {
    const failure = new ProviderError(
      'stt',
      'server',
      `Speech recognition on this computer stopped unexpectedly (${how}); it restarts by itself.`,
      true,
    );
    const waiting = [...this.pending.values()];
    this.pending.clear();
    if (waiting.length > 0) this.onBusy(false);
    for (const waiter of waiting) waiter.reject(failure);
  }

  private forget(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.onBusy(false);
  }
}

function aborted(): ProviderError {
  return new ProviderError('stt', 'aborted', 'Transcription cancelled.');
}
