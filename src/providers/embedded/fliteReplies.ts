import { ProviderError } from '../types';

export type FliteHostReply =
  | { id: number; ok: true; pcm: Int16Array }
  | { id: number; ok: false; code: ProviderError['code']; message: string };

/**
 * The parent's side of a voice host process, whatever kind of process it is: numbered
 * requests, replies matched to them, and every waiting request failed (retryably) when the
 * process dies.
 */
export class FliteReplies {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(pcm: Int16Array): void; reject(error: Error): void }
  >();

  /** Registers a request; `send` posts it with its id. */
  request(send: (id: number) => void): Promise<Int16Array> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      send(id);
    });
  }

  settle(reply: FliteHostReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.pcm);
    else waiter.reject(new ProviderError('tts', reply.code, reply.message));
  }

  /** The host process is gone: what it was doing fails, and may be tried again. */
  failAll(how: string): void {
    const failure = new ProviderError(
      'tts',
      'server',
      `The offline voice stopped unexpectedly (${how}); it restarts by itself.`,
      true,
    );
    for (const waiter of this.pending.values()) waiter.reject(failure);
    this.pending.clear();
  }
}
