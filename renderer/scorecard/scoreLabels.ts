import type { CriterionResult, RubricScore, Signal } from '../../src/core/scorecard';

/** Words for scores and signals, shared by the scorecard and the progress screen. */

export function scoreText(score: RubricScore): string {
  return score === null ? 'Not enough evidence' : `${score} / 4`;
}

export function statusText(result: Pick<CriterionResult, 'status' | 'score' | 'claimedScore'>) {
  switch (result.status) {
    case 'scored':
      return `${result.score} / 4`;
    case 'withdrawn':
      return `Withdrawn (claimed ${result.claimedScore ?? '?'} without evidence)`;
    default:
      return 'Not enough evidence';
  }
}

/** CSS class for a score pill: weak scores stand out, "no evidence" is neutral. */
export function scoreClass(score: RubricScore): string {
  if (score === null) return 'score score-none';
  return `score score-${score}`;
}

const SIGNAL_TONE: Record<Signal, string> = {
  'strong no hire': 'bad',
  'no hire': 'bad',
  'lean no hire': 'weak',
  'lean hire': 'fair',
  hire: 'good',
  'strong hire': 'good',
  'not enough evidence': 'none',
};

export function signalClass(signal: Signal): string {
  return `signal signal-${SIGNAL_TONE[signal]}`;
}
