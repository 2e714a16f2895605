import WebSocket from 'ws';
import { SAMPLE_RATE } from '../../../core/audioFormat';
import type { UsageRecord } from '../../../core/usage';
import type { TranscriptionStream } from '../../resilience/streamingTranscriber';
import { ProviderError } from '../../types';
import {
  connectionLost,
  connectTimedOut,
  unreachable,
  upgradeRefused,
} from './realtimeConnectErrors';
import { encodePcm16 } from './realtimeEvents';

/**
 * Streaming transcription over a Realtime transcription session (a WebSocket to
 * `…/realtime?intent=transcription`): the candidate's audio is appended as it is spoken,
 * and each commit — the app decides where a piece ends, the server's own turn detection is
 * off — comes back as deltas and a final transcript. The key goes only into the upgrade
 * request's Authorization header; nothing the server says is put into messages.
 */

export interface RealtimeTranscriptionOptions {
  apiKey: string;
  /** The HTTP base URL (…/v1) of OpenAI or a compatible server. */
  baseURL: string;
  /** e.g. gpt-4o-transcribe. */
  model: string;
  language?: string;
  connectTimeoutMs: number;
  /** How long a committed piece may take to come back before it is sent another way. */
  requestTimeoutMs: number;
  onUsage?: (usage: UsageRecord) => void;
}

/** Largest server event accepted (transcripts are small). */
const MAX_EVENT_BYTES = 1024 * 1024;
/** The server refuses to commit less audio than this. */
const MIN_COMMIT_SAMPLES = SAMPLE_RATE / 10;

