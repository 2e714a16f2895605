import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { closingMinutes, roundDurationMinutes, roundPackSchema } from '../../../src/core/roundPack';
import { testPack } from '../engine/testPack';

const samplePath = join(
  import.meta.dirname,
  '../../../prompts/confluent-engineering/kafka-internals.yaml',
);

/** A valid pack as plain data, to break one field at a time. */
function raw(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(testPack())) as Record<string, unknown>;
}

function issues(value: unknown) {
  const result = roundPackSchema.safeParse(value);
  expect(result.success).toBe(false);
  return result.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) ?? [];
}

describe('roundPackSchema', () => {
  it('accepts the sample Kafka pack and times it', () => {
    const pack = roundPackSchema.parse(parse(readFileSync(samplePath, 'utf8')));
    expect(pack.id).toBe('eng-kafka-internals');
    expect(pack.questions.length).toBeGreaterThan(1);
    expect(pack.rubric.map((c) => c.id)).toContain(pack.closing.criterion);
    expect(roundDurationMinutes(pack)).toBe(45);
    expect(closingMinutes(pack)).toBe(5);
  });

  it('requires closing.criterion to name a rubric criterion', () => {
    const pack = raw();
    (pack.closing as Record<string, unknown>).criterion = 'charisma';
    expect(issues(pack)).toEqual([
      {
        path: 'closing.criterion',
        message: expect.stringContaining('"charisma"'),
      },
    ]);
  });

  it('rejects duplicate question ids, pointing at the second', () => {
    const pack = raw();
    const questions = pack.questions as Record<string, unknown>[];
    questions[1] = { ...questions[1], id: questions[0]?.id };
    expect(issues(pack)).toEqual([
      { path: 'questions.1.id', message: 'duplicate question id "log-storage"' },
    ]);
  });

  it('requires a short, unique label on every strong-answer concept', () => {
    const pack = raw();
    const q = (pack.questions as { strongAnswer: unknown[] }[])[0]!;
    q.strongAnswer = [
      'a bare string, as packs wrote them before labels',
      { label: 'segments and the page cache explained in full detail', text: 'x' },
    ];
    expect(issues(pack)).toEqual([
      {
        path: 'questions.0.strongAnswer.0',
        message: 'write each concept as { label, text }: a few-word label and the full text',
      },
      {
        path: 'questions.0.strongAnswer.1.label',
        message: 'keep a label to 40 characters: a few words',
      },
      { path: 'questions.0.strongAnswer.1.label', message: 'keep a label to six words or fewer' },
    ]);
    q.strongAnswer = [
      { label: 'page cache', text: 'reads served from the page cache' },
      { label: 'Page cache', text: 'the same label again' },
    ];
    expect(issues(pack)).toEqual([
      { path: 'questions.0.strongAnswer.1.label', message: 'duplicate label "Page cache"' },
    ]);
  });

  it('requires a story question to have a follow-up for each STAR part', () => {
    const pack = raw();
    const q = (pack.questions as Record<string, unknown>[])[0]!;
    q.story = true;
    q.followUps = [
      { kind: 'why', prompt: 'Why?' },
      { kind: 'result', prompt: 'What was the result, in numbers?' },
      { kind: 'action', prompt: 'What did you do yourself?' },
    ];
    expect(issues(pack)).toEqual([
      {
        path: 'questions.0.followUps',
        message: 'a story question needs a follow-up for each STAR part; missing: situation, task',
      },
    ]);
  });

  it('rejects ids that are not lowercase slugs', () => {
    const pack = raw();
    pack.id = 'Acme Backend';
    expect(issues(pack).map((i) => i.path)).toEqual(['id']);
  });

  it('rejects blank text, empty lists and unknown follow-up kinds', () => {
    const blank = raw();
    blank.opening = '   ';
    expect(issues(blank).map((i) => i.path)).toEqual(['opening']);

    const noQuestions = raw();
    noQuestions.questions = [];
    expect(issues(noQuestions).map((i) => i.path)).toEqual(['questions']);

    const badKind = raw();
    const q = (badKind.questions as { followUps: { kind: string }[] }[])[0];
    if (q?.followUps[0]) q.followUps[0].kind = 'gotcha';
    expect(issues(badKind).map((i) => i.path)).toEqual(['questions.0.followUps.0.kind']);
  });

  it('rejects another schema version and an unknown embedded voice', () => {
    const v2 = raw();
    v2.schemaVersion = 2;
    expect(issues(v2).map((i) => i.path)).toEqual(['schemaVersion']);

    const voice = raw() as { persona: { voice: { embedded: string } } };
    voice.persona.voice.embedded = 'robot';
    expect(issues(voice).map((i) => i.path)).toEqual(['persona.voice.embedded']);
  });

  it('sums the plan for the budget and the candidate-questions phases for closing', () => {
    const pack = testPack({
      plan: [
        { phase: 'intro', minutes: 2, goal: 'a' },
        { phase: 'questions', minutes: 30, goal: 'b' },
        { phase: 'candidate-questions', minutes: 3, goal: 'c' },
        { phase: 'candidate-questions', minutes: 2, goal: 'd' },
      ],
    });
    expect(roundDurationMinutes(pack)).toBe(37);
    expect(closingMinutes(pack)).toBe(5);
  });
});
