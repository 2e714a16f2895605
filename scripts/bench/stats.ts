/** Summary figures for a benchmark quantity: medians and p95 over many runs, not means. */
export interface Figure {
  unit: string;
  median: number;
  p95: number;
  min: number;
  max: number;
  runs: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  // Nearest-rank: a value that was actually measured.
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function figure(samples: readonly number[], unit: string, digits = 1): Figure {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Number(n.toFixed(digits));
  return {
    unit,
    median: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    min: round(sorted[0] ?? NaN),
    max: round(sorted.at(-1) ?? NaN),
    runs: samples.length,
  };
}
