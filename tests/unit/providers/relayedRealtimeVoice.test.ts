import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../../../src/core/audioFormat';
import { applySettingsPatch, defaultSettings } from '../../../src/core/settings';
import type { Turn } from '../../../src/core/transcript';
import { millis } from '../../../src/core/units';
import { DEFAULT_PRICES, UsageMeter, type UsageRecord } from '../../../src/core/usage';
import {
  createRealtimeRound,
  realtimePlan,
  rendererConnectSources,
} from '../../../src/backend/realtimeSetup';
import type { RealtimeRelayMessage, RoundEndReason, RoundEvent } from '../../../src/engine/events';
import type { RoundController } from '../../../src/engine/roundController';
import { FakeClock } from '../../../src/engine/testing/fakeClock';
import type { RetryPolicy } from '../../../src/providers/resilience/retryPolicy';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fakeOpenAIServer';
import { until } from '../../support/realtimeDriver';
import { testPack } from '../engine/testPack';

/**
 * The desktop's WebRTC path, backend half: a RealtimeRound on the relay voice, with the
 * renderer and OpenAI's side of the call played by this test from recorded event
 * sequences (the GA names a WebRTC call delivers: no audio deltas on the data channel,
 * `output_audio_buffer.*` for playback). The client secret is minted for real against
 * the fake HTTP server, so the key's path is the production one.
 */

const KEY = 'sk-relay-secret-key-never-in-renderer';
const OPENING = 'Hi, I am Dana. How does a log segment get written to disk?';
const ANSWER = 'Records are appended to the active segment.';
const FOLLOW_UP = 'Why append only rather than updating records in place?';
const LONG =
  'That is a good start, and I would like to dig into it more carefully now. When a broker restarts after a crash, what does it do with the segment that was being written?';
/** Round time at which the fake call's media starts flowing (the server's audio clock 0). */
const MEDIA_START_MS = 300;

type Json = Record<string, unknown>;

const usage = (audioOut: number) => ({
  input_tokens: 120,
  output_tokens: 20 + audioOut,
  total_tokens: 140 + audioOut,
  input_token_details: { text_tokens: 100, audio_tokens: 20, cached_tokens: 0 },
  output_token_details: { text_tokens: 20, audio_tokens: audioOut },
});

class Harness {
  readonly clock = new FakeClock();
  readonly events: RoundEvent[] = [];
  readonly relayed: RealtimeRelayMessage[] = [];
  /** Client events that reached the (fake) data channel, parsed. */
  readonly sent: Json[] = [];
  readonly usage: UsageRecord[] = [];
  readonly meter = new UsageMeter(DEFAULT_PRICES);
  readonly journal: Turn[] = [];
  readonly sleeps: number[] = [];
  readonly round: RoundController;
  finished: RoundEndReason | null = null;
  connection = 0;
  responses = 0;
  /** Responses whose `response.created` the engine has had. */
  created = 0;
  /** The response being heard, as the renderer's worklet knows it. */
  playing: string | null = null;
  playStartMs = 0;
  frames = 0;
  /** The next calls' SDP requests are refused with these statuses. */
  refuse: number[] = [];

  constructor(http: FakeOpenAIServer) {
    const settings = applySettingsPatch(defaultSettings(), {
      realtime: { mode: 'realtime', transport: 'webrtc', turnDetection: 'server_vad' },
    });
    const plan = realtimePlan(settings, { apiKey: KEY, envBaseUrl: http.url }, 'electron');
    if (!plan || plan.transport !== 'webrtc') throw new Error('expected a WebRTC plan');
    const policy: RetryPolicy = {
      retries: 3,
      baseMs: 100,
      maxMs: 1000,
      random: () => 0.5,
      sleep: async (ms) => void this.sleeps.push(ms),
    };
    this.round = createRealtimeRound(
      plan,
      {
        pack: testPack(),
        clock: this.clock,
        recorder: {
          write: (stereo) => void (this.frames += stereo.length / 2),
          close: async () => ({ durationMs: (this.frames / SAMPLE_RATE) * 1000 }),
        },
        journal: { appendTurn: async (turn) => void this.journal.push(turn) },
        emit: (event) => this.onEvent(event),
        allowInterruptions: true,
        onFinished: async ({ reason }) => void (this.finished = reason),
      },
      (u) => {
        this.usage.push(u);
        this.meter.add(u);
      },
      policy,
    );
  }

  get nowMs(): number {
    return (this.frames / SAMPLE_RATE) * 1000;
  }

  turns(): Turn[] {
    return this.events.flatMap((e) => (e.type === 'turn' ? [e.turn] : []));
  }

  /** The floor as the screen last heard it. */
  floor(): string | undefined {
    const states = this.events.flatMap((e) => (e.type === 'state' ? [e.floor] : []));
    return states.at(-1);
  }

