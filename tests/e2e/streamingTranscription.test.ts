import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithMicrophone } from '../support/chromium';
import { fakeSpeechSampleCount } from '../support/fakeOpenAIAudio';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fakeOpenAIServer';
import { startFakeRealtimeServer, type FakeRealtimeServer } from '../support/fakeRealtimeServer';
import { onlySession, screenshot, shownTurns, waitForTurns } from '../support/roundScenario';
import { buildSpeechFixture, type SpeechFixture } from '../support/speechFixture';
import { startWebApp, type RunningWebApp } from '../support/webApp';

const KEY = 'sk-stream-e2e-key';
const OPENING =
  "Hi, I'm Ingrid. Let's start with storage. How does Kafka lay out a partition on disk?";
const FOLLOW_UP = 'And how would you keep ordering when a broker fails?';
const NEXT = 'Good. Now tell me when the high watermark advances.';
/** The first answer trails off, the candidate thinks, then finishes it. */
const THINKING = 'I would partition the topic by key and';
const FINISH = 'then replicate each partition to three brokers.';
const SECOND = 'The new leader comes from the in sync replicas, so nothing committed is lost.';
const THINKING_S = 2.5;

/**
 * The cascade with streaming transcription: the backend opens a Realtime transcription
 * session (`?intent=transcription`) on the fake server beside its HTTP endpoints, streams
 * each stretch of the candidate's speech as it is spoken and commits it where the app's own
 * detector says it ends. No transcription upload is made; the words come back from the
 * session, a thinking pause after "…by key and" keeps the floor, and the audio the session
 * received is the candidate's speech, each second once.
 */
describe('a cascade round with streaming transcription', () => {
  let http: FakeOpenAIServer;
  let realtime: FakeRealtimeServer;
  let app: RunningWebApp;
  let dataDir: string;
  let fixture: SpeechFixture;

  beforeAll(async () => {
    http = await startFakeOpenAIServer({ apiKey: KEY, oneReplyPerTurn: true });
    realtime = await startFakeRealtimeServer({ apiKey: KEY, transcriptionDelayMs: 40 }, http);
    http.setScript({ chatReplies: [OPENING, FOLLOW_UP, NEXT] });
    const seconds = (text: string) => fakeSpeechSampleCount(text) / 24_000;
    fixture = buildSpeechFixture([
      { silence: seconds(OPENING) + 6 },
      { say: THINKING },
      { silence: THINKING_S },
      { say: FINISH },
      { silence: seconds(FOLLOW_UP) + 7 },
      { say: SECOND },
      { silence: 20 },
    ]);
    realtime.setScript({
      spokenAnswers: fixture.spoken.map((s) => ({ text: s.text, seconds: s.end - s.start })),
    });
    dataDir = mkdtempSync(join(tmpdir(), 'mockloop-stream-'));
    writeFileSync(
      join(dataDir, 'settings.json'),
      JSON.stringify({
        schemaVersion: 1,
        turnTaking: { endOfTurnSilenceMs: 1200, unfinishedSilenceMs: 5000 },
      }),
    );
    app = await startWebApp(dataDir, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: http.url });
  });

  afterAll(async () => {
    await app?.stop();
    await realtime?.close();
    await http?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('hears the candidate as they speak and saves what the session transcribed', async () => {
    const { browser, page } = await launchWithMicrophone(fixture.path);
    try {
      await page.goto(app.url);
      await page.getByText('Kafka internals deep dive').first().click();
      await page.getByRole('button', { name: 'Start round' }).click();
      await waitForTurns(page, 5, 120_000);
      await screenshot(page, 'streaming-transcription');
      expect((await shownTurns(page)).slice(0, 5)).toEqual([
        { who: 'interviewer', text: OPENING },
        { who: 'candidate', text: `${THINKING} ${FINISH}` },
        { who: 'interviewer', text: FOLLOW_UP },
        { who: 'candidate', text: SECOND },
        { who: 'interviewer', text: NEXT },
      ]);
      await page.getByRole('button', { name: 'End round' }).click();
      await page.getByText('Round ended. The session is saved.').waitFor({ timeout: 20_000 });
    } finally {
      await browser.close();
    }

    const { session } = onlySession(dataDir);
    expect(session.transcriptAvailable).toBe(true);
    expect(session.providers.stt).toEqual({ kind: 'openai', model: 'gpt-4o-transcribe' });
    // The thinking pause did not end the turn: no reply came between the two halves.
    const candidate = session.turns.filter((t) => t.speaker === 'candidate');
    expect(candidate.map((t) => t.text)).toEqual([`${THINKING} ${FINISH}`, SECOND]);

    // All of it went through the transcription session; nothing was uploaded.
    expect(http.requestsTo('transcriptions')).toEqual([]);
    const sessions = realtime.connections.filter((c) => c.intent === 'transcription');
    expect(sessions).toHaveLength(1);
    expect(realtime.eventsOf('session.update')[0]?.json['session']).toMatchObject({
      type: 'transcription',
      audio: { input: { transcription: { model: 'gpt-4o-transcribe' }, turn_detection: null } },
    });
    // Each stretch of speech committed once; the audio received is the speech, ±10%.
    expect(realtime.eventsOf('input_audio_buffer.commit').length).toBeGreaterThanOrEqual(3);
    const receivedSeconds = sessions[0]!.inputSamples / 24_000;
    const spokenSeconds = fixture.spoken.reduce((n, s) => n + s.end - s.start, 0);
    expect(Math.abs(receivedSeconds / spokenSeconds - 1)).toBeLessThan(0.1);
    // The session's usage reached the cost meter.
    expect(session.usage?.stages.stt?.audioSeconds).toBeGreaterThan(0);
  });
});
