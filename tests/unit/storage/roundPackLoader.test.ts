import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadRoundPacks } from '../../../src/storage/roundPackLoader';

/** The smallest pack the schema accepts. */
function minimalPack(id: string) {
  return {
    schemaVersion: 1,
    id,
    company: 'Acme',
    loop: { id: 'backend', title: 'Backend onsite' },
    title: 'System design',
    summary: 'Design a URL shortener.',
    persona: {
      name: 'Dana',
      role: 'Staff engineer',
      temperament: 'calm',
      speakingStyle: 'brief',
      voice: { openai: 'cedar', embedded: 'slt', instructions: 'Speak calmly.' },
    },
    plan: [{ phase: 'questions', minutes: 30, goal: 'Cover the design.' }],
    opening: 'Hi, thanks for joining.',
    questions: [
      {
        id: 'shorten',
        topic: 'API',
        prompt: 'How would you shorten URLs?',
        strongAnswer: [{ label: 'hashing', text: 'hashing' }],
        followUps: [{ kind: 'scale', prompt: 'And at 10x traffic?' }],
      },
    ],
    rubric: [{ id: 'design', name: 'Design', descriptors: { 1: 'a', 2: 'b', 3: 'c', 4: 'd' } }],
    closing: { invite: 'Questions for me?', farewell: 'Thanks!', criterion: 'design' },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mockloop-packs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(relativePath: string, text: string) {
  await mkdir(dirname(join(dir, relativePath)), { recursive: true });
  await writeFile(join(dir, relativePath), text);
}

describe('loadRoundPacks', () => {
  it('loads valid packs from every yaml file below the folder, in path order', async () => {
    await put('b.yaml', stringify(minimalPack('beta')));
    await put('a/nested.yml', stringify(minimalPack('alpha')));
    await put('README.md', '# not a pack');
    await put('.drafts/wip.yaml', 'id: [unfinished');
    const { packs, problems } = await loadRoundPacks(dir);
    expect(problems).toEqual([]);
    expect(packs.map((p) => p.id)).toEqual(['alpha', 'beta']);
    expect(packs[0]?.rubric[0]?.evidence).toEqual([]); // schema defaults applied
  });

  it('reports the file, field and reason of a broken pack and still loads the others', async () => {
    const broken = minimalPack('broken');
    const q = broken.questions[0]!;
    broken.questions.push({ ...q, id: 'second' }, { ...q, id: 'third', followUps: [] });
    await put('good.yaml', stringify(minimalPack('good')));
    await put('team/broken.yaml', stringify(broken));
    const { packs, problems } = await loadRoundPacks(dir);
    expect(packs.map((p) => p.id)).toEqual(['good']);
    expect(problems).toEqual([
      {
        file: 'team/broken.yaml',
        field: 'questions.2.followUps',
        reason: 'needs at least one entry',
      },
    ]);
  });

  it('names missing fields and cross-field mistakes', async () => {
    const pack: Record<string, unknown> = minimalPack('gaps');
    delete pack.title;
    pack.closing = { invite: 'Questions?', farewell: 'Bye', criterion: 'nope' };
    await put('gaps.yaml', stringify(pack));
    const { problems } = await loadRoundPacks(dir);
    expect(problems).toContainEqual({
      file: 'gaps.yaml',
      field: 'title',
      reason: 'is missing (expected string)',
    });
    // The cross-field check runs only once the shape is valid, so fix the title and retry.
    pack.title = 'Back';
    await put('gaps.yaml', stringify(pack));
    const again = await loadRoundPacks(dir);
    expect(again.problems).toEqual([
      {
        file: 'gaps.yaml',
        field: 'closing.criterion',
        reason: 'names rubric criterion "nope", which the rubric does not define',
      },
    ]);
  });

  it('reports YAML syntax errors and empty files against the whole file', async () => {
    await put('syntax.yaml', 'id: one\n  title: [unclosed\n');
    await put('empty.yml', '');
    await put('ok.yaml', stringify(minimalPack('ok')));
    const { packs, problems } = await loadRoundPacks(dir);
    expect(packs.map((p) => p.id)).toEqual(['ok']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toEqual({
      file: 'empty.yml',
      field: '(file)',
      reason: 'the file is empty',
    });
    expect(problems[1]).toMatchObject({ file: 'syntax.yaml', field: '(file)' });
    expect(problems[1]?.reason).toMatch(/^YAML syntax error: .+ at line 1, column 5$/);
  });

  it('reports a pack id used twice and keeps the first', async () => {
    await put('one.yaml', stringify({ ...minimalPack('same'), title: 'First' }));
    await put('two.yaml', stringify({ ...minimalPack('same'), title: 'Second' }));
    const { packs, problems } = await loadRoundPacks(dir);
    expect(packs.map((p) => p.title)).toEqual(['First']);
    expect(problems).toEqual([
      {
        file: 'two.yaml',
        field: 'id',
        reason: 'duplicate pack id "same" (already used by one.yaml); this file was skipped',
      },
    ]);
  });

  it('reports a missing prompts folder instead of throwing', async () => {
    const { packs, problems } = await loadRoundPacks(join(dir, 'absent'));
    expect(packs).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.reason).toContain('does not exist');
  });
});

describe('YAML that parses but cannot be read', () => {
  it.each([
    ['an alias to an undefined anchor', '*!'],
    [
      'an alias bomb',
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ],
  ])('%s is a problem with its file, not a crash', async (_name, text) => {
    const dir = await mkdtemp(join(tmpdir(), 'mockloop-yaml-'));
    await writeFile(join(dir, 'bad.yaml'), text);
    const { packs, problems } = await loadRoundPacks(dir);
    expect(packs).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'bad.yaml' });
    expect(problems[0]!.reason).toMatch(/YAML/);
  });
});
