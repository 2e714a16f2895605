import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoundPack } from '../../src/core/roundPack';
import { loadRoundPacks } from '../../src/storage/roundPackLoader';
import { launchWithMicrophone } from '../support/chromium';
import { onlySession, screenshot, shownTurns, waitForTurns } from '../support/roundScenario';
import { spokenSeconds } from '../support/embeddedVoiceDurations';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fakeOpenAIServer';
import { buildSpeechFixture, type SpeechFixture } from '../support/speechFixture';
import { writeTinyWhisperModel } from '../support/tinyWhisperModel';
import { startWebApp, type RunningWebApp } from '../support/webApp';

const ROOT = join(import.meta.dirname, '..', '..');
const ANSWER =
  'Each partition is a sequence of segment files with a sparse offset index beside each one.';

/**
 * The offline round with speech recognition on this computer: no key, a whisper.cpp model
 * in the data folder (a tiny one the test writes — its words are gibberish, the pipeline
 * is the real one), the scripted interviewer and the embedded voice. The candidate's turn
 * gets a transcript made locally, and the session says so.
 */
describe('an offline round with local speech recognition', () => {
  let app: RunningWebApp;
  let dataDir: string;
  let pack: RoundPack;
  let fixture: SpeechFixture;
  let modelServer: FakeOpenAIServer | undefined;

  beforeAll(async () => {
    const { packs } = await loadRoundPacks(join(ROOT, 'prompts'));
    pack = packs.find((p) => p.title === 'Kafka internals deep dive')!;
    const opening = `${pack.opening} ${pack.questions[0]!.prompt}`;
    const [openingSeconds = 20] = spokenSeconds(pack, opening);
    fixture = buildSpeechFixture([
      { silence: openingSeconds + 6 },
      { say: ANSWER },
      { silence: 40 },
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'mockloop-local-stt-'));
    mkdirSync(join(dataDir, 'models'), { recursive: true });
    writeTinyWhisperModel(join(dataDir, 'models', 'imported-tiny-test.bin'));
    app = await startWebApp(dataDir);
  });

  afterAll(async () => {
    await modelServer?.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dirname(fixture.path), { recursive: true, force: true });
  });

  it('transcribes the answer on this computer and saves it, marked local', async () => {
    const { browser, page } = await launchWithMicrophone(fixture.path);
    try {
      await page.goto(app.url);
      // Offline with a model installed: the home screen says the answers are heard here.
      await page.getByText(/transcribed on this computer/).waitFor();
      expect(await page.getByText('Everything stays on this computer').count()).toBe(1);
      await screenshot(page, 'local-stt-home');
      await page.getByText('Kafka internals deep dive').first().click();
      await page.getByRole('button', { name: 'Start round' }).click();
      await waitForTurns(page, 3, 150_000);
      const turns = await shownTurns(page);
      expect(turns[1]!.who).toBe('candidate');
      expect(turns[1]!.text).not.toMatch(/no transcript/);
      await page.getByRole('button', { name: 'End round' }).click();
      await page.getByText('Round ended. The session is saved.').waitFor({ timeout: 20_000 });
      // Measured from the local transcript: pace and filler words (no "needs a transcript").
      await page.getByText(/\d+ words\/min/).waitFor();
      expect(await page.getByText('Filler words').count()).toBe(1);
      await screenshot(page, 'local-stt-ended');

      // Settings shows the model in use.
      await page.getByRole('button', { name: 'Back to rounds' }).click();
      await page
        .getByRole('button', { name: /Settings/ })
        .first()
        .click();
      const panel = page.getByRole('region', { name: 'Speech recognition on this computer' });
      await panel.getByText('tiny-test (your file)', { exact: true }).waitFor({ timeout: 15_000 });
      expect(await panel.getByText('In use').count()).toBe(1);
      await screenshot(page, 'local-stt-settings');

      // Local models all the way: a model server on this computer (a stand-in for Ollama).
      modelServer = await startFakeOpenAIServer({ models: ['llama3.1:8b', 'qwen2.5:7b'] });
      const stack = page.getByRole('form', { name: 'Local models all the way' });
      const model = stack.getByLabel(/^Model \(as the server names it/);
      // An OpenAI model name means nothing there: the field starts empty.
      expect(await model.inputValue()).toBe('');
      await stack.getByLabel('Model server address').fill(modelServer.url);
      await model.fill('llama3.1:8b');
      await stack
        .getByRole('button', { name: 'Use local models and check the connection' })
        .click();
      await page.getByText(/The interviewer model "llama3.1:8b" answered/).waitFor();
      // The server's models are offered for the field, and nothing leaves this computer.
      expect(
        await page
          .locator('#local-stack-models option')
          .evaluateAll((o) => o.map((e) => (e as HTMLOptionElement).value)),
      ).toEqual(['llama3.1:8b', 'qwen2.5:7b']);
      expect(
        await page.getByText('Everything stays on this computer with these settings.').count(),
      ).toBe(1);
      const ping = modelServer.requestsTo('chat').at(-1)?.json;
      expect(ping).toMatchObject({ model: 'llama3.1:8b', max_tokens: 1 });
      // The Providers panel follows, and touching its fields does not put the old values back.
      const baseUrl = page.getByLabel('Server base URL (empty for OpenAI)');
      expect(await baseUrl.inputValue()).toBe(modelServer.url);
      expect(await page.getByLabel('Interviewer model', { exact: true }).inputValue()).toBe(
        'llama3.1:8b',
      );
      await baseUrl.focus();
      await baseUrl.blur();
      await page.getByRole('button', { name: 'Back to rounds' }).click();
      await page
        .getByRole('button', { name: /Settings/ })
        .first()
        .click();
      expect(await page.getByLabel('Server base URL (empty for OpenAI)').inputValue()).toBe(
        modelServer.url,
      );
      await screenshot(page, 'local-stack-connected');
    } finally {
      await browser.close();
    }

    const { session } = onlySession(dataDir);
    expect(session.providers.stt).toEqual({ kind: 'local', model: 'imported-tiny-test' });
    expect(session.transcriptAvailable).toBe(true);
    const answers = session.turns.filter((t) => t.speaker === 'candidate');
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((t) => typeof t.text === 'string')).toBe(true);
  });
});
