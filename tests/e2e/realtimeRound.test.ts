import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoundPack } from '../../src/core/roundPack';
import { loadRoundPacks } from '../../src/storage/roundPackLoader';
import { launchWithMicrophone } from '../support/chromium';
import { fakeSpeechSampleCount } from '../support/fakeOpenAIAudio';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fakeOpenAIServer';
import { startFakeRealtimeServer, type FakeRealtimeServer } from '../support/fakeRealtimeServer';
import {
  channelRms,
  onlySession,
  screenshot,
  shownTurns,
  waitForTurns,
} from '../support/roundScenario';
import { buildSpeechFixture, type SpeechFixture } from '../support/speechFixture';
import { startWebApp, type RunningWebApp } from '../support/webApp';

const ROOT = join(import.meta.dirname, '..', '..');
const KEY = 'sk-realtime-e2e-secret-key';
const OPENING =
  "Hi, I'm Ingrid. Let's start with storage. How does Kafka lay out a partition on disk?";
const FOLLOW_UP = 'Why is the offset index sparse rather than dense?';
const NEXT = 'Good. Now tell me when the high watermark advances.';
const ANSWERS = [
  'Each partition is a sequence of segment files with a sparse offset index beside each one.',
  'A sparse index stays small enough to keep in memory and a short scan finds the rest.',
];

/**
 * Speech-to-speech end to end in browser mode: the backend's Realtime WebSocket client
 * talks to a local fake Realtime server; Chromium's microphone plays a WAV; the renderer
 * is the same as for the cascade (it plays `speech` events and records both channels).
 */
describe('a round over the Realtime WebSocket path', () => {
  let http: FakeOpenAIServer;
  let realtime: FakeRealtimeServer;
  let app: RunningWebApp;
  let dataDir: string;
  let pack: RoundPack;
  let fixture: SpeechFixture;

  beforeAll(async () => {
    const { packs } = await loadRoundPacks(join(ROOT, 'prompts'));
    pack = packs.find((p) => p.title === 'Kafka internals deep dive')!;
    http = await startFakeOpenAIServer({ apiKey: KEY });
    realtime = await startFakeRealtimeServer({ apiKey: KEY, chunkDelayMs: [5, 15] }, http);
    realtime.setScript({ replies: [OPENING, FOLLOW_UP, NEXT], transcriptions: [...ANSWERS] });
    const seconds = (text: string) => fakeSpeechSampleCount(text) / 24_000;
    fixture = buildSpeechFixture([
      { silence: seconds(OPENING) + 6 },
      { say: ANSWERS[0]! },
      { silence: seconds(FOLLOW_UP) + 7 },
      { say: ANSWERS[1]! },
      { silence: 25 },
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'mockloop-realtime-'));
    writeFileSync(
      join(dataDir, 'settings.json'),
      JSON.stringify({
        schemaVersion: 1,
        realtime: { mode: 'realtime', turnDetection: 'server_vad', silenceMs: 900 },
      }),
    );
    app = await startWebApp(dataDir, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: http.url });
  });

  afterAll(async () => {
    await app?.stop();
    await realtime?.close();
    await http?.close();
  });

  it('streams the mic in, plays the model, and saves transcripts, recording and usage', async () => {
    const { browser, page } = await launchWithMicrophone(fixture.path);
    // Everything the backend sends to the page, to prove the key is never among it.
    const received: Buffer[] = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) =>
        received.push(typeof payload === 'string' ? Buffer.from(payload) : payload),
      ),
    );
    try {
      await page.goto(app.url);
      await page.getByText('Kafka internals deep dive').first().click();
      await page.getByRole('button', { name: 'Start round' }).click();
      await waitForTurns(page, 3, 90_000);
      await screenshot(page, 'realtime-live');
      await waitForTurns(page, 5, 90_000);
      expect((await shownTurns(page)).slice(0, 5)).toEqual([
        { who: 'interviewer', text: OPENING },
        { who: 'candidate', text: ANSWERS[0] },
        { who: 'interviewer', text: FOLLOW_UP },
        { who: 'candidate', text: ANSWERS[1] },
        { who: 'interviewer', text: NEXT },
      ]);
      await page.getByRole('button', { name: 'End round' }).click();
      await page.getByText('Round ended. The session is saved.').waitFor({ timeout: 20_000 });
      expect(await page.getByRole('heading', { name: /Usage and estimated cost/ }).count()).toBe(1);
      await screenshot(page, 'realtime-ended');
    } finally {
      await browser.close();
    }

    expect(received.length).toBeGreaterThan(50);
    expect(received.some((frame) => frame.includes(KEY))).toBe(false);

    const { dir, session } = onlySession(dataDir);
    expect(session.status).toBe('complete');
    expect(session.transcriptAvailable).toBe(true);
    expect(session.providers.interviewer).toEqual({
      kind: 'openai-realtime',
      model: 'gpt-realtime',
    });
    const candidate = session.turns.filter((t) => t.speaker === 'candidate');
    expect(candidate.map((t) => t.text)).toEqual(ANSWERS);
    // Candidate turns sit where the fixture spoke them (the mic starts just before the round).
    for (const [i, turn] of candidate.entries()) {
      const said = fixture.spoken[i]!;
      expect(Math.abs(turn.endMs - turn.startMs - (said.end - said.start) * 1000)).toBeLessThan(
        1000,
      );
    }
    const interviewer = session.turns.filter((t) => t.speaker === 'interviewer');
    expect(interviewer.slice(0, 3).map((t) => t.text)).toEqual([OPENING, FOLLOW_UP, NEXT]);
    expect(interviewer[0]!.endMs - interviewer[0]!.startMs).toBeGreaterThan(
      (fakeSpeechSampleCount(OPENING) / 24_000) * 1000 - 300,
    );

    // Usage as the server reported it, priced with the realtime rates.
    const stage = session.usage?.stages.interviewer;
    const reported = realtime.responses.filter((r) => r.usage).map((r) => r.usage!);
    expect(stage?.model).toBe('gpt-realtime');
    expect(stage?.audioOutputTokens).toBe(
      reported.reduce((n, u) => n + u.output_token_details.audio_tokens, 0),
    );
    expect(stage?.costUsd).toBeGreaterThan(0);
    expect(session.usage?.stages.stt?.audioSeconds).toBeGreaterThan(3);

    // What the model was given: the persona's voice and instructions, the mic audio.
    const first = realtime.eventsOf('session.update')[0]!.json['session'] as {
      instructions: string;
      audio: { output: { voice: string } };
    };
    expect(first.audio.output.voice).toBe(pack.persona.voice.openai);
    expect(first.instructions).toContain(pack.persona.name);
    expect(realtime.connections[0]?.authorization).toBe(`Bearer ${KEY}`);
    const appended = realtime.eventsOf('input_audio_buffer.append');
    const appendedSeconds = appended.reduce((n, e) => n + Number(e.json['samples']), 0) / 24_000;
    expect(appendedSeconds).toBeGreaterThan(fixture.spoken[1]!.end);

    // The stereo recording: the interviewer on the right, the candidate on the left.
    const wavPath = join(dir, session.audio.file);
    const opening = interviewer[0]!;
    expect(
      await channelRms(wavPath, 1, opening.startMs / 1000, opening.endMs / 1000),
    ).toBeGreaterThan(0.02);
    expect(
      await channelRms(wavPath, 0, candidate[0]!.startMs / 1000, candidate[0]!.endMs / 1000),
    ).toBeGreaterThan(0.02);
  });
});
