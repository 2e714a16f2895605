import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { SAMPLE_RATE } from '../../src/core/audioFormat';
import { resampleLinear } from '../../src/core/resample';
import { encodeWavPcm16, parseWavHeader } from '../../src/core/wav';
import { seededDelays, sleep } from '../../src/providers/testing/seededDelay';
import {
  DEFAULT_SPEECH_TIMING,
  fakeSpeechPcm,
  pcm16ToBytes,
  type FakeSpeechTiming,
} from './fakeOpenAIAudio';
import {
  chatCompletionChunks,
  chatCompletionJson,
  defaultChatReply,
  errorBody,
  modelList,
  transcriptionEvents,
  transcriptionJson,
} from './fakeOpenAIPayloads';
import { record, type RecordedRequest } from './fakeOpenAIRecording';
import { SpokenScript, type SpokenAnswer } from './spokenScript';

export type { RecordedRequest, RecordedUpload } from './fakeOpenAIRecording';

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 for tests: the real SDK talks to it over
 * real HTTP, so multipart uploads, SSE parsing, binary bodies, status codes and timeouts
 * all go through the same code paths as against api.openai.com. Replies are scripted,
 * delays seeded, and faults injectable per endpoint.
 */

export type FakeEndpoint = 'models' | 'transcriptions' | 'chat' | 'speech' | 'clientSecrets';

export type FakeFault =
  /**
   * Answer with this status and OpenAI's error envelope (`code` e.g. insufficient_quota).
   * A 429 rate limit carries `retry-after: 1` unless `retryAfterSeconds` says otherwise.
   */
  | { kind: 'status'; status: number; code?: string; retryAfterSeconds?: number }
  /** Accept the request and never answer. */
  | { kind: 'timeout' }
  /** Send about half the response, then drop the connection. */
  | { kind: 'cut' }
  /** Wait this long before the response headers. */
  | { kind: 'slow-first-byte'; delayMs: number }
  /** Answer 200 with a body that is not valid JSON (or text where audio belongs). */
  | { kind: 'garbage' };

/** A fixed delay, or a seeded random one in [min, max]. */
export type DelaySpec = number | readonly [number, number];

export interface FakeOpenAIServerOptions {
  seed?: number;
  /** Before response headers. */
  firstByteDelayMs?: DelaySpec;
  /** Between SSE events and between audio chunks. */
  chunkDelayMs?: DelaySpec;
  speech?: Partial<FakeSpeechTiming>;
  /** Bytes per audio write. Odd by default so clients meet samples split across chunks. */
  speechChunkBytes?: number;
  /** When set, requests with another bearer token get a 401. */
  apiKey?: string;
  models?: readonly string[];
  /** Transcript used when the scripted queue is empty. */
  defaultTranscription?: string;
  /**
   * One scripted reply per candidate turn rather than per request: the app drafts a reply
   * at every pause, so the same turn may be answered more than once. Chat requests with
   * the same number of candidate turns get the same reply — as a real model would give
   * much the same answer. (Each stretch of speech is transcribed once, so transcripts
   * stay one per request.)
   */
  oneReplyPerTurn?: boolean;
  /**
   * Behave like a minimal compatible server: ignore `stream` (answer JSON) and speak WAV
   * at this sample rate whatever response_format was asked for.
   */
  minimal?: { speechWavRate: number };
}

export interface FakeScript {
  transcriptions: string[];
  chatReplies: string[];
  /**
   * What the candidate says, with how long each answer is spoken: transcription requests
   * get the words their audio covers (see SpokenScript) instead of `transcriptions`.
   */
  spokenAnswers: SpokenAnswer[];
}

export interface FakeOpenAIServer {
  /** Base URL for the SDK, ending in /v1. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  requestsTo(endpoint: FakeEndpoint): RecordedRequest[];
  /** Replaces the given queues of scripted replies. */
  setScript(script: Partial<FakeScript>): void;
  /** The next `times` requests to `endpoint` meet `fault`. */
  injectFault(endpoint: FakeEndpoint, fault: FakeFault, times?: number): void;
  /** Ephemeral secrets minted by /v1/realtime/client_secrets, in order. */
  readonly clientSecrets: string[];
  /** WebSocket upgrades on this port go here (the fake Realtime server attaches itself). */
  onUpgrade(handler: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): void;
  close(): Promise<void>;
}

const ROUTES: Record<string, FakeEndpoint> = {
  'GET /v1/models': 'models',
  'POST /v1/audio/transcriptions': 'transcriptions',
  'POST /v1/chat/completions': 'chat',
  'POST /v1/audio/speech': 'speech',
  'POST /v1/realtime/client_secrets': 'clientSecrets',
};

const DEFAULT_MODELS = [
  'gpt-4o-transcribe',
  'whisper-1',
  'gpt-4.1-mini',
  'gpt-4o-mini-tts',
  'tts-1',
];

