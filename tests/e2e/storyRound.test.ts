import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Question, RoundPack } from '../../src/core/roundPack';
import { loadRoundPacks } from '../../src/storage/roundPackLoader';
import { launchWithMicrophone } from '../support/chromium';
import { fakeSpeechSampleCount } from '../support/fakeOpenAIAudio';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fakeOpenAIServer';
import { onlySession, screenshot, shownTurns, waitForTurns } from '../support/roundScenario';
import { buildSpeechFixture, type SpeechFixture } from '../support/speechFixture';
import { startWebApp, type RunningWebApp } from '../support/webApp';

const ROOT = join(import.meta.dirname, '..', '..');
/** A story with its situation, task and the candidate's own actions — and no result. */
const STORY =
  'At my last company we ran the payments pipeline on Kafka. I was responsible for consumer lag during the holiday peak. I traced the lag to rebalance storms and I moved the consumers to cooperative rebalancing.';
const RESULT = 'As a result the lag dropped from twelve minutes to under thirty seconds.';
const SILENCE_WINDOW_MS = 2500;

/**
 * STAR in a behavioral round, end to end in browser mode: a story told without its
 * result gets the result follow-up — from the scripted interviewer (it hears the story
 * through speech-to-text) and from a model (told by the engine, seen in the server's log);
 * the notes and the scorecard say which part was missing.
 */
