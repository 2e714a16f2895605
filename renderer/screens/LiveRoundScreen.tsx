import { useEffect } from 'react';
import { SummaryView } from '../components/SummaryView';
import { TranscriptView } from '../components/TranscriptView';
import { RoundClock } from '../components/RoundClock';
import { FloorIndicator } from '../components/FloorIndicator';
import { useApp } from '../state/appStore';
import { useLiveRound } from '../state/liveRoundStore';
import { useRoundShortcuts } from './useRoundShortcuts';

export function LiveRoundScreen({ roundId, loopRunId }: { roundId: string; loopRunId?: string }) {
  const { api, go, rounds } = useApp();
  const round = useLiveRound();
  const info = rounds.find((r) => r.id === roundId);

  useEffect(() => {
    // Inside a full loop the backend links the session to the loop and shares its memory.
    const begin = loopRunId
      ? (client: typeof api) => client.call('round.start', { roundId, loopRunId })
      : undefined;
    void useLiveRound.getState().start(api, roundId, begin);
    return () => useLiveRound.getState().reset();
  }, [api, roundId, loopRunId]);
  useRoundShortcuts();

  const persona = round.started?.persona ?? info?.persona;
  const running = round.status === 'running';

  return (
    <main className="screen live">
      <header className="topbar">
        <div>
          <h1>{info?.title ?? 'Round'}</h1>
          <p className="muted">
            {info?.loopTitle} · {persona ? `${persona.name}, ${persona.role}` : ''}
          </p>
        </div>
        {round.deadline !== null && running && <RoundClock deadline={round.deadline} />}
      </header>

      {round.status === 'preparing' && (
        <p className="banner banner-info" aria-live="polite">
          Getting the microphone and speech detector ready…
        </p>
      )}
      {round.status === 'failed' && (
        <div role="alert" className="banner banner-error">
          {round.error}{' '}
          <button type="button" className="link" onClick={() => go({ name: 'home' })}>
            Back to rounds
          </button>
        </div>
      )}
      {round.started && !round.started.transcriptAvailable && running && (
        <p className="banner banner-info" role="note">
          Offline round: no transcript is made. Your answers are recorded and timed.
        </p>
      )}
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

      {(running || round.status === 'ending') && (
        <>
          <FloorIndicator
            floor={round.floor}
            phase={round.phase}
            holding={round.holding}
            level={round.level}
          />
          <div className="controls" role="toolbar" aria-label="Round controls">
            <button
              type="button"
              className="primary"
              onClick={round.done}
              aria-keyshortcuts="Enter"
            >
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
              End round
            </button>
          </div>
          <p className="hint">
            Enter: I'm done · hold Space: keep the floor while you think · Headphones keep the
            interviewer's voice out of your microphone.
          </p>
        </>
      )}

      {round.status === 'ended' && round.summary && (
        <>
          <p className="banner banner-info" role="status">
            Round ended. The session is saved.
          </p>
          <SummaryView summary={round.summary} />
          <div className="actions">
            {loopRunId ? (
              <button
                type="button"
                className="primary"
                onClick={() => go({ name: 'loop', runId: loopRunId })}
              >
                Back to the loop
              </button>
            ) : (
              <button type="button" className="primary" onClick={() => go({ name: 'home' })}>
                Back to rounds
              </button>
            )}
            {round.sessionId && (
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  round.sessionId && go({ name: 'session', sessionId: round.sessionId })
                }
              >
                Review session
              </button>
            )}
          </div>
        </>
      )}

      <section className="panel" aria-labelledby="live-transcript">
        <h2 id="live-transcript">Conversation</h2>
        <TranscriptView
          turns={round.turns}
          interviewerName={persona?.name ?? 'Interviewer'}
          live={round.liveTranscript}
        />
      </section>
    </main>
  );
}
