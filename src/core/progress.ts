import type { RoundPack } from './roundPack';
import { latestOfKind, type Scorecard } from './scorecard';

/**
 * Progress over time: per round type, each rubric criterion's score session after
 * session; the weakest criteria overall; and which round to practise next. A session's
 * point comes from its newest model scorecard where the model found evidence, else from
 * the candidate's own newest self-review — each point says which, so the plot never
 * mixes the two silently. Offline scorecards have no 1–4 scores and add no points.
 */

export interface ProgressPoint {
  sessionId: string;
  createdAt: string;
  score: number;
  source: 'model' | 'self';
}

export interface CriterionTrend {
  criterionId: string;
  name: string;
  points: ProgressPoint[];
}

export interface RoundProgress {
  packId: string;
  title: string;
  loopTitle: string;
  sessions: number;
  criteria: CriterionTrend[];
}

export interface WeakCriterion {
  packId: string;
  roundTitle: string;
  criterionId: string;
  name: string;
  average: number;
  latest: number;
  count: number;
}

export interface ProgressView {
  rounds: RoundProgress[];
  weakest: WeakCriterion[];
  suggestion: { packId: string; title: string; reason: string } | null;
}

export interface ScoredSession {
  sessionId: string;
  createdAt: string;
  packId: string;
  title: string;
  loopTitle: string;
  scorecards: readonly Scorecard[];
}

/** Below this average a criterion is worth a round of practice. */
const WEAK_BELOW = 3;

function sessionScores(session: ScoredSession): Map<string, Omit<ProgressPoint, 'createdAt'>> {
  const scores = new Map<string, Omit<ProgressPoint, 'createdAt'>>();
  const self = latestOfKind(session.scorecards, 'self');
  for (const c of self?.criteria ?? []) {
    if (c.score !== null) {
      scores.set(c.criterionId, { sessionId: session.sessionId, score: c.score, source: 'self' });
    }
  }
  const model = latestOfKind(session.scorecards, 'model');
  for (const c of model?.criteria ?? []) {
    if (c.status === 'scored' && c.score !== null) {
      scores.set(c.criterionId, { sessionId: session.sessionId, score: c.score, source: 'model' });
    }
  }
  return scores;
}

export function computeProgress(
  sessions: readonly ScoredSession[],
  packs: readonly RoundPack[],
): ProgressView {
  const ordered = [...sessions].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const byPack = new Map<string, ScoredSession[]>();
  for (const s of ordered) byPack.set(s.packId, [...(byPack.get(s.packId) ?? []), s]);

  const rounds: RoundProgress[] = [];
  for (const [packId, list] of byPack) {
    const pack = packs.find((p) => p.id === packId);
    const last = list[list.length - 1]!;
    const criteria = new Map<string, CriterionTrend>();
    for (const c of pack?.rubric ?? []) {
      criteria.set(c.id, { criterionId: c.id, name: c.name, points: [] });
    }
    for (const s of list) {
      const names = new Map(
        s.scorecards.flatMap((card) =>
          card.kind === 'offline' ? [] : card.criteria.map((c) => [c.criterionId, c.name] as const),
        ),
      );
      for (const [criterionId, point] of sessionScores(s)) {
        const trend = criteria.get(criterionId) ?? {
          criterionId,
          name: names.get(criterionId) ?? criterionId,
          points: [],
        };
        trend.points.push({ ...point, createdAt: s.createdAt });
        criteria.set(criterionId, trend);
      }
    }
    rounds.push({
      packId,
      title: pack?.title ?? last.title,
      loopTitle: pack?.loop.title ?? last.loopTitle,
      sessions: list.length,
      criteria: [...criteria.values()],
    });
  }

  const weakest: WeakCriterion[] = rounds
    .flatMap((round) =>
      round.criteria
        .filter((c) => c.points.length > 0)
        .map((c) => ({
          packId: round.packId,
          roundTitle: round.title,
          criterionId: c.criterionId,
          name: c.name,
          average: round2(c.points.reduce((sum, p) => sum + p.score, 0) / c.points.length),
          latest: c.points[c.points.length - 1]!.score,
          count: c.points.length,
        })),
    )
    .sort((a, b) => a.average - b.average || a.latest - b.latest || b.count - a.count)
    .slice(0, 5);

  return { rounds, weakest, suggestion: suggestNext(weakest, byPack, packs) };
}

function suggestNext(
  weakest: readonly WeakCriterion[],
  practised: ReadonlyMap<string, readonly ScoredSession[]>,
  packs: readonly RoundPack[],
): ProgressView['suggestion'] {
  const weak = weakest[0];
  if (weak && weak.average < WEAK_BELOW) {
    return {
      packId: weak.packId,
      title: weak.roundTitle,
      reason: `"${weak.name}" is your weakest criterion (average ${weak.average} of 4 over ${weak.count} session${weak.count === 1 ? '' : 's'}).`,
    };
  }
  const fresh = packs.find((p) => !practised.has(p.id));
  if (fresh) {
    return {
      packId: fresh.id,
      title: fresh.title,
      reason:
        practised.size === 0
          ? 'Start here: the first round of the loop.'
          : 'You have not practised this round yet.',
    };
  }
  // Everything practised and nothing weak: the round left alone the longest.
  const stalest = [...practised.entries()].sort((a, b) =>
    (a[1].at(-1)?.createdAt ?? '').localeCompare(b[1].at(-1)?.createdAt ?? ''),
  )[0];
  const pack = stalest && packs.find((p) => p.id === stalest[0]);
  return pack
    ? { packId: pack.id, title: pack.title, reason: 'The round you practised longest ago.' }
    : null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
