import { abortableSleep } from '../abortableSleep';
import { ProviderError, type Stage } from '../types';

/**
 * Backoff with full jitter that never waits less than the server's retry-after. Time and
 * randomness are handed in so tests run without sleeping.
 */
export interface RetryPolicy {
  /** Tries after the first. */
  retries: number;
  baseMs: number;
  maxMs: number;
  random(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function retryDelayMs(attempt: number, error: unknown, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  const jittered = ceiling * (0.5 + policy.random() / 2);
  const asked = error instanceof ProviderError ? (error.retryAfterMs ?? 0) : 0;
  return Math.round(Math.max(jittered, Math.min(asked, 60_000)));
}

export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable;
}

/** What a stage is going through, for the screen ("Reconnecting to the interviewer…"). */
export interface StageStatus {
  stage: Stage;
  state: 'reconnecting' | 'recovered' | 'fallback';
  attempt?: number;
  retryInMs?: number;
  message: string;
}

export type StatusListener = (status: StageStatus) => void;

export const defaultRetryPolicy: RetryPolicy = {
  retries: 3,
  baseMs: 500,
  maxMs: 8000,
  random: Math.random,
  sleep: abortableSleep,
};

const NOUN: Record<Stage, string> = {
  stt: 'transcription',
  interviewer: 'the interviewer',
  tts: 'speech',
};

/**
 * Runs `op`, retrying retryable failures per the policy and reporting each wait. The
 * last failure is rethrown for the caller to fall back or give up.
 */
export async function withRetries<T>(
  stage: Stage,
  op: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  onStatus: StatusListener,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await op(attempt);
      if (attempt > 1)
        onStatus({ stage, state: 'recovered', message: `Reconnected to ${NOUN[stage]}.` });
      return result;
    } catch (error) {
      if (signal?.aborted || !isRetryable(error) || attempt > policy.retries) throw error;
      const retryInMs = retryDelayMs(attempt, error, policy);
      onStatus({
        stage,
        state: 'reconnecting',
        attempt,
        retryInMs,
        message: `Reconnecting to ${NOUN[stage]} (try ${attempt + 1} of ${policy.retries + 1})…`,
      });
      await policy.sleep(retryInMs, signal);
    }
  }
}
