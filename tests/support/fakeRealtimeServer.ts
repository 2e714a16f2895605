import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SAMPLE_RATE } from '../../src/core/audioFormat';
import { seededDelays, sleep } from '../../src/providers/testing/seededDelay';
import { DEFAULT_SPEECH_TIMING, fakeSpeechPcm, type FakeSpeechTiming } from './fakeOpenAIAudio';
import { SpokenScript, type SpokenAnswer } from './spokenScript';

/**
 * A local stand-in for the OpenAI Realtime WebSocket (`/v1/realtime?model=…`), speaking
 * the GA event protocol closely enough that the app's real client code runs against it:
 * session.update, input_audio_buffer.append/commit with its own energy voice detector,
 * input transcription events, responses streamed as audio and transcript deltas with
 * usage, response.cancel and conversation.item.truncate (recorded for assertions), and
 * injectable faults. Replies and transcripts are scripted; delays are seeded.
 */

export type RealtimeFault =
  /** Refuse the WebSocket upgrade with this HTTP status (429 carries retry-after). */
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** Drop the connection halfway through the next response's audio. */
  | { kind: 'close-mid-response' }
  /** Wait this long before the next response's first delta. */
  | { kind: 'slow-first-delta'; delayMs: number }
  /** Answer the next response.create with an `error` event instead. */
  | { kind: 'error-event'; code: string; type?: string }
  /** Transcription sessions: drop the connection at the next commit, before its transcript. */
  | { kind: 'close-at-commit' };

export interface FakeRealtimeServerOptions {
  /** When set, upgrades with another bearer token (or ephemeral secret) get a 401. */
  apiKey?: string;
  seed?: number;
  /** Between streamed deltas; real servers send audio faster than it plays. */
  chunkDelayMs?: number | readonly [number, number];
  /** Audio samples per output_audio.delta. */
  chunkSamples?: number;
  speech?: Partial<FakeSpeechTiming>;
  /** Frame RMS (s16) above which the detector hears speech. */
  vadThreshold?: number;
  defaultTranscription?: string;
  /** Before the transcription of a committed turn completes. */
  transcriptionDelayMs?: number;
}

export interface RecordedRealtimeEvent {
  connection: number;
  type: string;
  /** The event as sent, except audio appends, which are summarised as `samples`. */
  json: Record<string, unknown>;
}

export interface FakeRealtimeResponse {
  connection: number;
  id: string;
  itemId: string;
  text: string;
  /** Audio samples the reply has in full. */
  samples: number;
  /** Audio samples actually sent before it finished or was cancelled. */
  sentSamples: number;
  status: 'in_progress' | 'completed' | 'cancelled';
  usage: RealtimeUsage | null;
  instructions: string;
}

export interface RealtimeUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_token_details: { text_tokens: number; audio_tokens: number; cached_tokens: number };
  output_token_details: { text_tokens: number; audio_tokens: number };
}

export interface FakeRealtimeConnection {
  id: number;
  model: string | null;
  /** `transcription` for a transcription-only session (`?intent=transcription`). */
  intent: string | null;
  authorization: string | undefined;
  /** Candidate audio received (samples), i.e. the session's input-audio clock. */
  inputSamples: number;
}

