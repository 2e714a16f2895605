import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../../../src/core/audioFormat';
import { millis } from '../../../src/core/units';
import { DEFAULT_PRICES, priceOf } from '../../../src/core/usage';
import { heardText } from '../../../src/engine/realtimeRound';
import { DEFAULT_SPEECH_TIMING } from '../../support/fakeOpenAIAudio';
import { startFakeRealtimeServer, type FakeRealtimeServer } from '../../support/fakeRealtimeServer';
import { RealtimeDriver, until } from '../../support/realtimeDriver';
import { testPack } from './testPack';

const KEY = 'sk-realtime-test';
const OPENING = 'Hi, I am Dana. Thanks for joining. How does a log segment get written to disk?';
const FOLLOW_UP = 'Why append only rather than updating records in place?';
const LONG =
  'That is a good start, and I would like to dig into it a little more carefully now. When a broker restarts after a crash, what does it do with the segment that was being written, and how does it know where the valid records end?';
const ANSWER = 'Records are appended to the active segment and the index is updated sparsely.';

describe('a realtime round against a fake Realtime server', () => {
  let server: FakeRealtimeServer;
  let driver: RealtimeDriver | undefined;

  afterEach(async () => {
    await driver?.round.end().catch(() => undefined);
    driver = undefined;
    await server.close();
  });

  async function setUp(
    options: Partial<ConstructorParameters<typeof RealtimeDriver>[0]> = {},
    serverOptions: Parameters<typeof startFakeRealtimeServer>[0] = {},
  ) {
    server = await startFakeRealtimeServer({ apiKey: KEY, ...serverOptions });
    driver = new RealtimeDriver({ pack: testPack(), baseURL: server.url, apiKey: KEY, ...options });
    return driver;
  }

  it('runs a full exchange: opening, answer, reply; turns, times, notes and usage', async () => {
    const d = await setUp();
    server.setScript({ replies: [OPENING, FOLLOW_UP], transcriptions: [ANSWER] });
    d.round.start();
    await d.feedUntil(() => d.turns().length === 1);
    expect(d.turns()[0]).toMatchObject({ speaker: 'interviewer', text: OPENING });
    expect(d.round.floorState).toBe('listening');

    await d.feed(500);
    const spokeAt = d.nowMs;
    await d.feed(2000, 'speech');
    const stoppedAt = d.nowMs;
    await d.feedUntil(() => d.turns().length === 3);
    const [opening, answer, reply] = d.turns();
    expect(answer).toMatchObject({ speaker: 'candidate', text: ANSWER });
    // On the round clock: the server's detector times, mapped onto the recording.
    expect(Math.abs(answer!.startMs - spokeAt)).toBeLessThanOrEqual(100);
    expect(Math.abs(answer!.endMs - stoppedAt)).toBeLessThanOrEqual(100);
    expect(reply).toMatchObject({ speaker: 'interviewer', text: FOLLOW_UP });
    expect(reply!.startMs).toBeGreaterThanOrEqual(answer!.endMs);
    expect(reply!.endMs - reply!.startMs).toBeCloseTo(
      FOLLOW_UP.length * DEFAULT_SPEECH_TIMING.msPerChar,
      -2,
    );
    expect(opening!.questionId).toBe(testPack().questions[0]!.id);

    await d.round.end();
    expect(d.finished?.reason).toBe('candidate-ended');
    expect(d.journal.map((t) => t.text)).toEqual([OPENING, ANSWER, FOLLOW_UP]);
    // The answer is noted against the question the opening asked.
    expect(d.notes.length).toBeGreaterThan(0);
    expect(d.notes.every((n) => n.questionId === opening!.questionId)).toBe(true);

    // The recording holds every frame, with the interviewer on the right channel.
    const frames = d.recorded.reduce((n, f) => n + f.length / 2, 0);
    expect(frames).toBe(Math.round((d.nowMs / 1000) * SAMPLE_RATE));

    // What the server was told: the candidate's audio, the persona, plan and bank.
    const appended = server.eventsOf('input_audio_buffer.append');
    const appendedSamples = appended.reduce((n, e) => n + Number(e.json['samples']), 0);
    expect(appendedSamples).toBeGreaterThan(SAMPLE_RATE * 2);
    const updates = server
      .eventsOf('session.update')
      .map((e) => e.json['session'] as Record<string, unknown>);
    expect(updates[0]).toMatchObject({
      type: 'realtime',
      model: 'gpt-realtime',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: { model: 'gpt-4o-transcribe' },
          turn_detection: { type: 'server_vad', silence_duration_ms: 500, create_response: false },
        },
        output: { voice: 'cedar' },
      },
    });
    const instructions = String(updates[updates.length - 1]!['instructions']);
    expect(instructions).toContain('Dana Okafor');
    expect(instructions).toContain(testPack().questions[0]!.prompt);
    expect(server.eventsOf('response.create')).toHaveLength(2);
    expect(server.eventsOf('conversation.item.truncate')).toHaveLength(0);
    expect(server.connections[0]).toMatchObject({
      model: 'gpt-realtime',
      authorization: `Bearer ${KEY}`,
    });

    // Usage: exactly what the server reported, priced from the table.
    const reported = server.responses.map((r) => r.usage!);
    const interviewer = d.usage.filter((u) => u.stage === 'interviewer');
    expect(interviewer).toHaveLength(2);
    const sum = (pick: (u: (typeof reported)[number]) => number) =>
      reported.reduce((n, u) => n + pick(u), 0);
    const stage = d.meter.summary().stages.interviewer!;
    expect(stage.audioOutputTokens).toBe(sum((u) => u.output_token_details.audio_tokens));
    expect(stage.inputTokens).toBe(sum((u) => u.input_token_details.text_tokens));
    const expected =
      (sum((u) => u.input_token_details.text_tokens) * 4 +
        sum((u) => u.output_token_details.text_tokens) * 16 +
        sum((u) => u.input_token_details.audio_tokens) * 32 +
        sum((u) => u.output_token_details.audio_tokens) * 64) /
      1e6;
    expect(stage.costUsd).toBeCloseTo(expected, 10);
    expect(stage.costUsd).toBeGreaterThan(0);
    // The answer's transcription is billed by its length, like the cascade's.
    expect(d.meter.summary().stages.stt?.audioSeconds).toBeGreaterThan(1.5);
  });

  it('a resumed round carries on the plan’s clock and recaps the earlier part to the model', async () => {
    const prior = [
      {
        id: 'p1',
        speaker: 'interviewer' as const,
        startMs: millis(-60_000),
        endMs: millis(-55_000),
        text: 'How does a log segment get written to disk?',
      },
      {
        id: 'p2',
        speaker: 'candidate' as const,
        startMs: millis(-54_000),
        endMs: millis(-30_000),
        text: 'The active segment takes appends in order.',
      },
    ];
    const d = await setUp({ elapsedOffsetMs: 120_000, priorTurns: prior });
    server.setScript({ replies: [FOLLOW_UP] });
    d.round.start();
    const state = d.events.find((e) => e.type === 'state');
    if (state?.type !== 'state') throw new Error('no state');
    // testPack: a 4-minute plan; 2 minutes were used before the cut.
    expect(state.remainingMs).toBe(120_000);
    await d.feedUntil(() => d.turns().length === 1);
    const instructions = server.responses[0]!.instructions;
    expect(instructions).toMatch(/do not start over or greet again/);
    expect(instructions).toContain('The active segment takes appends in order.');
  });

  it('barge-in: flushes at once, cancels, truncates at the sample played, keeps the words heard', async () => {
    // Slow enough streaming that the reply is still being produced when it is cut off.
    const d = await setUp({}, { chunkDelayMs: 15 });
    server.setScript({
      replies: [OPENING, LONG, FOLLOW_UP],
      transcriptions: [ANSWER, 'Wait, can I ask something?'],
    });
    d.round.start();
    await d.feedUntil(() => d.turns().length === 1);
    await d.feed(1500, 'speech');
    await d.feedUntil(() => (d.played.get('u2') ?? 0) > SAMPLE_RATE * 4.3);
    const flushesBefore = d.of('flush').length;
    await d.feed(1500, 'speech');
    expect(d.of('flush').length).toBe(flushesBefore + 1);
    expect(d.of('flush').at(-1)?.utteranceId).toBe('u2');
    const played = d.played.get('u2')!;

    await until(() => server.eventsOf('conversation.item.truncate').length === 1);
    const truncate = server.eventsOf('conversation.item.truncate')[0]!.json;
    expect(truncate['item_id']).toBe(server.responses[1]!.itemId);
    expect(truncate['audio_end_ms']).toBe(Math.floor((played / SAMPLE_RATE) * 1000));
    expect(server.eventsOf('response.cancel')).toHaveLength(1);
    await until(() => server.responses[1]!.status === 'cancelled');
    expect(server.responses[1]!.sentSamples).toBeLessThan(server.responses[1]!.samples);

    await d.feedUntil(() => d.turns().length === 5);
    const cut = d.turns()[2]!;
    expect(cut.interrupted).toBe(true);
    expect(cut.text!.endsWith('…')).toBe(true);
    // Within one word of what the fake voice had actually said (60 ms per character).
    const heardWords = cut.text!.replace('…', '').split(' ').length;
    const words = LONG.split(' ');
    const playedChars = ((played / SAMPLE_RATE) * 1000) / DEFAULT_SPEECH_TIMING.msPerChar;
    let end = 0;
    const fullySaid = words.filter((w) => (end += w.length + 1) - 1 <= playedChars).length;
    expect(Math.abs(heardWords - fullySaid)).toBeLessThanOrEqual(1);
    expect(d.turns()[3]).toMatchObject({
      speaker: 'candidate',
      text: 'Wait, can I ask something?',
    });
    expect(d.turns()[4]).toMatchObject({ speaker: 'interviewer', text: FOLLOW_UP });
    expect(cut.endMs).toBeLessThanOrEqual(d.turns()[3]!.startMs + 200);
  });

  it('a reply cut off before any of it played is cancelled and leaves no turn', async () => {
    const d = await setUp();
    server.setScript({
      replies: [OPENING, LONG, FOLLOW_UP],
      transcriptions: [ANSWER, 'Actually, one more thing.'],
    });
    d.round.start();
    await d.feedUntil(() => d.turns().length === 1);
    // The model takes its time with the next reply; the candidate goes on meanwhile.
    server.injectFault({ kind: 'slow-first-delta', delayMs: 400 });
    await d.feed(1500, 'speech');
    await d.feed(600);
    await until(() => server.eventsOf('response.create').length === 2);
    await d.feed(1200, 'speech');
    await until(() => server.eventsOf('response.cancel').length === 1);
    await d.feedUntil(() => d.turns().length === 4);
    expect(d.turns().map((t) => [t.speaker, t.text])).toEqual([
      ['interviewer', OPENING],
      ['candidate', ANSWER],
      ['candidate', 'Actually, one more thing.'],
      ['interviewer', FOLLOW_UP],
    ]);
    d.clock.advance(1000);
    await until(() => server.responses[1]?.status === 'cancelled');
    expect(server.responses[1]!.sentSamples).toBe(0);
    // Nothing of it was sent, so there is nothing to truncate.
    expect(server.eventsOf('conversation.item.truncate')).toHaveLength(0);
  });

  it('a rejected key (401) says so once, does not retry, and the round can still end', async () => {
    server = await startFakeRealtimeServer({ apiKey: KEY });
    const d = (driver = new RealtimeDriver({
      pack: testPack(),
      baseURL: server.url,
      apiKey: 'sk-wrong',
    }));
    d.round.start();
    await until(() => d.of('notice').length > 0);
    expect(d.of('notice')[0]!.message).toBe(
      'The API key was rejected (401). Check the key in Settings.',
    );
    expect(d.sleeps).toEqual([]);
    expect(server.connections).toHaveLength(0);
    await d.feed(500);
    expect(d.round.floorState).toBe('listening');
    await d.round.end();
    expect(d.finished?.reason).toBe('candidate-ended');
    // The message never carries the key.
    expect(JSON.stringify(d.events)).not.toContain('sk-wrong');
  });

  it('429 with retry-after: waits at least as asked, shows reconnecting, then goes on', async () => {
    const d = await setUp();
    server.injectFault({ kind: 'status', status: 429, retryAfterSeconds: 2 });
    server.setScript({ replies: [OPENING] });
    d.round.start();
    await d.feedUntil(() => d.turns().length === 1);
    expect(d.sleeps[0]).toBeGreaterThanOrEqual(2000);
    const states = d.of('provider-status').map((s) => s.state);
    expect(states).toEqual(['reconnecting', 'recovered']);
    expect(d.of('provider-status')[0]!.stage).toBe('interviewer');
  });

  it('500 on connect is retried; after the retries the round says so and goes on recording', async () => {
    const d = await setUp();
    server.injectFault({ kind: 'status', status: 500 }, 4);
    d.round.start();
    await until(() => d.of('notice').length > 0);
    expect(d.sleeps).toHaveLength(3);
    expect(d.of('notice')[0]!.message).toMatch(/failed to open the realtime session \(500\)/);
    await d.feed(300);
    expect(d.recorded.length).toBe(3);
    // "I'm done" tries again, and the opening comes.
    server.setScript({ replies: [OPENING] });
    d.round.done(d.clock.now());
    await d.feedUntil(() => d.turns().length === 1);
    expect(d.turns()[0]!.text).toBe(OPENING);
  });

  it('a connection cut mid-reply: reconnecting, what arrived is kept, the round continues', async () => {
    const d = await setUp({}, { chunkDelayMs: 5 });
    server.injectFault({ kind: 'close-mid-response' });
    server.setScript({ replies: [LONG, FOLLOW_UP] });
    d.round.start();
    await d.feedUntil(() => d.turns().length === 2, 90_000);
    expect(server.connections).toHaveLength(2);
    const states = d.of('provider-status').map((s) => s.state);
    expect(states).toEqual(['reconnecting', 'recovered']);
    const [partial, resumed] = d.turns();
    expect(partial!.speaker).toBe('interviewer');
    expect(partial!.endMs - partial!.startMs).toBeLessThan(
      LONG.length * DEFAULT_SPEECH_TIMING.msPerChar * 0.75,
    );
    expect(resumed).toMatchObject({ speaker: 'interviewer', text: FOLLOW_UP });
    // The new session is told what was said on the old one.
    const last = server
      .eventsOf('session.update')
      .filter((e) => e.connection === 2)
      .at(-1)!;
    const instructions = String((last.json['session'] as Record<string, unknown>)['instructions']);
    expect(instructions).toContain('The connection was replaced');
    // Nothing recorded is lost: every frame fed reached the recorder.
    const frames = d.recorded.reduce((n, f) => n + f.length / 2, 0);
    expect(frames).toBe(Math.round((d.nowMs / 1000) * SAMPLE_RATE));
  });

  it('a slow first delta is waited for; a reply that stalls past the limit reconnects', async () => {
    const d = await setUp({ responseStallMs: 3000 });
    server.injectFault({ kind: 'slow-first-delta', delayMs: 300 });
    server.setScript({ replies: [OPENING, FOLLOW_UP, FOLLOW_UP] });
    d.round.start();
    await d.feedUntil(() => d.turns().length === 1);
    expect(d.turns()[0]!.text).toBe(OPENING);
    expect(d.of('provider-status')).toHaveLength(0);

    server.injectFault({ kind: 'slow-first-delta', delayMs: 60_000 });
    await d.feed(1500, 'speech');
    await d.feed(800);
    await until(() => server.eventsOf('response.create').length === 2);
    d.clock.advance(3100);
    await d.feedUntil(() => d.turns().filter((t) => t.speaker === 'interviewer').length === 2);
    expect(d.of('notice').map((n) => n.message)).toContain(
      'The interviewer stopped answering. Reconnecting.',
    );
    expect(server.connections.length).toBe(2);
  });

  it('hold to think: no reply while held; the answer comes on release', async () => {
    const d = await setUp();
    server.setScript({ replies: [OPENING, FOLLOW_UP], transcriptions: [ANSWER] });
    d.round.start();
    await d.feedUntil(() => d.turns().length === 1);
    d.round.hold(true);
    await d.feed(1500, 'speech');
    await d.feed(2000);
    expect(server.eventsOf('response.create')).toHaveLength(1);
    d.round.hold(false);
    await d.feedUntil(() => d.turns().length === 3);
    expect(d.turns()[2]!.text).toBe(FOLLOW_UP);
  });

  it('semantic VAD and eagerness go to the server as set', async () => {
    const d = await setUp({
      turnDetection: { turnDetection: 'semantic_vad', eagerness: 'high', silenceMs: 500 },
      transcriptionModel: null,
    });
    server.setScript({ replies: [OPENING] });
    d.round.start();
    await d.feedUntil(() => d.turns().length === 1);
    const session = server.eventsOf('session.update')[0]!.json['session'] as {
      audio: { input: Record<string, unknown> };
    };
    expect(session.audio.input['turn_detection']).toEqual({
      type: 'semantic_vad',
      eagerness: 'high',
      create_response: false,
      interrupt_response: false,
    });
    expect(session.audio.input['transcription']).toBeUndefined();
  });
});

describe('what was heard of a cut-off reply', () => {
  it('keeps the words whose audio played in full, by their share of the characters', () => {
    const text = 'one two three four';
    const samples = 1900;
    expect(heardText(text, samples, samples)).toBe(text);
    expect(heardText(text, samples, 0)).toBe('');
    expect(heardText(text, samples, 500)).toBe('one…');
    expect(heardText(text, samples, 1000)).toBe('one two…');
  });

  it('prices realtime audio tokens apart from text tokens', () => {
    expect(
      priceOf(
        {
          inputTokens: 1e6,
          outputTokens: 1e6,
          audioSeconds: 0,
          characters: 0,
          audioInputTokens: 1e6,
          audioOutputTokens: 1e6,
        },
        DEFAULT_PRICES['gpt-realtime'],
      ),
    ).toBeCloseTo(4 + 16 + 32 + 64);
  });
});