describe('a behavioral story without a result', () => {
  let server: FakeOpenAIServer;
  let pack: RoundPack;
  let question: Question;
  let resultProbe: string;
  let opening: string;
  const cleanup: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    const { packs } = await loadRoundPacks(join(ROOT, 'prompts'));
    pack = packs.find((p) => p.id === 'eng-behavioral')!;
    question = pack.questions[0]!;
    resultProbe = question.followUps.find((f) => f.kind === 'result')!.prompt;
    opening = `${pack.opening} ${question.prompt}`;
    server = await startFakeOpenAIServer({ apiKey: 'sk-test-key', oneReplyPerTurn: true });
    cleanup.push(() => server.close());
  });

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  function fixtureFor(probe: string): SpeechFixture {
    const seconds = (text: string) => fakeSpeechSampleCount(text) / 24_000;
    const fixture = buildSpeechFixture([
      // The opening is long, said sentence by sentence: room for it to end before the story.
      { silence: seconds(opening) + 14 },
      { say: STORY },
      { silence: seconds(probe) + 6 },
      { say: RESULT },
      { silence: 30 },
    ]);
    cleanup.push(() => rmSync(dirname(fixture.path), { recursive: true, force: true }));
    server.setScript({
      chatReplies: [opening, probe, 'Thanks. Let us move on.'],
      spokenAnswers: [STORY, RESULT].map((text, i) => ({
        text,
        seconds: fixture.spoken[i]!.end - fixture.spoken[i]!.start,
      })),
    });
    return fixture;
  }

  async function startApp(providers: Record<string, string>): Promise<{
    app: RunningWebApp;
    dataDir: string;
  }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'mockloop-story-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    writeFileSync(
      join(dataDir, 'settings.json'),
      JSON.stringify({
        schemaVersion: 1,
        providers,
        turnTaking: { endOfTurnSilenceMs: SILENCE_WINDOW_MS },
      }),
    );
    const app = await startWebApp(dataDir, {
      OPENAI_API_KEY: 'sk-test-key',
      OPENAI_BASE_URL: server.url,
    });
    cleanup.push(() => app.stop());
    return { app, dataDir };
  }

  async function runRound(app: RunningWebApp, fixture: SpeechFixture, name: string) {
    const { browser, page: tab } = await launchWithMicrophone(fixture.path);
    cleanup.push(() => browser.close());
    await tab.goto(app.url);
    await tab.getByText('Behavioral').first().click();
    await tab.getByRole('button', { name: 'Start round' }).click();
    await waitForTurns(tab, 5, 150_000);
    const turns = await shownTurns(tab);
    await tab.getByRole('button', { name: 'End round' }).click();
    await tab.getByText('Round ended. The session is saved.').waitFor({ timeout: 20_000 });
    await screenshot(tab, `${name}-ended`);
    return { turns, page: tab };
  }

  it('the scripted interviewer hears the story and asks the pack’s result follow-up', async () => {
    expect(question.story).toBe(true);
    const fixture = fixtureFor(resultProbe);
    const { app, dataDir } = await startApp({
      stt: 'openai',
      interviewer: 'embedded',
      tts: 'openai',
    });
    const { turns, page } = await runRound(app, fixture, 'story-scripted');
    expect(turns.slice(0, 4)).toEqual([
      { who: 'interviewer', text: opening },
      { who: 'candidate', text: STORY },
      { who: 'interviewer', text: resultProbe },
      { who: 'candidate', text: RESULT },
    ]);

    const { session } = onlySession(dataDir);
    expect(session.providers.interviewer.kind).toBe('embedded');
    const [first, second] = session.notes;
    expect(first).toMatchObject({
      kind: 'answer',
      questionId: question.id,
      storyMissing: ['result'],
    });
    // Once the result is told, the story is whole.
    expect(second?.storyMissing).toEqual([]);
    // One note per answer, each point by its label; covered ones carry time and words.
    for (const note of session.notes) {
      expect(note.points.every((p) => question.strongAnswer.some((c) => c.label === p.label))).toBe(
        true,
      );
      for (const p of note.points.filter((p) => p.covered)) {
        expect(p.atMs).toBeGreaterThanOrEqual(note.atMs);
        expect(STORY + RESULT).toContain(p.phrase!.replace(/…/g, '').trim().split(' ')[0]!);
      }
    }

    // The notes after the round, as the candidate reads them.
    await page.goto(`${app.url}#/sessions/${session.id}`);
    const notes = page.getByRole('region', { name: "Interviewer's notes" });
    await notes.getByText('missing: measured result').waitFor({ timeout: 20_000 });
    expect(await notes.getByText(/all told/).count()).toBe(1);
    // Each point by its label; pressing one shows the concept's full text.
    const label = question.strongAnswer.at(-1)!.label;
    const more = notes.getByRole('button', { name: label }).first();
    await more.click();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    expect(await notes.locator('.concept-text').textContent()).toContain(
      question.strongAnswer.at(-1)!.text,
    );
    await screenshot(page, 'story-notes');
  });

  it('the model interviewer is told the story has no result, and the scorecard says so', async () => {
    const fixture = fixtureFor(resultProbe);
    const { app, dataDir } = await startApp({
      stt: 'openai',
      interviewer: 'openai',
      tts: 'openai',
    });
    const before = server.requestsTo('chat').length;
    const { turns, page } = await runRound(app, fixture, 'story-model');
    expect(turns[2]).toEqual({ who: 'interviewer', text: resultProbe });

    // What the model was asked after the story, and after the result.
    // (A draft made at a pause inside an answer asks too; the last ask of each turn counts.)
    const asks = server
      .requestsTo('chat')
      .slice(before)
      .map((r) => r.json!['messages'] as { content: string }[]);
    const lastAskAfter = (words: string, not?: string) =>
      asks
        .filter((m) => {
          const all = JSON.stringify(m);
          return all.includes(words) && (not === undefined || !all.includes(not));
        })
        .at(-1)!;
    const afterStory = lastAskAfter('cooperative rebalancing', 'twelve minutes');
    expect(afterStory.at(-1)!.content).toContain('Their story so far has no measured result');
    expect(afterStory.at(-1)!.content).toContain(resultProbe);
    expect(afterStory[0]!.content).toContain(`[${question.id}] (story question: STAR)`);
    const afterResult = lastAskAfter('twelve minutes');
    expect(afterResult.at(-1)!.content).not.toContain('Their story so far has no');

    // The scorecard names the missing part.
    const { session } = onlySession(dataDir);
    server.setScript({
      chatReplies: [
        JSON.stringify({
          criteria: pack.rubric.map((c) => ({
            criterionId: c.id,
            score: null,
            rationale: 'Not addressed.',
            quotes: [],
          })),
          overall: { signal: 'lean no hire', reasons: ['A clear story, but no measured result.'] },
          questions: [
            {
              questionId: question.id,
              strong: ['Owned the fix personally.'],
              missingConcepts: question.strongAnswer.slice(-1).map((c) => c.label),
              storyMissing: ['result'],
              outline: ['Scale', 'Own role', 'Mechanism', 'Measured result'],
            },
          ],
          tips: ['End every story with the number that changed.'],
        }),
      ],
    });
    await page.goto(`${app.url}#/sessions/${session.id}`);
    await page.getByRole('button', { name: 'Score with model' }).click();
    await page.locator('.signal').waitFor({ timeout: 30_000 });
    const feedback = page.locator('.question-feedback details').first();
    await feedback.locator('summary').click();
    await feedback.getByText('missing: measured result').waitFor();
    await feedback.getByText(question.strongAnswer.at(-1)!.label).waitFor();
    await screenshot(page, 'story-scorecard');
  });
});
