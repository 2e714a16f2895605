import type { RealtimeRelayMessage } from '../../src/engine/events';
import type { RealtimeRelayReport } from '../../src/providers/realtimeVoice';
import type { RemoteVoiceMessage } from './remoteVoice';
import { RealtimeCallRefused, RealtimePeer, type PeerPorts } from './realtimePeer';

/**
 * The renderer's half of a realtime round over WebRTC (desktop). The backend drives the
 * conversation and sends `realtime-relay` messages: `call` (an ephemeral client secret,
 * never the API key), `send` (client events for the data channel), `hangup`. This holds
 * the call: the microphone goes out as its track, the model's voice comes in as one and
 * is played and recorded by the round worklet, and every server event on the data
 * channel goes back to the backend (`realtime.events`), which reads the protocol.
 *
 * Playback is marked here, not in the backend, because this is where the voice is heard:
 * `output_audio_buffer.started` / `stopped` / `cleared` start, end and cut the worklet's
 * remote utterance at once (an interruption the server detected stops the voice without
 * a round trip), and the worklet's report of what was played goes to the engine under
 * the response id.
 */

/** Mirrors the limits of `realtime.events` (src/api/realtimeContract.ts). */
const MAX_EVENT_CHARS = 256 * 1024;
const MAX_BATCH_EVENTS = 200;
const MAX_BATCH_CHARS = 1024 * 1024;

export interface RealtimeCallAudio {
  readonly microphone: MediaStream;
  attachRemoteVoice(stream: MediaStream): () => void;
  remoteVoice(message: RemoteVoiceMessage): void;
  /** The round clock (ms). */
  nowMs(): number;
}

export interface RealtimeCallPorts {
  createPeer(): RTCPeerConnection;
  fetch: typeof fetch;
  audio: RealtimeCallAudio;
  /** `realtime.events` for this round. */
  report(report: RealtimeRelayReport): Promise<unknown>;
}

interface CallState {
  connection: number;
  peer: RealtimePeer | null;
  /** Client events waiting for the data channel to open. */
  outbox: string[];
  open: boolean;
  ended: boolean;
  detachVoice: (() => void) | null;
}

export class RealtimeCallRelay {
  private call: CallState | null = null;
  private inbox: { connection: number; events: string[]; mediaStartedAtMs?: number } | null = null;
  private flushing = false;

  constructor(private readonly ports: RealtimeCallPorts) {}

  handle(message: RealtimeRelayMessage): void {
    if (message.action === 'call') {
      void this.open(message.connection, message.call);
      return;
    }
    const call = this.call;
    if (!call || call.connection !== message.connection) return;
    if (message.action === 'send') {
      if (call.open && call.peer) for (const event of message.events) call.peer.sendText(event);
      else call.outbox.push(...message.events);
      return;
    }
    this.end(call, null);
  }

  /**
   * Sends what the data channel has received so far. Called before any playback report,
   * so the engine has seen `response.created` and `response.done` before hearing that
   * the reply started or ended.
   */
  flush(): void {
    const pending = this.inbox;
    if (!pending) return;
    this.inbox = null;
    const groups = batches(pending.events);
    if (groups.length === 0) groups.push([]);
    groups.forEach((events, i) =>
      this.send({
        connection: pending.connection,
        events,
        ...(i === 0 && pending.mediaStartedAtMs !== undefined
          ? { mediaStartedAtMs: pending.mediaStartedAtMs }
          : {}),
      }),
    );
  }

  close(): void {
    if (this.call) this.end(this.call, null);
  }