export async function startFakeOpenAIServer(
  options: FakeOpenAIServerOptions = {},
): Promise<FakeOpenAIServer> {
  const seed = options.seed ?? 1;
  const firstByteDelay = delayFrom(options.firstByteDelayMs, seed);
  const chunkDelay = delayFrom(options.chunkDelayMs, seed + 1);
  const timing = { ...DEFAULT_SPEECH_TIMING, ...options.speech };
  const chunkBytes = options.speechChunkBytes ?? 4801;
  const requests: RecordedRequest[] = [];
  const script: Omit<FakeScript, 'spokenAnswers'> = { transcriptions: [], chatReplies: [] };
  let spoken: SpokenScript | null = null;
  const faults = new Map<FakeEndpoint, FakeFault[]>();
  let completions = 0;
  const clientSecrets: string[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const endpoint = ROUTES[`${req.method} ${path}`] ?? null;
    const recorded = await record(req, path, endpoint);
    requests.push(recorded);
    if (!endpoint) return sendJson(res, 404, errorBody(404));
    if (options.apiKey && recorded.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(res, 401, errorBody(401));
    }
    const fault = faults.get(endpoint)?.shift();
    if (fault?.kind === 'timeout') return; // the socket stays open until the client gives up
    await sleep(fault?.kind === 'slow-first-byte' ? fault.delayMs : firstByteDelay());
    if (res.destroyed) return;
    if (fault?.kind === 'status') {
      // A rate limit says when to come back, as OpenAI's does; a quota error does not.
      const rateLimited = fault.status === 429 && fault.code !== 'insufficient_quota';
      const retryAfter = fault.retryAfterSeconds ?? (rateLimited ? 1 : undefined);
      const headers: Record<string, string> =
        retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
      return sendJson(res, fault.status, errorBody(fault.status, fault.code), headers);
    }
    const out = new Writer(res, fault, chunkDelay, chunkBytes);
    switch (endpoint) {
      case 'models':
        return out.json(modelList(options.models ?? DEFAULT_MODELS));
      case 'transcriptions':
        return transcribe(recorded, out);
      case 'chat':
        return chat(recorded.json ?? {}, out);
      case 'speech':
        return speak(recorded.json ?? {}, out);
      case 'clientSecrets':
        return mintSecret(recorded.json ?? {}, out);
    }
  }

  /** Like OpenAI's: a short-lived `ek_…` value and the effective session config. */
  function mintSecret(body: Record<string, unknown>, out: Writer): Promise<void> {
    const session = body['session'] as Record<string, unknown> | undefined;
    if (!session || session['type'] !== 'realtime' || typeof session['model'] !== 'string') {
      return out.error(400, 'session.type realtime and session.model are required');
    }
    const value = `ek_fake${clientSecrets.length + 1}_${seed}`;
    clientSecrets.push(value);
    const expiresAfter =
      (body['expires_after'] as { seconds?: number } | undefined)?.seconds ?? 600;
    const expiresAt = Math.floor(Date.now() / 1000) + expiresAfter;
    return out.json({
      value,
      expires_at: expiresAt,
      session: { ...session, id: `sess_fake${clientSecrets.length}`, object: 'realtime.session' },
    });
  }

  function transcribe(recorded: RecordedRequest, out: Writer): Promise<void> {
    const fields = recorded.multipart?.fields ?? {};
    const file = recorded.multipart?.file;
    if (!file || !fields['model']) {
      return out.error(400, 'file and model are required');
    }
    const next = () =>
      // The app prompts a piece with the turn's words before it: none, a new turn.
      spoken?.take(audioSeconds(file.bytes), !fields['prompt']) ??
      script.transcriptions.shift() ??
      options.defaultTranscription ??
      'I would start by clarifying the requirements.';
    const text = next();
    // Like the real API: whisper-1 ignores `stream` and answers with JSON.
    if (fields['stream'] === 'true' && !fields['model'].startsWith('whisper') && !options.minimal) {
      return out.sse(transcriptionEvents(text));
    }
    return out.json(transcriptionJson(text, audioSeconds(file.bytes)));
  }

  /** Replies already given, by how many candidate turns the conversation had. */
  const repliesByTurn = new Map<number, string>();

  function replyForTurn(messages: unknown, next: () => string): string {
    const candidateTurns = Array.isArray(messages)
      ? messages.filter((m) => (m as { role?: unknown }).role === 'user').length
      : 0;
    const known = repliesByTurn.get(candidateTurns);
    if (known !== undefined) return known;
    const reply = next();
    repliesByTurn.set(candidateTurns, reply);
    return reply;
  }

  function chat(body: Record<string, unknown>, out: Writer): Promise<void> {
    const model = typeof body['model'] === 'string' ? body['model'] : 'unknown';
    const next = () => script.chatReplies.shift() ?? defaultChatReply(body['messages']);
    const reply = options.oneReplyPerTurn ? replyForTurn(body['messages'], next) : next();
    const id = `chatcmpl-fake${++completions}`;
    if (body['stream'] === true && !options.minimal) {
      const options = body['stream_options'] as { include_usage?: boolean } | undefined;
      return out.sse(chatCompletionChunks(id, model, reply, options?.include_usage === true));
    }
    return out.json(chatCompletionJson(id, model, reply));
  }

  function speak(body: Record<string, unknown>, out: Writer): Promise<void> {
    const input = typeof body['input'] === 'string' ? body['input'] : '';
    const format = body['response_format'] ?? 'mp3';
    if (!input || typeof body['voice'] !== 'string') {
      return out.error(400, 'input and voice are required');
    }
    const samples = fakeSpeechPcm(input, timing);
    if (options.minimal) {
      const rate = options.minimal.speechWavRate;
      return out.binary(
        encodeWavPcm16(resampleLinear(samples, SAMPLE_RATE, rate), rate, 1),
        'audio/wav',
      );
    }
    if (format === 'pcm') return out.binary(pcm16ToBytes(samples), 'audio/pcm');
    if (format === 'wav') return out.binary(encodeWavPcm16(samples, SAMPLE_RATE, 1), 'audio/wav');
    return out.error(400, `the fake server only produces pcm and wav, not ${String(format)}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(500));
      else res.destroy(error instanceof Error ? error : undefined);
    });
  });
  let upgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | null = null;
  server.on('upgrade', (req, socket, head) => {
    if (upgrade) return upgrade(req, socket, head);
    // No Realtime here, as on most compatible servers: a plain 404.
    socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    requestsTo: (endpoint) => requests.filter((r) => r.endpoint === endpoint),
    setScript(next) {
      if (next.transcriptions) script.transcriptions = [...next.transcriptions];
      if (next.chatReplies) {
        // New replies are a new conversation: what earlier turns were answered is forgotten.
        script.chatReplies = [...next.chatReplies];
        repliesByTurn.clear();
      }
      if (next.spokenAnswers) spoken = new SpokenScript(next.spokenAnswers);
    },
    clientSecrets,
    onUpgrade(handler) {
      upgrade = handler;
    },
    injectFault(endpoint, fault, times = 1) {
      const queue = faults.get(endpoint) ?? [];
      for (let i = 0; i < times; i++) queue.push(fault);
      faults.set(endpoint, queue);
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Requests held open by a `timeout` fault would otherwise keep close() waiting.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes one response body in the requested shape, applying `cut` and `garbage` faults. */
class Writer {
  constructor(
    private readonly res: ServerResponse,
    private readonly fault: FakeFault | undefined,
    private readonly chunkDelay: () => number,
    private readonly chunkBytes: number,
  ) {}

  async json(body: object): Promise<void> {
    const text = this.fault?.kind === 'garbage' ? '{"text": "unterminated' : JSON.stringify(body);
    if (this.fault?.kind === 'cut') {
      const length = Buffer.byteLength(text);
      this.res.writeHead(200, { 'content-type': 'application/json', 'content-length': length });
      this.res.write(text.slice(0, Math.floor(text.length / 2)));
      return this.drop();
    }
    sendJson(this.res, 200, text);
  }

  async error(status: number, message: string): Promise<void> {
    sendJson(this.res, status, {
      error: { message, type: 'invalid_request_error', param: null, code: null },
    });
  }

  /** Each payload becomes one `data:` event, with the per-chunk delay between events. */
  async sse(payloads: string[]): Promise<void> {
    this.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    // Headers go out now, as a real server's do; a stall after them is a stalled body.
    this.res.flushHeaders();
    const cutAt = this.fault?.kind === 'cut' ? Math.max(1, Math.floor(payloads.length / 2)) : -1;
    for (const [i, payload] of payloads.entries()) {
      if (i === cutAt) return this.drop();
      if (i > 0) await sleep(this.chunkDelay());
      if (this.res.destroyed) return;
      const data = this.fault?.kind === 'garbage' && i === 0 ? '{"choices": [' : payload;
      this.res.write(`data: ${data}\n\n`);
    }
    this.res.end();
  }

  async binary(bytes: Uint8Array, contentType: string): Promise<void> {
    if (this.fault?.kind === 'garbage') {
      return sendJson(this.res, 200, '{"error": "not audio');
    }
    this.res.writeHead(200, { 'content-type': contentType });
    this.res.flushHeaders();
    const cutAt = this.fault?.kind === 'cut' ? Math.floor(bytes.length / 2) : -1;
    for (let offset = 0; offset < bytes.length; offset += this.chunkBytes) {
      if (cutAt >= 0 && offset >= cutAt) return this.drop();
      if (offset > 0) await sleep(this.chunkDelay());
      if (this.res.destroyed) return;
      this.res.write(bytes.subarray(offset, offset + this.chunkBytes));
    }
    this.res.end();
  }

  /** Drops the connection mid-body, as a proxy or a crashed server would. */
  private drop(): void {
    // Let the bytes written so far reach the client before the socket goes.
    setTimeout(() => this.res.destroy(), 20);
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: object | string,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

function audioSeconds(bytes: Uint8Array): number {
  try {
    const info = parseWavHeader(bytes);
    return info.dataBytes / (info.sampleRate * info.channels * (info.bitsPerSample / 8));
  } catch {
    return 0; // not a WAV: the fake does not decode other formats
  }
}

function delayFrom(spec: DelaySpec | undefined, seed: number): () => number {
  if (spec === undefined) return () => 0;
  if (typeof spec === 'number') return () => spec;
  return seededDelays(seed, spec[0], spec[1]);
}
