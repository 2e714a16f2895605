import type { ApiClient } from '../../src/api/client';
import type { ApiRequest } from '../../src/api/contract';
import { roundClockMs } from '../state/liveRoundStore';

type Update = Omit<ApiRequest<'round.workspace'>, 'sessionId' | 'atMs'>;

/**
 * Sends the pad or board to the backend at most once per `gapMs` while the candidate
 * works: each update is the whole workspace, so dropping intermediate ones loses nothing.
 * Times are on the round's recording clock, the one turns are timed on, so the replay
 * shows the code as it was at the playhead. Stamped when the change happened, not when
 * it is sent.
 */
export function workspaceSender(
  api: ApiClient,
  sessionId: string,
  gapMs: number,
  onError: (message: string) => void,
) {
  let queued: { update: Update; atMs: number } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastSent = 0;
  let stopped = false;

  const send = () => {
    timer = null;
    if (!queued || stopped) return;
    const { update, atMs } = queued;
    queued = null;
    lastSent = performance.now();
    api.call('round.workspace', { sessionId, atMs, ...update }).catch((error: unknown) => {
      onError(error instanceof Error ? error.message : String(error));
    });
  };

  return {
    /** The workspace changed; `now` sends at once (a run's result, a language switch). */
    push(update: Update, now = false): void {
      const atMs = roundClockMs();
      // No round clock: the round has ended and its audio is closed; nothing to record.
      if (atMs === null || stopped) return;
      queued = { update, atMs: Math.max(0, atMs) };
      if (now) {
        if (timer) clearTimeout(timer);
        send();
        return;
      }
      const wait = Math.max(0, lastSent + gapMs - performance.now());
      timer ??= setTimeout(send, wait);
    },
    /** Sends what is queued now (the round is ending). */
    flush(): void {
      if (timer) clearTimeout(timer);
      send();
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
