import type { DeliveryMetrics } from './scorecard';
import { computeRoundSummary, countFillerWords, wordCount } from './summary';
import type { Turn } from './transcript';

/**
 * How the candidate spoke, measured from the turns alone — no model involved, so it is
 * available offline and identical every time it is computed.
 */

/** An answer that takes this long to begin reads as hesitation in a real interview. */
export const LONG_RESPONSE_MS = 5_000;

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function deliveryMetrics(turns: readonly Turn[], durationMs: number): DeliveryMetrics {
  const summary = computeRoundSummary(turns, durationMs);
  const ordered = [...turns].sort((a, b) => a.startMs - b.startMs);
  const answers = ordered.filter((t) => t.speaker === 'candidate');
  const transcribed = answers.filter((t) => t.text !== null);

  const responseTimes: number[] = [];
  ordered.forEach((turn, i) => {
    const prev = ordered[i - 1];
    if (turn.speaker === 'candidate' && prev?.speaker === 'interviewer') {
      responseTimes.push(Math.max(0, turn.startMs - prev.endMs));
    }
  });

  const talk = summary.candidateTalkMs + summary.interviewerTalkMs;
  const candidateMinutes = summary.candidateTalkMs / 60_000;
  const fillerWords = transcribed.length
    ? (() => {
        const byWord: Record<string, number> = {};
        for (const t of transcribed) {
          for (const [w, n] of Object.entries(countFillerWords(t.text ?? ''))) {
            byWord[w] = (byWord[w] ?? 0) + n;
          }
        }
        const total = Object.values(byWord).reduce((a, b) => a + b, 0);
        const perMinute = candidateMinutes > 0 ? round1(total / candidateMinutes) : 0;
        return { total, perMinute, byWord };
      })()
    : null;

  const lengths = answers.map((t) => Math.max(0, t.endMs - t.startMs));
  return {
    durationMs,
    candidateTalkMs: summary.candidateTalkMs,
    interviewerTalkMs: summary.interviewerTalkMs,
    talkRatio: talk > 0 ? round2(summary.candidateTalkMs / talk) : null,
    wordsPerMinute: summary.wordsPerMinute,
    fillerWords,
    pauses: {
      longestMs: summary.longestPauseMs,
      medianResponseMs: median(responseTimes),
      longResponses: responseTimes.filter((ms) => ms >= LONG_RESPONSE_MS).length,
    },
    answers: {
      count: answers.length,
      medianMs: median(lengths),
      longestMs: lengths.length ? Math.max(...lengths) : null,
      medianWords: transcribed.length
        ? median(transcribed.map((t) => wordCount(t.text ?? '')))
        : null,
    },
    interruptions: ordered.filter((t) => t.speaker === 'interviewer' && t.interrupted).length,
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