  sentOf(type: string): Json[] {
    return this.sent.filter((e) => e['type'] === type);
  }

  /** `ms` of round time: stereo frames as the renderer's worklet sends them. */
  feed(ms: number): void {
    const n = Math.round((ms / 1000) * SAMPLE_RATE);
    // A loud candidate channel: were it forwarded, the relay would have to refuse it.
    const stereo = new Int16Array(n * 2).fill(9000);
    this.round.audioFrames(stereo);
    this.clock.advance(ms);
  }

  /** OpenAI's side of the data channel, as the renderer relays it. */
  deliver(events: Json[], extra: { mediaStartedAtMs?: number } = {}, connection = this.connection) {
    this.round.realtimeEvents!({
      connection,
      events: events.map((e) => JSON.stringify(e)),
      ...extra,
    });
    // What the renderer does itself with the playback events (realtimeCall.ts).
    for (const e of events) {
      if (e['type'] === 'output_audio_buffer.started') {
        this.playing = String(e['response_id']);
        this.playStartMs = this.nowMs;
        this.report('started');
      } else if (e['type'] === 'output_audio_buffer.stopped') this.report('ended');
      else if (e['type'] === 'output_audio_buffer.cleared') this.report('interrupted');
    }
  }

  private report(event: 'started' | 'ended' | 'interrupted'): void {
    const id = this.playing;
    if (!id) return;
    if (event !== 'started') this.playing = null;
    const played = Math.round(((this.nowMs - this.playStartMs) / 1000) * SAMPLE_RATE);
    this.round.playback(
      event === 'started'
        ? { utteranceId: id, event, atMs: millis(this.nowMs) }
        : { utteranceId: id, event, atMs: millis(this.nowMs), playedSamples: played },
    );
  }

  private onEvent(event: RoundEvent): void {
    this.events.push(event);
    // The renderer's worklet on a flush: the voice stops, what was heard is reported.
    if (event.type === 'flush') this.report('interrupted');
    if (event.type !== 'realtime-relay') return;
    const m = event.relay;
    this.relayed.push(m);
    if (m.action === 'call') {
      this.connection = m.connection;
      const status = this.refuse.shift();
      setTimeout(() => {
        if (status !== undefined) {
          this.round.realtimeEvents!({
            connection: m.connection,
            events: [],
            closed: { reason: 'refused', status },
          });
        } else {
          this.deliver([{ type: 'session.created', session: { id: 'sess_1' } }], {
            mediaStartedAtMs: MEDIA_START_MS,
          });
        }
      }, 1);
    } else if (m.action === 'send') {
      for (const text of m.events) {
        const e = JSON.parse(text) as Json;
        this.sent.push(e);
        if (e['type'] === 'response.create') {
          const id = `resp_${++this.responses}`;
          setTimeout(() => {
            this.deliver([{ type: 'response.created', response: { id } }]);
            this.created++;
          }, 1);
        }
      }
    }
  }

  lastResponse(): string {
    return `resp_${this.responses}`;
  }

  /** The model's reply: the voice starts, the transcript streams, the response completes. */
  reply(text: string, itemId: string, done = true): void {
    const id = this.lastResponse();
    this.deliver([{ type: 'output_audio_buffer.started', response_id: id }]);
    const words = text.split(' ');
    this.deliver(
      words.map((w, i) => ({
        type: 'response.output_audio_transcript.delta',
        response_id: id,
        item_id: itemId,
        delta: i === 0 ? w : ` ${w}`,
      })),
    );
    if (!done) return; // still generating when the candidate cuts in
    this.deliver([
      {
        type: 'response.output_audio_transcript.done',
        response_id: id,
        item_id: itemId,
        transcript: text,
      },
      {
        type: 'response.done',
        response: { id, status: 'completed', usage: usage(50 * words.length) },
      },
    ]);
  }
}