  private async open(
    connection: number,
    secret: Extract<RealtimeRelayMessage, { action: 'call' }>['call'],
  ): Promise<void> {
    // One call at a time: a new one replaces any left over.
    if (this.call) this.end(this.call, null);
    const call: CallState = {
      connection,
      peer: null,
      outbox: [],
      open: false,
      ended: false,
      detachVoice: null,
    };
    this.call = call;
    const { audio } = this.ports;
    const peerPorts: PeerPorts = {
      createPeer: this.ports.createPeer,
      fetch: this.ports.fetch,
      microphone: audio.microphone,
    };
    try {
      const peer = await RealtimePeer.connect(secret, peerPorts, {
        onServerEvent: (json) => {
          if (!call.ended) this.received(call, json);
        },
        onRemoteAudio: (stream) => {
          if (call.ended) return;
          call.detachVoice?.();
          call.detachVoice = audio.attachRemoteVoice(stream);
        },
        onChannelOpen: () => {
          call.open = true;
          if (call.peer) this.drain(call);
        },
        onConnected: () => {
          if (call.ended) return;
          this.queue(call, null, audio.nowMs());
        },
        onClosed: (reason) => {
          if (!call.ended) this.end(call, { reason });
        },
      });
      if (call.ended) {
        peer.close();
        return;
      }
      call.peer = peer;
      if (call.open) this.drain(call);
    } catch (error) {
      if (call.ended) return;
      const status = error instanceof RealtimeCallRefused ? error.status : 0;
      this.end(call, { reason: 'refused', status });
    }
  }

  private drain(call: CallState): void {
    for (const event of call.outbox.splice(0)) call.peer?.sendText(event);
  }

  private received(call: CallState, json: string): void {
    // Only the few events that move playback are read here; the backend reads the rest.
    if (json.includes('"output_audio_buffer.')) this.playback(json);
    this.queue(call, json);
  }

  private playback(json: string): void {
    let event: { type?: unknown; response_id?: unknown };
    try {
      event = JSON.parse(json) as typeof event;
    } catch {
      return;
    }
    const id = typeof event.response_id === 'string' ? event.response_id : '';
    if (event.type === 'output_audio_buffer.started' && id) {
      this.ports.audio.remoteVoice({ type: 'remote-start', id });
    } else if (event.type === 'output_audio_buffer.stopped' && id) {
      this.ports.audio.remoteVoice({ type: 'remote-end', id });
    } else if (event.type === 'output_audio_buffer.cleared') {
      this.ports.audio.remoteVoice({ type: 'remote-cut' });
    }
  }

  private queue(call: CallState, json: string | null, mediaStartedAtMs?: number): void {
    if (this.inbox && this.inbox.connection !== call.connection) this.flush();
    this.inbox ??= { connection: call.connection, events: [] };
    if (json !== null) this.inbox.events.push(json);
    if (mediaStartedAtMs !== undefined) this.inbox.mediaStartedAtMs = mediaStartedAtMs;
    // Events that arrive together go together; a playback report flushes sooner.
    if (this.flushing) return;
    this.flushing = true;
    queueMicrotask(() => {
      this.flushing = false;
      this.flush();
    });
  }

  private end(call: CallState, closed: RealtimeRelayReport['closed'] | null): void {
    if (call.ended) return;
    call.ended = true;
    // The voice stops with the call; the worklet reports how much of the reply was heard.
    this.ports.audio.remoteVoice({ type: 'remote-cut' });
    call.detachVoice?.();
    call.detachVoice = null;
    call.peer?.close();
    if (this.call === call) this.call = null;
    this.flush();
    // A hang-up asked for by the backend needs no answer; anything else is news to it.
    if (closed) this.send({ connection: call.connection, events: [], closed });
  }

  private send(report: RealtimeRelayReport): void {
    // A report that fails (the round has ended) has nowhere else to go.
    void this.ports.report(report).catch(() => undefined);
  }
}

/** Splits events into batches the contract accepts; an event too large is dropped. */
function batches(events: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const event of events) {
    if (event.length > MAX_EVENT_CHARS) {
      // Never the content: it may quote the candidate.
      console.warn(`Dropped a realtime event of ${event.length} characters (too large to relay).`);
      continue;
    }
    if (current.length >= MAX_BATCH_EVENTS || chars + event.length > MAX_BATCH_CHARS) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(event);
    chars += event.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}
