import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RoundPack } from '../../../src/core/roundPack';
import { loadRoundPacks } from '../../../src/storage/roundPackLoader';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const { packs, problems } = await loadRoundPacks(join(ROOT, 'prompts'));
const pack = (id: string): RoundPack => packs.find((p) => p.id === id)!;

describe('STAR stories in the packs', () => {
  it('every pack loads', () => {
    expect(problems).toEqual([]);
    expect(packs).toHaveLength(10);
  });

  for (const id of ['eng-behavioral', 'pm-hiring-manager']) {
    describe(id, () => {
      it('asks for stories and names STAR where the candidate reads it', () => {
        const p = pack(id);
        expect(p.questions.filter((q) => q.story).length).toBeGreaterThanOrEqual(4);
        expect(p.summary).toMatch(/STAR/);
        expect(p.plan.find((phase) => phase.phase === 'questions')!.goal).toMatch(/STAR/);
      });

      it('scores stories: a measured result and own actions against a team narrative', () => {
        const criterion = pack(id).rubric.find((c) => c.id === 'star-stories')!;
        expect(criterion.descriptors[2]).toMatch(/team|"we"/i);
        expect(criterion.descriptors[4]).toMatch(/measured/i);
      });
    });
  }

  it('the PM hiring manager has stories of conflict, influence, failure and a technical decision', () => {
    const topics = pack('pm-hiring-manager')
      .questions.filter((q) => q.story)
      .map((q) => `${q.topic} ${q.prompt}`.toLowerCase())
      .join('\n');
    for (const kind of [
      /conflict|disagree/,
      /influenc/,
      /fail/,
      /technical decision|technical call/,
    ]) {
      expect(topics).toMatch(kind);
    }
  });

  it('gives every strong-answer concept of every pack a short label', () => {
    const concepts = packs.flatMap((p) => p.questions.flatMap((q) => q.strongAnswer));
    expect(concepts.length).toBeGreaterThan(400);
    expect(concepts.every((c) => c.label.length <= 40 && c.label.length < c.text.length + 1)).toBe(
      true,
    );
  });
});