describe('a realtime round relayed through the renderer (WebRTC)', () => {
  let http: FakeOpenAIServer | undefined;
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.round.end().catch(() => undefined);
    h = undefined;
    await http?.close();
    http = undefined;
  });

  async function setUp(): Promise<Harness> {
    const server = await startFakeOpenAIServer({ apiKey: KEY });
    http = server;
    h = new Harness(server);
    return h;
  }

  it('chooses WebRTC on the desktop and keeps the WebSocket in browser mode', () => {
    const env = { apiKey: KEY, envBaseUrl: 'https://api.example.com/v1' };
    const at = (transport: 'auto' | 'webrtc' | 'websocket') =>
      applySettingsPatch(defaultSettings(), { realtime: { mode: 'realtime', transport } });
    expect(realtimePlan(at('auto'), env, 'electron')?.transport).toBe('webrtc');
    expect(realtimePlan(at('websocket'), env, 'electron')?.transport).toBe('websocket');
    expect(realtimePlan(at('auto'), env, 'browser')?.transport).toBe('websocket');
    expect(realtimePlan(at('webrtc'), env, 'browser')?.transport).toBe('websocket');
    // The window may reach the API origin only when it holds the call.
    expect(rendererConnectSources(at('auto'), env, 'electron')).toEqual([
      'https://api.example.com',
    ]);
    expect(rendererConnectSources(at('websocket'), env, 'electron')).toEqual([]);
    expect(rendererConnectSources(at('auto'), env, 'browser')).toEqual([]);
    expect(
      rendererConnectSources(at('auto'), { apiKey: undefined, envBaseUrl: undefined }, 'electron'),
    ).toEqual([]);
  });

  it('runs a full exchange over the relay: secret only, no mic audio, turns, times and usage', async () => {
    const h = await setUp();
    h.round.start();
    await until(() => h.created === 1);

    // The renderer was asked to call with an ephemeral secret, never the key.
    const call = h.relayed[0];
    expect(call).toMatchObject({ action: 'call', connection: 1 });
    if (call?.action !== 'call') throw new Error('expected a call');
    expect(call.call.clientSecret).toMatch(/^ek_fake/);
    expect(call.call.callsUrl).toBe(`${http!.url}/realtime/calls`);
    // The session was configured in the backend, with the server allowed to stop the
    // voice itself at a barge-in (it knows how much it played).
    const minted = http!.requestsTo('clientSecrets')[0]!.json!['session'] as {
      instructions: string;
      audio: { input: { turn_detection: Json }; output: { voice: string } };
    };
    expect(minted.instructions).toContain('Dana Okafor');
    expect(minted.audio.output.voice).toBe('cedar');
    expect(minted.audio.input.turn_detection).toMatchObject({
      type: 'server_vad',
      create_response: false,
      interrupt_response: true,
    });

    h.feed(700);
    h.reply(OPENING, 'item_a1');
    h.feed(3000);
    h.deliver([{ type: 'output_audio_buffer.stopped', response_id: 'resp_1' }]);
    expect(h.turns()).toHaveLength(1);
    expect(h.turns()[0]).toMatchObject({
      speaker: 'interviewer',
      text: OPENING,
      startMs: 700,
      endMs: 3700,
    });
    expect(h.floor()).toBe('listening');

    // The candidate answers; the server's detector times are on the call's media clock.
    h.feed(1000);
    h.deliver([
      { type: 'input_audio_buffer.speech_started', item_id: 'item_c1', audio_start_ms: 4400 },
    ]);
    h.feed(2500);
    h.deliver([
      { type: 'input_audio_buffer.speech_stopped', item_id: 'item_c1', audio_end_ms: 6900 },
    ]);
    await until(() => h.created === 2);
    h.deliver([
      {
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: 'item_c1',
        transcript: ANSWER,
      },
    ]);
    h.feed(400);
    h.reply(FOLLOW_UP, 'item_a2');
    h.feed(2000);
    h.deliver([{ type: 'output_audio_buffer.stopped', response_id: 'resp_2' }]);

    const [, answer, reply] = h.turns();
    expect(answer).toMatchObject({ speaker: 'candidate', text: ANSWER });
    expect(answer!.startMs).toBe(4400 + MEDIA_START_MS);
    expect(answer!.endMs).toBe(6900 + MEDIA_START_MS);
    expect(reply).toMatchObject({ speaker: 'interviewer', text: FOLLOW_UP });

    // The microphone reached the model as the call's track: nothing was appended here,
    // though every frame was recorded.
    expect(h.sentOf('input_audio_buffer.append')).toEqual([]);
    expect(h.frames).toBe(Math.round((h.nowMs / 1000) * SAMPLE_RATE));
    // No audio passes through the backend, so no `speech` events either.
    expect(h.events.filter((e) => e.type === 'speech')).toEqual([]);
    // Each reply's instructions went over the data channel before response.create.
    expect(h.sentOf('session.update')).toHaveLength(2);
    expect(String((h.sentOf('session.update')[1]!['session'] as Json)['instructions'])).toContain(
      'Dana Okafor',
    );

    // Usage into the cost meter: exactly what the server reported.
    const stage = h.meter.summary().stages.interviewer!;
    const words = (t: string) => t.split(' ').length;
    expect(stage.audioOutputTokens).toBe(50 * (words(OPENING) + words(FOLLOW_UP)));
    expect(stage.inputTokens).toBe(200);
    expect(stage.costUsd).toBeGreaterThan(0);
    expect(h.meter.summary().stages.stt?.audioSeconds).toBeCloseTo(2.5, 5);

    await h.round.end();
    expect(h.finished).toBe('candidate-ended');
    expect(h.relayed.at(-1)).toEqual({ action: 'hangup', connection: 1 });
    expect(h.journal.map((t) => t.text)).toEqual([OPENING, ANSWER, FOLLOW_UP]);
    // Nothing the renderer was sent holds the API key.
    expect(JSON.stringify(h.events)).not.toContain(KEY);
  });

  it('keeps only what was heard when the server cuts the voice at a barge-in', async () => {
    const h = await setUp();
    h.round.start();
    await until(() => h.created === 1);
    h.feed(500);
    h.reply(LONG, 'item_a1', false);
    h.feed(2000);
    // WebRTC's server stops its output buffer, truncates the item itself, then reports the
    // speech: the renderer cut the voice on `cleared` without waiting for the backend.
    h.deliver([
      { type: 'output_audio_buffer.cleared', response_id: 'resp_1' },
      {
        type: 'conversation.item.truncated',
        item_id: 'item_a1',
        content_index: 0,
        audio_end_ms: 2000,
      },
      { type: 'input_audio_buffer.speech_started', item_id: 'item_c1', audio_start_ms: 2150 },
    ]);
    const interviewer = h.turns()[0]!;
    expect(interviewer.interrupted).toBe(true);
    expect(interviewer.endMs).toBe(2500);
    expect(interviewer.text!.endsWith('…')).toBe(true);
    const heard = interviewer.text!.slice(0, -1);
    expect(LONG.startsWith(heard)).toBe(true);
    expect(heard.length).toBeGreaterThan(5);
    expect(heard.length).toBeLessThan(LONG.length / 2);
    // The server already truncated: the engine does not truncate again; the cancel and
    // clear it sends are tagged so their "nothing to cancel" errors stay quiet.
    expect(h.sentOf('conversation.item.truncate')).toEqual([]);
    const clear = h.sentOf('output_audio_buffer.clear')[0]!;
    expect(h.sentOf('response.cancel')).toHaveLength(1);
    h.deliver([
      {
        type: 'error',
        error: { type: 'invalid_request_error', code: 'x', event_id: clear['event_id'] },
      },
    ]);
    expect(h.events.filter((e) => e.type === 'notice' && e.level === 'error')).toEqual([]);
    expect(h.floor()).toBe('candidate-speaking');
  });

  it('truncates at what the renderer played when the engine cuts the voice itself', async () => {
    const h = await setUp();
    h.round.start();
    await until(() => h.created === 1);
    h.feed(500);
    h.reply(LONG, 'item_a1', false);
    h.feed(1500);
    // Speech heard by the server with no auto-interruption of its own: the engine cancels,
    // clears the server's buffer and flushes the renderer, which reports what it played.
    h.deliver([
      { type: 'input_audio_buffer.speech_started', item_id: 'item_c1', audio_start_ms: 1700 },
    ]);
    expect(h.sentOf('response.cancel')).toHaveLength(1);
    expect(h.sentOf('output_audio_buffer.clear')).toHaveLength(1);
    expect(h.sentOf('conversation.item.truncate')).toMatchObject([
      { item_id: 'item_a1', content_index: 0, audio_end_ms: 1500 },
    ]);
    expect(h.turns()[0]).toMatchObject({ speaker: 'interviewer', interrupted: true });
  });

  it('shows "reconnecting" when the call drops and goes on over a new call', async () => {
    const h = await setUp();
    h.round.start();
    await until(() => h.created === 1);
    h.feed(500);
    h.reply(OPENING, 'item_a1');
    h.feed(3000);
    h.deliver([{ type: 'output_audio_buffer.stopped', response_id: 'resp_1' }]);

    // The data channel closes; the first new call is refused (expired secret), the next works.
    h.refuse.push(401);
    h.round.realtimeEvents!({ connection: 1, events: [], closed: { reason: 'closed' } });
    const statuses = () => h.events.flatMap((e) => (e.type === 'provider-status' ? [e.state] : []));
    expect(statuses()).toContain('reconnecting');
    await until(() => statuses().includes('recovered'));
    const calls = h.relayed.filter((m) => m.action === 'call');
    expect(calls.map((m) => m.connection)).toEqual([1, 2, 3]);
    expect(http!.clientSecrets).toHaveLength(3);
    expect(h.sleeps.length).toBeGreaterThan(0);

    // A late report from the dropped call is ignored; the new one carries the round on.
    h.round.realtimeEvents!({
      connection: 1,
      events: [JSON.stringify({ type: 'input_audio_buffer.speech_started', item_id: 'old' })],
    });
    expect(h.floor()).not.toBe('candidate-speaking');
    h.feed(500);
    h.deliver([
      { type: 'input_audio_buffer.speech_started', item_id: 'item_c1', audio_start_ms: 100 },
    ]);
    expect(h.floor()).toBe('candidate-speaking');
    expect(h.turns()).toHaveLength(1);
  });
});
