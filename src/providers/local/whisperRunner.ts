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
  /** Null when whisper.cpp starts here; otherwise what stops it, in words for Settings. */
  probe(): Promise<string | null>;
  /** Stops the host; the owner calls this when it shuts down. */
  close(): void;
}

type Answer = Extract<WhisperReply, { ok: true }>;

/**
 * The parent's side of one host process: numbered requests, replies matched to them,
 * cancellation passed on, and every request still waiting failed (retryably) when that
 * process dies. A new process gets a new instance, so a late exit of the old one never
 * touches requests sent to its replacement.
 */
export class WhisperRequests {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(answer: Answer): void; reject(error: Error): void }
  >();

  constructor(
    private readonly send: (message: WhisperRequest) => void,
    /** `true` when the first request starts waiting, `false` when none is left. */
    private readonly onBusy: (busy: boolean) => void = () => undefined,
  ) {}

  async transcribe(
    transcription: WhisperTranscription,
    signal?: AbortSignal,
  ): Promise<WhisperResult> {
    const answer = await this.request(
      (id) => ({ type: 'transcribe', id, ...transcription }),
      signal,
    );
    if (!('text' in answer)) throw new ProviderError('stt', 'bad-response', 'Unexpected reply.');
    return { text: answer.text, processingMs: answer.processingMs, loadMs: answer.loadMs };
  }

  async probe(): Promise<void> {
    await this.request((id) => ({ type: 'probe', id }));
  }

  settle(reply: WhisperReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.forget(reply.id);
    if (reply.ok) waiter.resolve(reply);
    else {
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

  private request(message: (id: number) => WhisperRequest, signal?: AbortSignal): Promise<Answer> {
    if (signal?.aborted) return Promise.reject(aborted());
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      const onAbort = () => this.send({ type: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (answer) => (done(), resolve(answer)),
        reject: (error) => (done(), reject(error)),
      });
      if (this.pending.size === 1) this.onBusy(true);
      this.send(message(id));
    });
  }

  private forget(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.onBusy(false);
  }
}

/**
 * A runner over some kind of process running whisperHost.ts: started on first use, kept
 * while the backend runs (the loaded model stays warm between turns), replaced when it
 * dies. Subclasses say how to start, message, hold and stop their kind of process.
 */
export abstract class HostedWhisper<Child> implements WhisperRunner {
  private host: { child: Child; requests: WhisperRequests } | null = null;

  protected abstract start(
    onReply: (reply: WhisperReply) => void,
    onGone: (how: string) => void,
  ): Child;
  protected abstract post(child: Child, message: WhisperRequest): void;
  protected abstract alive(child: Child): boolean;
  protected abstract stop(child: Child): void;
  /** Keep the backend waiting for the child while it works (Node children only). */
  protected hold(_child: Child, _busy: boolean): void {}

  transcribe(request: WhisperTranscription, signal?: AbortSignal): Promise<WhisperResult> {
    // A request cancelled before it starts never starts the host.
    if (signal?.aborted) return Promise.reject(aborted());
    return this.current().transcribe(request, signal);
  }

  probe(): Promise<string | null> {
    return this.current()
      .probe()
      .then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
  }

  close(): void {
    if (this.host) this.stop(this.host.child);
    this.host = null;
  }

  private current(): WhisperRequests {
    if (this.host && this.alive(this.host.child)) return this.host.requests;
    let requests: WhisperRequests | null = null;
    const child = this.start(
      (reply) => requests?.settle(reply),
      (how) => {
        if (this.host?.child === child) this.host = null;
        requests?.failAll(how);
      },
    );
    requests = new WhisperRequests(
      (message) => this.post(child, message),
      (busy) => this.hold(child, busy),
    );
    this.host = { child, requests };
    return requests;
  }
}

function aborted(): ProviderError {
  return new ProviderError('stt', 'aborted', 'Transcription cancelled.');
}