export function realtimeTranscriptionUrl(baseURL: string): string {
  const url = new URL(baseURL);
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/realtime`;
  url.search = '';
  url.searchParams.set('intent', 'transcription');
  return url.toString();
}

/** Opens the round's transcription session; rejects with a ProviderError (stage stt). */
export async function openRealtimeTranscription(
  options: RealtimeTranscriptionOptions,
  signal?: AbortSignal,
): Promise<TranscriptionStream> {
  const socket = new WebSocket(realtimeTranscriptionUrl(options.baseURL), {
    headers: { Authorization: `Bearer ${options.apiKey}` },
    handshakeTimeout: options.connectTimeoutMs,
    maxPayload: MAX_EVENT_BYTES,
  });
  const stream = new TranscriptionSocket(socket, options);
  try {
    await stream.opened(signal);
  } catch (error) {
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    socket.terminate();
    throw error;
  }
  return stream;
}

interface Pending {
  /** The server's item for this commit, once it has said so. */
  itemId: string | null;
  eventId: string;
  samples: number;
  text: string;
  resolve(text: string): void;
  reject(error: ProviderError): void;
  timer: ReturnType<typeof setTimeout>;
}

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

class TranscriptionSocket implements TranscriptionStream {
  private readonly host: string;
  private ready = false;
  private closedByUs = false;
  private appended = 0;
  private commits = 0;
  /** Commits in order; the first without an item id gets the next `committed` event's. */
  private readonly pending: Pending[] = [];
  private interimListener: ((commit: number, text: string) => void) | null = null;
  private closeListener: ((error: ProviderError) => void) | null = null;
  private readonly indexOf = new Map<Pending, number>();

  constructor(
    private readonly socket: WebSocket,
    private readonly options: RealtimeTranscriptionOptions,
  ) {
    this.host = hostOf(options.baseURL);
  }

  opened(signal?: AbortSignal): Promise<void> {
    const { socket, options, host } = this;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => fail(connectTimedOut(host, 'stt')), options.connectTimeoutMs);
      const fail = (error: ProviderError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      signal?.addEventListener('abort', () =>
        fail(new ProviderError('stt', 'aborted', 'The transcription session was cancelled.')),
      );
      socket.once('unexpected-response', (_req, res) => {
        fail(
          upgradeRefused(res.statusCode ?? 0, res.headers, { model: options.model, host }, 'stt'),
        );
        res.resume();
      });
      socket.on('error', (error: Error) => {
        if (!settled) {
          fail(
            /timeout/i.test(error.message)
              ? connectTimedOut(host, 'stt')
              : unreachable(options.baseURL, 'stt'),
          );
        }
      });
      socket.once('open', () => {
        socket.send(JSON.stringify({ type: 'session.update', session: this.sessionConfig() }));
      });
      socket.on('message', (data, isBinary) => {
        if (isBinary) return;
        let event: Json;
        try {
          event = obj(JSON.parse(data.toString()));
        } catch {
          return; // a malformed frame is dropped, not fatal
        }
        const type = str(event['type']);
        if (!settled) {
          if (type === 'session.updated' || type === 'transcription_session.updated') {
            settled = true;
            this.ready = true;
            clearTimeout(timer);
            resolve();
          } else if (type === 'error') {
            fail(sessionRefused(options.model));
          }
          return;
        }
        this.onServerEvent(type, event);
      });
      socket.on('close', () => {
        if (!settled) return fail(connectionLost(host, 'stt'));
        this.ready = false;
        const error = connectionLost(host, 'stt');
        for (const p of this.pending.splice(0)) this.settle(p, error);
        if (!this.closedByUs) this.closeListener?.(error);
      });
    });
  }

  append(pcm: Int16Array): void {
    if (!this.ready || pcm.length === 0) return;
    this.appended += pcm.length;
    this.send({ type: 'input_audio_buffer.append', audio: encodePcm16(pcm) });
  }

  commit(): Promise<string> {
    const index = this.commits++;
    const samples = this.appended;
    this.appended = 0;
    if (!this.ready) return Promise.reject(connectionLost(this.host, 'stt'));
    if (samples < MIN_COMMIT_SAMPLES) {
      // Too short to commit: drop it rather than have the server refuse it.
      this.send({ type: 'input_audio_buffer.clear' });
      return Promise.resolve('');
    }
    const eventId = `event_commit_${index}`;
    return new Promise<string>((resolve, reject) => {
      const pending: Pending = {
        itemId: null,
        eventId,
        samples,
        text: '',
        resolve,
        reject,
        timer: setTimeout(
          () => this.settle(pending, timedOut(this.host)),
          this.options.requestTimeoutMs,
        ),
      };
      this.pending.push(pending);
      this.indexOf.set(pending, index);
      this.send({ type: 'input_audio_buffer.commit', event_id: eventId });
    });
  }

  onInterim(listener: (commit: number, text: string) => void): void {
    this.interimListener = listener;
  }

  onClose(listener: (error: ProviderError) => void): void {
    this.closeListener = listener;
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

  private sessionConfig() {
    const o = this.options;
    return {
      type: 'transcription',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: SAMPLE_RATE },
          transcription: { model: o.model, ...(o.language ? { language: o.language } : {}) },
          // The app decides where a piece of speech ends (its own detector, "I'm done").
          turn_detection: null,
        },
      },
    };
  }

  private onServerEvent(type: string, event: Json): void {
    switch (type) {
      case 'input_audio_buffer.committed': {
        const pending = this.pending.find((p) => p.itemId === null);
        if (pending) pending.itemId = str(event['item_id']);
        return;
      }
      case 'conversation.item.input_audio_transcription.delta': {
        const pending = this.byItem(event);
        if (!pending) return;
        pending.text += str(event['delta']);
        this.interimListener?.(this.indexOf.get(pending) ?? 0, pending.text.trim());
        return;
      }
      case 'conversation.item.input_audio_transcription.completed': {
        const pending = this.byItem(event);
        if (!pending) return;
        this.reportUsage(pending, obj(event['usage']));
        this.settle(pending, str(event['transcript']).trim());
        return;
      }
      case 'conversation.item.input_audio_transcription.failed': {
        const pending = this.byItem(event);
        if (pending) this.settle(pending, transcriptionFailed());
        return;
      }
      case 'error': {
        // An error names the client event that caused it: fail that commit only.
        const eventId = str(obj(event['error'])['event_id']);
        const pending = this.pending.find((p) => p.eventId === eventId);
        if (pending) this.settle(pending, transcriptionFailed());
        return;
      }
      default:
        return;
    }
  }

  private byItem(event: Json): Pending | undefined {
    const itemId = str(event['item_id']);
    return this.pending.find((p) => p.itemId === itemId);
  }

  private settle(pending: Pending, outcome: string | ProviderError): void {
    const i = this.pending.indexOf(pending);
    if (i >= 0) this.pending.splice(i, 1);
    clearTimeout(pending.timer);
    this.indexOf.delete(pending);
    if (outcome instanceof ProviderError) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  /** Audio length is what per-minute prices count; tokens are added when reported. */
  private reportUsage(pending: Pending, usage: Json): void {
    const report = this.options.onUsage;
    if (!report) return;
    const model = this.options.model;
    report({ stage: 'stt', model, audioSeconds: pending.samples / SAMPLE_RATE });
    if (usage['type'] === 'tokens') {
      const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
      report({
        stage: 'stt',
        model,
        inputTokens: n(usage['input_tokens']),
        outputTokens: n(usage['output_tokens']),
      });
    }
  }

  private send(event: object): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(event));
  }
}

function sessionRefused(model: string): ProviderError {
  return new ProviderError(
    'stt',
    'bad-response',
    `The server did not accept a transcription session for the model "${model}".`,
  );
}

function transcriptionFailed(): ProviderError {
  return new ProviderError(
    'stt',
    'server',
    'The streaming transcription failed for a piece of speech; it is sent again.',
    true,
  );
}

function timedOut(host: string): ProviderError {
  return new ProviderError(
    'stt',
    'timeout',
    `The streaming transcription at ${host} did not answer in time; the piece is sent again.`,
    true,
  );
}

function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}
