import type { Turn } from './transcript';

/** End-of-round figures. Words-based figures exist only when a transcript exists. */
export interface RoundSummary {
  durationMs: number;
  candidateTalkMs: number;
  interviewerTalkMs: number;
  candidateTurns: number;
  interviewerTurns: number;
  /** Longest silence between two consecutive turns (either speaker). */
  longestPauseMs: number;
  transcriptAvailable: boolean;
  wordsPerMinute: number | null;
  fillerWords: { total: number; byWord: Record<string, number> } | null;
}

// Multi-word fillers first so "you know" is not also counted as nothing.
const FILLERS = [
  'you know',
  'i mean',
  'sort of',
  'kind of',
  'um',
  'uh',
  'erm',
  'er',
  'like',
  'basically',
  'actually',
  'literally',
];

export function countFillerWords(text: string): Record<string, number> {
  let rest = ` ${text.toLowerCase().replace(/[^a-z' ]+/g, ' ')} `;
  const counts: Record<string, number> = {};
  for (const filler of FILLERS) {
    // Not global: replace one at a time, as adjacent repeats ("um um") share a space.
    const pattern = new RegExp(` ${filler} `);
    let n = 0;
    while (pattern.test(rest)) {
      rest = rest.replace(pattern, ' ');
      n++;
    }
    if (n > 0) counts[filler] = n;
  }
  return counts;
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export function computeRoundSummary(turns: readonly Turn[], durationMs: number): RoundSummary {
  const candidate = turns.filter((t) => t.speaker === 'candidate');
  const interviewer = turns.filter((t) => t.speaker === 'interviewer');
  const talk = (list: readonly Turn[]) =>
    list.reduce((sum, t) => sum + Math.max(0, t.endMs - t.startMs), 0);

  const ordered = [...turns].sort((a, b) => a.startMs - b.startMs);
  let longestPauseMs = 0;
  for (let i = 1; i < ordered.length; i++) {
    const prev = ordered[i - 1];
    const next = ordered[i];
    if (prev && next) longestPauseMs = Math.max(longestPauseMs, next.startMs - prev.endMs);
  }

  const transcribed = candidate.filter((t) => t.text !== null);
  const transcriptAvailable = transcribed.length > 0;
  let wordsPerMinute: number | null = null;
  let fillerWords: RoundSummary['fillerWords'] = null;
  if (transcriptAvailable) {
    const words = transcribed.reduce((sum, t) => sum + wordCount(t.text ?? ''), 0);
    const minutes = talk(transcribed) / 60_000;
    wordsPerMinute = minutes > 0 ? Math.round(words / minutes) : null;
    const byWord: Record<string, number> = {};
    for (const t of transcribed) {
      for (const [w, n] of Object.entries(countFillerWords(t.text ?? ''))) {
        byWord[w] = (byWord[w] ?? 0) + n;
      }
    }
    fillerWords = { total: Object.values(byWord).reduce((a, b) => a + b, 0), byWord };
  }

  return {
    durationMs,
    candidateTalkMs: talk(candidate),
    interviewerTalkMs: talk(interviewer),
    candidateTurns: candidate.length,
    interviewerTurns: interviewer.length,
    longestPauseMs,
    transcriptAvailable,
    wordsPerMinute,
    fillerWords,
  };
}
