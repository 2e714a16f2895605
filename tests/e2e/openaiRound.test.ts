import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoundPack } from '../../src/core/roundPack';
import { loadRoundPacks } from '../../src/storage/roundPackLoader';
import { launchWithMicrophone } from '../support/chromium';
import { fakeSpeechSampleCount } from '../support/fakeOpenAIAudio';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fakeOpenAIServer';
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
const OPENING =
  "Hi, I'm Ingrid. Let's start with storage. How does Kafka lay out a partition on disk?";
const FOLLOW_UP = 'Why is the offset index sparse rather than dense?';
const NEXT = 'Good. Now tell me when the high watermark advances.';
const ANSWERS = [
  'Each partition is a sequence of segment files with a sparse offset index beside each one.',
  'A sparse index stays small enough to keep in memory and a short scan finds the rest.',
];
/** Long on purpose: the first answer is ended with "I'm done" (the Enter key) instead. */
const SILENCE_WINDOW_MS = 4000;

/**
 * The OpenAI-compatible cascade end to end: the real SDK in the backend talks to a local
 * fake server (transcription, streamed chat, speech), the microphone plays a WAV.
 */
describe('a round through an OpenAI-compatible server', () => {
  let server: FakeOpenAIServer;
  let app: RunningWebApp;
  let dataDir: string;
  let pack: RoundPack;
  let fixture: SpeechFixture;

  beforeAll(async () => {
    const { packs } = await loadRoundPacks(join(ROOT, 'prompts'));
    pack = packs.find((p) => p.title === 'Kafka internals deep dive')!;
    server = await startFakeOpenAIServer({
      apiKey: 'sk-test-key',
      firstByteDelayMs: [20, 60],
      // Drafts made at pauses inside an answer ask for its transcript and reply again.
      oneReplyPerTurn: true,
    });
    const seconds = (text: string) => fakeSpeechSampleCount(text) / 24_000;
    fixture = buildSpeechFixture([
      { silence: seconds(OPENING) + 6 },
      { say: ANSWERS[0]! },
      { silence: seconds(FOLLOW_UP) + 7 },
      { say: ANSWERS[1]! },
      { silence: 25 },
    ]);
    // Each answer's words come back in the pieces its audio is sent in.
    server.setScript({
      chatReplies: [OPENING, FOLLOW_UP, NEXT],
      spokenAnswers: ANSWERS.map((text, i) => ({
        text,
        seconds: fixture.spoken[i]!.end - fixture.spoken[i]!.start,
      })),
    });
    dataDir = mkdtempSync(join(tmpdir(), 'mockloop-openai-'));
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, 'settings.json'),
      JSON.stringify({ schemaVersion: 1, turnTaking: { endOfTurnSilenceMs: SILENCE_WINDOW_MS } }),
    );
    app = await startWebApp(dataDir, {
      OPENAI_API_KEY: 'sk-test-key',
      OPENAI_BASE_URL: server.url,
    });
  });

  afterAll(async () => {
    await app?.stop();
    await server?.close();
  });

  it('transcribes, replies with a streamed model, speaks, and saves the transcript', async () => {
    const { browser, page } = await launchWithMicrophone(fixture.path);
    try {
      await page.goto(app.url);
      await page.getByText('Kafka internals deep dive').first().click();
      await page.getByRole('button', { name: 'Start round' }).click();

      await waitForTurns(page, 1, 60_000);
      // First answer: press Enter ("I'm done") as soon as it has been spoken.
      await page.getByText('You are speaking').waitFor({ timeout: 60_000 });
      const [a1] = fixture.spoken;
      await page.waitForTimeout((a1!.end - a1!.start) * 1000 + 400);
      await page.keyboard.press('Enter');

      await waitForTurns(page, 3, 30_000);
      await screenshot(page, 'openai-live');
      await waitForTurns(page, 5, 90_000);
      const turns = await shownTurns(page);
      expect(turns.slice(0, 5)).toEqual([
        { who: 'interviewer', text: OPENING },
        { who: 'candidate', text: ANSWERS[0] },
        { who: 'interviewer', text: FOLLOW_UP },
        { who: 'candidate', text: ANSWERS[1] },
        { who: 'interviewer', text: NEXT },
      ]);
      await page.getByRole('button', { name: 'End round' }).click();
      await page.getByText('Round ended. The session is saved.').waitFor({ timeout: 20_000 });
      expect(await page.getByText('words/min').count()).toBeGreaterThan(0);
      // The cost meter: what the server reported, priced, shown after the round.
      expect(await page.getByRole('heading', { name: /Usage and estimated cost/ }).count()).toBe(1);
      await screenshot(page, 'openai-ended');
    } finally {
      await browser.close();
    }

    const { dir, session } = onlySession(dataDir);
    expect(session.status).toBe('complete');
    expect(session.transcriptAvailable).toBe(true);
    expect(session.providers.stt).toEqual({ kind: 'openai', model: 'gpt-4o-transcribe' });
    expect(session.usage?.stages.interviewer?.inputTokens).toBeGreaterThan(0);
    expect(session.usage?.stages.stt?.audioSeconds).toBeGreaterThan(5);
    expect(session.usage?.costUsd).toBeGreaterThan(0);
    const candidate = session.turns.filter((t) => t.speaker === 'candidate');
    expect(candidate.map((t) => t.text)).toEqual(ANSWERS);
    // "I'm done" ended the first answer long before the 4 s silence window would have.
    const followUp = session.turns.find((t) => t.text === FOLLOW_UP)!;
    expect(followUp.startMs - candidate[0]!.endMs).toBeLessThan(SILENCE_WINDOW_MS - 500);

    // What the server saw: the candidate's speech as multipart uploads, each second of it
    // once (a draft at a pause reuses what is transcribed), the candidate's words as
    // delimited data, and the persona's voice. This server has no Realtime transcription,
    // so the app fell back to uploads without a word about it.
    const uploads = server.requestsTo('transcriptions');
    expect(uploads.length).toBeGreaterThanOrEqual(2);
    const uploadedSeconds = uploads.reduce(
      (n, u) => n + ((u.multipart?.file?.size ?? 0) - 44) / 2 / 24_000,
      0,
    );
    const spokenSeconds = fixture.spoken.reduce((n, s) => n + s.end - s.start, 0);
    expect(Math.abs(uploadedSeconds / spokenSeconds - 1)).toBeLessThan(0.1);
    expect(uploads.every((u) => u.multipart?.fields.model === 'gpt-4o-transcribe')).toBe(true);
    const chats = server.requestsTo('chat');
    const lastChat = JSON.stringify(chats[chats.length - 1]?.json?.messages);
    expect(lastChat).toContain(pack.persona.name);
    expect(lastChat).toMatch(/<candidate_turn[^>]*>[^<]*sparse offset index/);
    const speech = server.requestsTo('speech');
    expect(speech.length).toBeGreaterThanOrEqual(3);
    expect(speech[0]?.json).toMatchObject({
      voice: pack.persona.voice.openai,
      instructions: pack.persona.voice.instructions,
      response_format: 'pcm',
    });
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer sk-test-key')).toBe(
      true,
    );

    const wavPath = join(dir, session.audio.file);
    const opening = session.turns[0]!;
    expect(
      await channelRms(wavPath, 1, opening.startMs / 1000, opening.endMs / 1000),
    ).toBeGreaterThan(0.02);
    expect(
      await channelRms(wavPath, 0, candidate[0]!.startMs / 1000, candidate[0]!.endMs / 1000),
    ).toBeGreaterThan(0.02);
  });
});
