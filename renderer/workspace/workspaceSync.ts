import type { ApiClient } from '../../src/api/client';
import type { ApiRequest } from '../../src/api/contract';
import { roundClockMs } from '../state/liveRoundStore';

type Update = Omit<ApiRequest<'round.workspace'>, 'sessionId' | 'atMs'>;

/** Under browser mode's 512 KB WebSocket frame limit (src/server/webServer.ts), with room. */
const MAX_UPDATE_BYTES = 400_000;

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
  /** A reason the interviewer may not see the latest work; null once an update got through. */
  onError: (message: string | null) => void,
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
    api.call('round.workspace', { sessionId, atMs, ...update }).then(
      () => onError(null),
      (error: unknown) => onError(error instanceof Error ? error.message : String(error)),
    );
  };

  return {
    /** The workspace changed; `now` sends at once (a run's result, a language switch). */
    push(update: Update, now = false): void {
      const atMs = roundClockMs();
      // No round clock: the round has ended and its audio is closed; nothing to record.
      if (atMs === null || stopped) return;
      // One message carries the whole pad or board; the transport caps messages, so a huge
      // one is held back with a reason instead of breaking the connection to the round.
      if (new TextEncoder().encode(JSON.stringify(update)).length > MAX_UPDATE_BYTES) {
        onError('it is too large to send (trim the code or split the board).');
        return;
      }
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
