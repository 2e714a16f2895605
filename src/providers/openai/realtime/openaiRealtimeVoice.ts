import WebSocket from 'ws';
import type { Settings } from '../../../core/settings';
import type { Turn } from '../../../core/transcript';
import type {
  RealtimeConnectOptions,
  RealtimeSession,
  RealtimeVoice,
  RealtimeVoiceEvent,
  VoiceMove,
} from '../../realtimeVoice';
import { ProviderError, type InterviewContext, type ProviderInfo } from '../../types';
import {
  connectionLost,
  connectTimedOut,
  unreachable,
  upgradeRefused,
} from './realtimeConnectErrors';
import { encodePcm16, translateRealtimeEvent } from './realtimeEvents';
import { buildRealtimeInstructions } from './realtimeInstructions';
import { buildRealtimeSession, realtimeSocketUrl } from './realtimeSessionConfig';

/**
 * OpenAI Realtime over a WebSocket from the backend (browser mode, and the desktop's
 * fallback). The SDK's `OpenAIRealtimeWS` always dials `wss:`, so a local or test server
 * on plain `ws:` could not be reached; this speaks the same events over `ws` directly.
 * The key goes only into the upgrade request's Authorization header.
 */

export interface OpenAIRealtimeVoiceOptions {
  apiKey: string;
  /** The HTTP base URL (…/v1) of OpenAI or a compatible server. */
  baseURL: string;
  model: string;
  transcriptionModel: string | null;
  turnDetection: Pick<Settings['realtime'], 'turnDetection' | 'eagerness' | 'silenceMs'>;
  /** Until the session is configured. */
  connectTimeoutMs: number;
}

/** Largest server event accepted: audio deltas are a few hundred kB at most. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;

export class OpenAIRealtimeVoice implements RealtimeVoice {
  readonly info: ProviderInfo;
  readonly transcriptionModel: string | null;

  constructor(private readonly options: OpenAIRealtimeVoiceOptions) {
    this.info = { kind: 'openai-realtime', model: options.model };
    this.transcriptionModel = options.transcriptionModel;
  }

  async connect(connect: RealtimeConnectOptions): Promise<RealtimeSession> {
    const o = this.options;
    const host = hostOf(o.baseURL);
    const socket = new WebSocket(realtimeSocketUrl(o.baseURL, o.model), {
      headers: { Authorization: `Bearer ${o.apiKey}` },
      handshakeTimeout: o.connectTimeoutMs,
      maxPayload: MAX_EVENT_BYTES,
    });
    const session = new SocketSession(socket, o, connect);
    try {
      await session.opened(host, connect.signal);
    } catch (error) {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      throw error;
    }
    return session;
  }
}

class SocketSession implements RealtimeSession {
  private closedByUs = false;
  private ready = false;
  private readonly onEvent: (event: RealtimeVoiceEvent) => void;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: OpenAIRealtimeVoiceOptions,
    private readonly connect: RealtimeConnectOptions,
  ) {
    this.onEvent = connect.onEvent;
  }

  /** Resolves when the socket is open and the server accepted the session config. */
  opened(host: string, signal?: AbortSignal): Promise<void> {
    const { socket, options } = this;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => fail(connectTimedOut(host)), options.connectTimeoutMs);
      const fail = (error: ProviderError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      signal?.addEventListener('abort', () =>
        fail(new ProviderError('interviewer', 'aborted', 'The realtime session was cancelled.')),
      );
      socket.once('unexpected-response', (_req, res) => {
        fail(upgradeRefused(res.statusCode ?? 0, res.headers, { model: options.model, host }));
        res.resume();
      });
      socket.on('error', (error: Error & { code?: string }) => {
        if (!settled)
          fail(
            /timeout/i.test(error.message) ? connectTimedOut(host) : unreachable(options.baseURL),
          );
      });
      socket.once('open', () => {
        const { context } = this.connect;
        const move = context.turns.length > 0 ? 'reply' : 'open';
        this.send({
          type: 'session.update',
          session: this.config(buildRealtimeInstructions(context, move, this.connect.recap)),
        });
      });
      socket.on('message', (data, isBinary) => {
        if (isBinary) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString());
        } catch {
          return; // a malformed frame is dropped, not fatal
        }
        const type = (parsed as { type?: unknown }).type;
        if (!settled && type === 'session.updated') {
          settled = true;
          this.ready = true;
          clearTimeout(timer);
          resolve();
          return;
        }
        const event = translateRealtimeEvent(parsed, {
          model: options.model,
          transcriptionModel: options.transcriptionModel,
        });
        if (!event) return;
        // An error before the session is configured (e.g. unknown model) fails the connect.
        if (!settled && event.type === 'error') return fail(event.error);
        if (settled) this.onEvent(event);
      });
      socket.on('close', () => {
        if (!settled) return fail(connectionLost(host));
        if (this.closedByUs) return;
        this.ready = false;
        this.onEvent({ type: 'closed', error: connectionLost(host) });
      });
    });
  }

  appendAudio(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    this.send({ type: 'input_audio_buffer.append', audio: encodePcm16(pcm) });
  }

  commitAudio(): void {
    this.send({ type: 'input_audio_buffer.commit' });
  }

  respond(context: InterviewContext, move: VoiceMove, recap: readonly Turn[]): void {
    this.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        instructions: buildRealtimeInstructions(context, move, recap),
      },
    });
    this.send({ type: 'response.create' });
  }

  cancelResponse(): void {
    this.send({ type: 'response.cancel' });
  }

  truncate(itemId: string, audioEndMs: number): void {
    this.send({
      type: 'conversation.item.truncate',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: Math.max(0, Math.floor(audioEndMs)),
    });
  }

  close(): void {
    this.closedByUs = true;
    this.ready = false;
    if (
      this.socket.readyState === WebSocket.OPEN ||
      this.socket.readyState === WebSocket.CONNECTING
    ) {
      this.socket.close(1000);
    }
  }

  private config(instructions: string) {
    const o = this.options;
    return buildRealtimeSession({
      model: o.model,
      instructions,
      voice: this.connect.persona.voice.openai,
      transcriptionModel: o.transcriptionModel,
      turnDetection: o.turnDetection,
    });
  }

  private send(event: object): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (!this.ready && (event as { type: string }).type !== 'session.update') return;
    this.socket.send(JSON.stringify(event));
  }
}

function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}
