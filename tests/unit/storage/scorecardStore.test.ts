import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScorecardStore } from '../../../src/storage/scorecardStore';

const SESSION = '2026-11-22T10-00-00Z-abc123';

function selfDraft(note: string) {
  return {
    kind: 'self' as const,
    sessionId: SESSION,
    packId: 'p',
    criteria: [{ criterionId: 'depth', name: 'Depth', score: 2, note }],
  };
}

describe('scorecard versions', () => {
  it('two stores on one folder (two processes) never take the same number', async () => {
    const sessionsDir = await mkdtemp(join(tmpdir(), 'mockloop-cards-'));
    await mkdir(join(sessionsDir, SESSION));
    const a = new ScorecardStore(sessionsDir);
    const b = new ScorecardStore(sessionsDir);
    const saved = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).save(selfDraft(`n${i}`))),
    );
    const versions = saved.map((c) => c.version).sort((x, y) => x - y);
    expect(new Set(versions).size).toBe(8);
    const files = await readdir(join(sessionsDir, SESSION, 'scorecards'));
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(8);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const { scorecards, problems } = await a.list(SESSION);
    expect(problems).toEqual([]);
    expect(scorecards.map((c) => (c.kind === 'self' ? c.criteria[0]!.note : '')).sort()).toEqual(
      saved.map((c) => (c.kind === 'self' ? c.criteria[0]!.note : '')).sort(),
    );
  });
});
