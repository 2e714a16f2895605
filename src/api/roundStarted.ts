/**
 * What starting a round answers (a new round, a resumed one or an answer-again attempt).
 * Its own file because both the main contract and the replay contract name it.
 */
export interface ProviderStatus {
  stt: { kind: string; model?: string } | null;
  interviewer: { kind: string; model?: string };
  tts: { kind: string; model?: string };
}

export interface RoundStarted {
  sessionId: string;
  /** Time the round has left as it starts: the whole plan, or what a resumed round has left. */
  budgetMs: number;
  /** Whether the candidate's speech may stop the interviewer (Settings). */
  allowInterruptions: boolean;
  persona: { name: string; role: string };
  providers: ProviderStatus;
  transcriptAvailable: boolean;
}
