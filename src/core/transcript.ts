import type { Millis } from './units';

export type Speaker = 'candidate' | 'interviewer';

/** One committed turn. Times are ms from round start on the recording's sample clock. */
export interface Turn {
  id: string;
  speaker: Speaker;
  startMs: Millis;
  endMs: Millis;
  /** null when no transcript exists (offline, or transcription failed). Never invented. */
  text: string | null;
  /** The interviewer was cut off by the candidate; `text` holds only what was played. */
  interrupted?: boolean;
  /** Question of the round pack this turn asks or answers, when known. */
  questionId?: string;
}

export function hasTranscript(turns: readonly Turn[]): boolean {
  return turns.some((t) => t.speaker === 'candidate' && t.text !== null);
}
