import { useLiveRound } from '../state/liveRoundStore';
import { FloorIndicator } from './FloorIndicator';
import { TranscriptView } from './TranscriptView';

/** Provider retries and notices of the live round, as banners. */
export function RoundBanners() {
  const round = useLiveRound();
  return (
    <>
      {Object.entries(round.reconnecting).map(([stage, message]) => (
        <p key={stage} role="status" aria-live="polite" className="banner banner-warning">
          {message}
        </p>
      ))}
      {round.notices.map((n) => (
        <div key={n.id} role="alert" className={`banner banner-${n.level}`}>
          {n.message}{' '}
          <button type="button" className="link" onClick={() => round.dismissNotice(n.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </>
  );
}

/** Who has the floor, and the controls a candidate uses while speaking. */
export function RoundControls({
  endLabel,
  toolbarLabel,
}: {
  endLabel: string;
  toolbarLabel: string;
}) {
  const round = useLiveRound();
  return (
    <>
      <FloorIndicator
        floor={round.floor}
        phase={round.phase}
        holding={round.holding}
        level={round.level}
      />
      <div className="controls" role="toolbar" aria-label={toolbarLabel}>
        <button type="button" className="primary" onClick={round.done} aria-keyshortcuts="Enter">
          I'm done
        </button>
        <button
          type="button"
          className={round.holding ? 'secondary active' : 'secondary'}
          aria-pressed={round.holding}
          aria-keyshortcuts="Space"
          onPointerDown={() => round.hold(true)}
          onPointerUp={() => round.hold(false)}
          onPointerLeave={() => round.holding && round.hold(false)}
        >
          Hold to think
        </button>
        <button
          type="button"
          className="danger"
          disabled={round.status === 'ending'}
          onClick={() => void round.end()}
        >
          {endLabel}
        </button>
      </div>
    </>
  );
}

/** The live conversation so far, with the candidate's words as they are transcribed. */
export function RoundConversation({
  headingId,
  interviewerName,
}: {
  headingId: string;
  interviewerName: string;
}) {
  const round = useLiveRound();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Conversation</h2>
      <TranscriptView
        turns={round.turns}
        interviewerName={interviewerName}
        live={round.liveTranscript}
      />
    </section>
  );
}
