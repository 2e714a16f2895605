import type { RoundProgress } from '../../src/core/progress';

/** Distinct on white and for common colour-vision deficiencies (Okabe–Ito). */
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 36, right: 16, top: 12, bottom: 28 };

/**
 * Each criterion's score (1–4) session by session for one round type. Model scores are
 * filled dots, self-review scores hollow, so the two are never confused.
 */
export function TrendPlot({ round }: { round: RoundProgress }) {
  const sessions = [
    ...new Map(
      round.criteria
        .flatMap((c) => c.points)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map((p) => [p.sessionId, p.createdAt] as const),
    ).entries(),
  ];
  const xOf = (sessionId: string) => {
    const i = sessions.findIndex(([id]) => id === sessionId);
    const span = WIDTH - PAD.left - PAD.right;
    return PAD.left + (sessions.length <= 1 ? span / 2 : (span * i) / (sessions.length - 1));
  };
  const yOf = (score: number) => PAD.top + ((4 - score) / 3) * (HEIGHT - PAD.top - PAD.bottom);
  const plotted = round.criteria.filter((c) => c.points.length > 0);
  const titleId = `trend-${round.packId}`;

  return (
    <figure className="trend">
      <svg
        className="trend-plot"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={titleId}
      >
        <title id={titleId}>
          {`${round.title}: ${plotted
            .map((c) => `${c.name} ${c.points.map((p) => p.score).join(', ')}`)
            .join('; ')}`}
        </title>
        {[1, 2, 3, 4].map((score) => (
          <g key={score}>
            <line
              className="axis"
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={yOf(score)}
              y2={yOf(score)}
            />
            <text x={PAD.left - 10} y={yOf(score) + 4} textAnchor="end">
              {score}
            </text>
          </g>
        ))}
        {sessions.map(([id, createdAt], i) => (
          <text key={id} x={xOf(id)} y={HEIGHT - 8} textAnchor="middle">
            {sessions.length > 8 && i % Math.ceil(sessions.length / 8) !== 0
              ? ''
              : new Date(createdAt).toLocaleDateString(undefined, {
                  month: 'short',
                  day: 'numeric',
                })}
          </text>
        ))}
        {plotted.map((criterion, ci) => {
          const color = COLORS[ci % COLORS.length]!;
          const points = criterion.points.map((p) => `${xOf(p.sessionId)},${yOf(p.score)}`);
          return (
            <g key={criterion.criterionId}>
              {points.length > 1 && (
                <polyline points={points.join(' ')} fill="none" stroke={color} strokeWidth={2} />
              )}
              {criterion.points.map((p) => (
                <circle
                  key={p.sessionId}
                  cx={xOf(p.sessionId)}
                  cy={yOf(p.score)}
                  r={4.5}
                  fill={p.source === 'model' ? color : '#ffffff'}
                  stroke={color}
                  strokeWidth={2}
                />
              ))}
            </g>
          );
        })}
      </svg>
      <ul className="trend-legend">
        {plotted.map((c, ci) => (
          <li key={c.criterionId}>
            <span className="swatch" style={{ background: COLORS[ci % COLORS.length] }} />
            {c.name} (latest {c.points[c.points.length - 1]!.score})
          </li>
        ))}
      </ul>
    </figure>
  );
}