export interface FakeRealtimeServer {
  /** HTTP base URL (…/v1) of the server the WebSocket lives on. */
  readonly url: string;
  readonly connections: FakeRealtimeConnection[];
  readonly events: RecordedRealtimeEvent[];
  readonly responses: FakeRealtimeResponse[];
  eventsOf(type: string): RecordedRealtimeEvent[];
  setScript(script: {
    replies?: string[];
    transcriptions?: string[];
    /** Transcription sessions: the words each committed piece's audio covers (SpokenScript). */
    spokenAnswers?: SpokenAnswer[];
  }): void;
  /** The next `times` upgrades (status) or responses (others) meet `fault`. */
  injectFault(fault: RealtimeFault, times?: number): void;
  /** Accept ephemeral client secrets as well as the API key (see fakeOpenAIServer). */
  acceptToken(token: string): void;
  /** Feed an upgrade from another HTTP server (used to share the fake OpenAI server's port). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/** Deterministic usage: known quantities in, so tests can price it independently. */
export function fakeRealtimeUsage(
  instructions: string,
  inputAudioSamples: number,
  text: string,
  outputSamples: number,
): RealtimeUsage {
  const textIn = Math.ceil(instructions.length / 4);
  const audioIn = Math.round((inputAudioSamples / SAMPLE_RATE) * 10);
  const textOut = Math.ceil(text.length / 4);
  const audioOut = Math.round((outputSamples / SAMPLE_RATE) * 20);
  return {
    input_tokens: textIn + audioIn,
    output_tokens: textOut + audioOut,
    total_tokens: textIn + audioIn + textOut + audioOut,
    input_token_details: { text_tokens: textIn, audio_tokens: audioIn, cached_tokens: 0 },
    output_token_details: { text_tokens: textOut, audio_tokens: audioOut },
  };
}

const VAD_FRAME = SAMPLE_RATE / 50; // 20 ms
const SPEECH_START_FRAMES = 3;
const SILENCE_BY_EAGERNESS: Record<string, number> = {
  low: 1200,
  medium: 700,
  high: 350,
  auto: 700,
};

export async function startFakeRealtimeServer(
  options: FakeRealtimeServerOptions = {},
  /** Share this HTTP server's port instead of opening one (its base URL is then used). */
  attach?: { url: string; onUpgrade(handler: FakeRealtimeServer['handleUpgrade']): void },
): Promise<FakeRealtimeServer> {
  const seed = options.seed ?? 7;
  const spec = options.chunkDelayMs ?? [2, 8];
  const chunkDelay = typeof spec === 'number' ? () => spec : seededDelays(seed, spec[0], spec[1]);
  const chunkSamples = options.chunkSamples ?? 2400;
  const timing = { ...DEFAULT_SPEECH_TIMING, ...options.speech };
  const threshold = options.vadThreshold ?? 400;
  const connections: FakeRealtimeConnection[] = [];
  const events: RecordedRealtimeEvent[] = [];
  const responses: FakeRealtimeResponse[] = [];
  const script = { replies: [] as string[], transcriptions: [] as string[] };
  let spoken: SpokenScript | null = null;
  const faults: RealtimeFault[] = [];
  const tokens = new Set(options.apiKey ? [options.apiKey] : []);
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });

  const takeFault = (match: (f: RealtimeFault) => boolean): RealtimeFault | undefined => {
    const i = faults.findIndex(match);
    return i >= 0 ? faults.splice(i, 1)[0] : undefined;
  };

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== '/v1/realtime') return refuse(socket, 404);
    const authorization = req.headers.authorization;
    if (options.apiKey && !tokens.has(authorization?.replace(/^Bearer /, '') ?? '')) {
      return refuse(socket, 401);
    }
    const fault = takeFault((f) => f.kind === 'status');
    if (fault?.kind === 'status') {
      const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
      return refuse(socket, fault.status, retryAfter);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: FakeRealtimeConnection = {
        id: connections.length + 1,
        model: url.searchParams.get('model'),
        intent: url.searchParams.get('intent'),
        authorization,
        inputSamples: 0,
      };
      connections.push(connection);
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      if (connection.intent === 'transcription') new TranscriptionSession(ws, connection).begin();
      else new FakeSession(ws, connection).begin();
    });
  }

  class FakeSession {
    private instructions = '';
    private turnDetection: Record<string, unknown> | null = { type: 'server_vad' };
    private transcription: string | null = null;
    private speaking = false;
    private speechFrames = 0;
    private silenceFrames = 0;
    private speechStartSample = 0;
    private lastSpeechSample = 0;
    private item = 0;
    private currentItem = '';
    private frame = new Int16Array(VAD_FRAME);
    private frameFill = 0;
    private inputSinceResponse = 0;
    private active: FakeRealtimeResponse | null = null;
    private cancelled = false;
    private readonly outputItems = new Map<string, number>();

    constructor(
      private readonly ws: WebSocket,
      private readonly connection: FakeRealtimeConnection,
    ) {}

    begin(): void {
      this.send({
        type: 'session.created',
        session: { type: 'realtime', model: this.connection.model },
      });
      this.ws.on('message', (data) => {
        let event: Record<string, unknown>;
        try {
          event = JSON.parse(data.toString()) as Record<string, unknown>;
        } catch {
          return this.error('invalid_json', 'invalid_request_error');
        }
        this.onEvent(event);
      });
    }

    private onEvent(event: Record<string, unknown>): void {
      const type = String(event['type']);
      if (type === 'input_audio_buffer.append') {
        const pcm = decode(String(event['audio'] ?? ''));
        events.push({ connection: this.connection.id, type, json: { type, samples: pcm.length } });
        return this.append(pcm);
      }
      events.push({ connection: this.connection.id, type, json: event });
      switch (type) {
        case 'session.update':
          return this.update(event['session'] as Record<string, unknown> | undefined);
        case 'input_audio_buffer.commit':
          return this.commit();
        case 'response.create':
          return void this.respond();
        case 'response.cancel':
          if (!this.active)
            return this.error('response_cancel_not_active', 'invalid_request_error');
          this.cancelled = true;
          return;
        case 'conversation.item.truncate':
          return this.truncate(event);
        default:
          return;
      }
    }

    private update(session: Record<string, unknown> | undefined): void {
      if (!session) return this.error('missing_session', 'invalid_request_error');
      if (typeof session['instructions'] === 'string') this.instructions = session['instructions'];
      const input = (session['audio'] as { input?: Record<string, unknown> } | undefined)?.input;
      if (input && 'turn_detection' in input) {
        this.turnDetection = (input['turn_detection'] as Record<string, unknown> | null) ?? null;
      }
      const transcription = input?.['transcription'] as { model?: string } | undefined;
      if (transcription?.model) this.transcription = transcription.model;
      this.send({
        type: 'session.updated',
        session: { type: 'realtime', instructions: this.instructions },
      });
    }

    private append(pcm: Int16Array): void {
      for (const sample of pcm) {
        this.frame[this.frameFill++] = sample;
        if (this.frameFill === VAD_FRAME) {
          this.frameFill = 0;
          this.connection.inputSamples += VAD_FRAME;
          this.inputSinceResponse += VAD_FRAME;
          this.detect(rms(this.frame));
        }
      }
    }

    /** A plain energy detector on 20 ms frames, on the session's input-audio clock. */
    private detect(level: number): void {
      if (!this.turnDetection) return;
      const now = this.connection.inputSamples;
      if (level >= threshold) {
        this.silenceFrames = 0;
        this.lastSpeechSample = now;
        if (!this.speaking && ++this.speechFrames >= SPEECH_START_FRAMES) {
          this.speaking = true;
          this.speechStartSample = now - SPEECH_START_FRAMES * VAD_FRAME;
          this.currentItem = `item_in_${this.connection.id}_${++this.item}`;
          this.send({
            type: 'input_audio_buffer.speech_started',
            audio_start_ms: ms(this.speechStartSample),
            item_id: this.currentItem,
          });
        }
        return;
      }
      if (!this.speaking) {
        this.speechFrames = 0;
        return;
      }
      if (++this.silenceFrames * 20 >= this.silenceMs()) {
        this.send({
          type: 'input_audio_buffer.speech_stopped',
          audio_end_ms: ms(this.lastSpeechSample),
          item_id: this.currentItem,
        });
        this.endTurn();
      }
    }

    private silenceMs(): number {
      const t = this.turnDetection ?? {};
      if (t['type'] === 'semantic_vad')
        return SILENCE_BY_EAGERNESS[String(t['eagerness'] ?? 'auto')] ?? 700;
      return typeof t['silence_duration_ms'] === 'number' ? t['silence_duration_ms'] : 500;
    }

    private commit(): void {
      if (!this.speaking)
        return this.error('input_audio_buffer_commit_empty', 'invalid_request_error');
      this.endTurn();
    }

    private endTurn(): void {
      this.speaking = false;
      this.speechFrames = 0;
      this.silenceFrames = 0;
      const itemId = this.currentItem;
      const seconds = (this.lastSpeechSample - this.speechStartSample) / SAMPLE_RATE;
      this.send({ type: 'input_audio_buffer.committed', item_id: itemId, previous_item_id: null });
      this.send({
        type: 'conversation.item.added',
        item: { id: itemId, type: 'message', role: 'user', content: [{ type: 'input_audio' }] },
      });
      if (!this.transcription) return;
      const text =
        script.transcriptions.shift() ??
        options.defaultTranscription ??
        'I would start with the requirements.';
      void (async () => {
        await sleep(options.transcriptionDelayMs ?? 30);
        const words = text.split(' ');
        for (let i = 0; i < words.length; i += 4) {
          const delta = (i > 0 ? ' ' : '') + words.slice(i, i + 4).join(' ');
          this.send({
            type: 'conversation.item.input_audio_transcription.delta',
            item_id: itemId,
            content_index: 0,
            delta,
          });
        }
        this.send({
          type: 'conversation.item.input_audio_transcription.completed',
          item_id: itemId,
          content_index: 0,
          transcript: text,
          usage: { type: 'duration', seconds: Math.round(seconds * 10) / 10 },
        });
      })();
    }

    private async respond(): Promise<void> {
      if (this.active)
        return this.error('conversation_already_has_active_response', 'invalid_request_error');
      const fault = takeFault((f) => f.kind !== 'status' && f.kind !== 'close-at-commit');
      if (fault?.kind === 'error-event')
        return this.error(fault.code, fault.type ?? 'invalid_request_error');
      const text = script.replies.shift() ?? 'Tell me more about that.';
      const pcm = fakeSpeechPcm(text, timing);
      const n = responses.length + 1;
      const response: FakeRealtimeResponse = {
        connection: this.connection.id,
        id: `resp_${n}`,
        itemId: `item_out_${n}`,
        text,
        samples: pcm.length,
        sentSamples: 0,
        status: 'in_progress',
        usage: null,
        instructions: this.instructions,
      };
      const inputSamples = this.inputSinceResponse;
      this.inputSinceResponse = 0;
      responses.push(response);
      this.active = response;
      this.cancelled = false;
      const ids = {
        response_id: response.id,
        item_id: response.itemId,
        output_index: 0,
        content_index: 0,
      };
      this.send({ type: 'response.created', response: { id: response.id, status: 'in_progress' } });
      this.send({
        type: 'conversation.item.added',
        item: { id: response.itemId, type: 'message', role: 'assistant', content: [] },
      });
      if (fault?.kind === 'slow-first-delta') {
        // A cancel is honoured during the wait, as the real service answers it promptly.
        const until = Date.now() + fault.delayMs;
        while (Date.now() < until && !this.cancelled && this.ws.readyState === this.ws.OPEN) {
          await sleep(5);
        }
      }
      const words = text.split(' ');
      const chunks = Math.max(1, Math.ceil(pcm.length / chunkSamples));
      let wordsSent = 0;
      for (let c = 0; c < chunks; c++) {
        if (this.cancelled || this.ws.readyState !== this.ws.OPEN) break;
        if (fault?.kind === 'close-mid-response' && c >= Math.floor(chunks / 2)) {
          this.ws.terminate();
          return;
        }
        // The transcript runs a little ahead of the audio, as the real service's does.
        const wordsDue = Math.min(words.length, Math.ceil(((c + 2) / chunks) * words.length));
        if (wordsDue > wordsSent) {
          const delta = (wordsSent > 0 ? ' ' : '') + words.slice(wordsSent, wordsDue).join(' ');
          wordsSent = wordsDue;
          this.send({ type: 'response.output_audio_transcript.delta', ...ids, delta });
        }
        const chunk = pcm.subarray(c * chunkSamples, (c + 1) * chunkSamples);
        response.sentSamples += chunk.length;
        this.outputItems.set(response.itemId, response.sentSamples);
        this.send({ type: 'response.output_audio.delta', ...ids, delta: encode(chunk) });
        await sleep(chunkDelay());
      }
      if (this.ws.readyState !== this.ws.OPEN) return;
      const cancelled = this.cancelled;
      if (!cancelled) {
        this.send({ type: 'response.output_audio.done', ...ids });
        this.send({ type: 'response.output_audio_transcript.done', ...ids, transcript: text });
      }
      response.status = cancelled ? 'cancelled' : 'completed';
      response.usage = fakeRealtimeUsage(
        this.instructions,
        inputSamples,
        cancelled ? '' : text,
        response.sentSamples,
      );
      this.active = null;
      this.cancelled = false;
      this.send({
        type: 'response.done',
        response: { id: response.id, status: response.status, usage: response.usage },
      });
    }

    private truncate(event: Record<string, unknown>): void {
      const itemId = String(event['item_id']);
      const endMs = Number(event['audio_end_ms']);
      const sent = this.outputItems.get(itemId);
      if (sent === undefined) return this.error('item_not_found', 'invalid_request_error');
      if (!(endMs >= 0) || endMs > ms(sent) + 1) {
        return this.error('audio_end_ms_out_of_range', 'invalid_request_error');
      }
      this.outputItems.set(itemId, Math.round((endMs / 1000) * SAMPLE_RATE));
      this.send({
        type: 'conversation.item.truncated',
        item_id: itemId,
        content_index: 0,
        audio_end_ms: endMs,
      });
    }

    private error(code: string, type: string): void {
      this.send({ type: 'error', error: { type, code, message: `fake: ${code}`, param: null } });
    }

    private send(event: Record<string, unknown>): void {
      if (this.ws.readyState !== this.ws.OPEN) return;
      this.ws.send(
        JSON.stringify({ event_id: `evt_${Math.random().toString(36).slice(2, 10)}`, ...event }),
      );
    }
  }

  /**
   * A transcription-only session (`?intent=transcription`): audio appended, pieces
   * committed by the client (its own turn detection), each answered with deltas and a
   * completed transcript with token usage, as OpenAI's GA protocol does.
   */
  class TranscriptionSession {
    private buffered = 0;
    private item = 0;

    constructor(
      private readonly ws: WebSocket,
      private readonly connection: FakeRealtimeConnection,
    ) {}

    begin(): void {
      this.send({ type: 'session.created', session: { type: 'transcription' } });
      this.ws.on('message', (data) => {
        let event: Record<string, unknown>;
        try {
          event = JSON.parse(data.toString()) as Record<string, unknown>;
        } catch {
          return this.error('invalid_json');
        }
        const type = String(event['type']);
        if (type === 'input_audio_buffer.append') {
          const pcm = decode(String(event['audio'] ?? ''));
          events.push({
            connection: this.connection.id,
            type,
            json: { type, samples: pcm.length },
          });
          this.buffered += pcm.length;
          this.connection.inputSamples += pcm.length;
          return;
        }
        events.push({ connection: this.connection.id, type, json: event });
        if (type === 'session.update') return this.update(event);
        if (type === 'input_audio_buffer.clear') this.buffered = 0;
        if (type === 'input_audio_buffer.commit') this.commit(event);
      });
    }

    private update(event: Record<string, unknown>): void {
      const session = (event['session'] ?? {}) as Record<string, unknown>;
      if (session['type'] !== 'transcription') return this.error('invalid_session_type', event);
      const input = ((session['audio'] ?? {}) as { input?: Record<string, unknown> }).input ?? {};
      this.send({ type: 'session.updated', session: { type: 'transcription', audio: { input } } });
    }

    private commit(event: Record<string, unknown>): void {
      const samples = this.buffered;
      this.buffered = 0;
      if (samples < SAMPLE_RATE / 10) return this.error('input_audio_buffer_commit_empty', event);
      const itemId = `item_tx_${this.connection.id}_${++this.item}`;
      this.send({ type: 'input_audio_buffer.committed', item_id: itemId, previous_item_id: null });
      if (takeFault((f) => f.kind === 'close-at-commit')) {
        this.ws.terminate();
        return;
      }
      const seconds = samples / SAMPLE_RATE;
      const text =
        spoken?.take(seconds) ??
        script.transcriptions.shift() ??
        options.defaultTranscription ??
        'I would start with the requirements.';
      void (async () => {
        await sleep(options.transcriptionDelayMs ?? 30);
        const words = text.split(' ');
        for (let i = 0; i < words.length; i += 3) {
          const delta = (i > 0 ? ' ' : '') + words.slice(i, i + 3).join(' ');
          this.send({
            type: 'conversation.item.input_audio_transcription.delta',
            item_id: itemId,
            content_index: 0,
            delta,
          });
        }
        const audioTokens = Math.round(seconds * 10);
        const textTokens = Math.ceil(text.length / 4);
        this.send({
          type: 'conversation.item.input_audio_transcription.completed',
          item_id: itemId,
          content_index: 0,
          transcript: text,
          usage: {
            type: 'tokens',
            input_tokens: audioTokens,
            output_tokens: textTokens,
            total_tokens: audioTokens + textTokens,
            input_token_details: { audio_tokens: audioTokens, text_tokens: 0 },
          },
        });
      })();
    }

    private error(code: string, cause?: Record<string, unknown>): void {
      this.send({
        type: 'error',
        error: {
          type: 'invalid_request_error',
          code,
          message: `fake: ${code}`,
          param: null,
          event_id: cause?.['event_id'] ?? null,
        },
      });
    }

    private send(event: Record<string, unknown>): void {
      if (this.ws.readyState !== this.ws.OPEN) return;
      this.ws.send(
        JSON.stringify({ event_id: `evt_${Math.random().toString(36).slice(2, 10)}`, ...event }),
      );
    }
  }

  let own: Server | null = null;
  let url: string;
  if (attach) {
    attach.onUpgrade(handleUpgrade);
    url = attach.url;
  } else {
    own = createServer((_req, res) => res.writeHead(404).end());
    own.on('upgrade', handleUpgrade);
    await new Promise<void>((resolve) => own!.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(own.address() as AddressInfo).port}/v1`;
  }

  return {
    url,
    connections,
    events,
    responses,
    eventsOf: (type) => events.filter((e) => e.type === type),
    setScript(next) {
      if (next.replies) script.replies = [...next.replies];
      if (next.transcriptions) script.transcriptions = [...next.transcriptions];
      if (next.spokenAnswers) spoken = new SpokenScript(next.spokenAnswers);
    },
    injectFault(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    acceptToken: (token) => void tokens.add(token),
    handleUpgrade,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      if (own) {
        own.closeAllConnections();
        await new Promise<void>((resolve) => own!.close(() => resolve()));
      }
    },
  };
}

function refuse(socket: Duplex, status: number, retryAfterSeconds?: number): void {
  const body = JSON.stringify({ error: { code: null, message: `fake ${status}`, type: 'error' } });
  const headers = [
    `HTTP/1.1 ${status} Refused`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    ...(retryAfterSeconds !== undefined ? [`retry-after: ${retryAfterSeconds}`] : []),
    'connection: close',
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}

function rms(frame: Int16Array): number {
  let sum = 0;
  for (const s of frame) sum += s * s;
  return Math.sqrt(sum / frame.length);
}

const ms = (samples: number) => Math.round((samples / SAMPLE_RATE) * 1000);

function decode(base64: string): Int16Array {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

function encode(samples: Int16Array): string {
  const bytes = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(samples[i] ?? 0, i * 2);
  return bytes.toString('base64');
}
