import type { SessionRecord } from '../../src/core/session';
import { clock } from '../format';
import { useApp } from '../state/appStore';

/**
 * Links a round cut short to its continuation: an interrupted session offers **Resume
 * round** (or points to where it was resumed), a continuation points back.
 */
export function ResumeBanner({ session }: { session: SessionRecord }) {
  const { go } = useApp();
  if (session.resumeOf) {
    const from = session.resumeOf.sessionId;
    return (
      <div className="banner banner-info" role="note">
        This session continues a round that was interrupted at {clock(session.resumeOf.atMs)}.{' '}
        <button
          type="button"
          className="link"
          onClick={() => go({ name: 'session', sessionId: from })}
        >
          Open the first part
        </button>
      </div>
    );
  }
  if (session.status !== 'interrupted' || session.attemptOf) return null;
  if (session.resumedIn) {
    const next = session.resumedIn;
    return (
      <div className="banner banner-info" role="note">
        This round was interrupted and resumed later.{' '}
        <button
          type="button"
          className="link"
          onClick={() => go({ name: 'session', sessionId: next })}
        >
          Open the continuation
        </button>
      </div>
    );
  }
  return (
    <div className="banner banner-warning" role="note">
      This round was interrupted at {clock(session.durationMs)}. What was recorded is kept and can
      be scored below.{' '}
      <button
        type="button"
        onClick={() => go({ name: 'round', roundId: session.round.packId, resumeOf: session.id })}
      >
        Resume round
      </button>
    </div>
  );
}
