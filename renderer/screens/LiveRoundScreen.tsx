import { useEffect } from 'react';
import { CostBadge, CostView } from '../components/CostView';
import { SummaryView } from '../components/SummaryView';
import { RoundClock } from '../components/RoundClock';
import { RoundBanners, RoundControls, RoundConversation } from '../components/RoundControls';
import { useApp } from '../state/appStore';
import { useLiveRound } from '../state/liveRoundStore';
import { useRoundShortcuts } from './useRoundShortcuts';
import { WorkspacePanel } from '../workspace/WorkspacePanel';

export function LiveRoundScreen({
  roundId,
  loopRunId,
  resumeOf,
}: {
  roundId: string;
  loopRunId?: string | undefined;
  /** Continue this interrupted session where it stopped. */
  resumeOf?: string | undefined;
}) {
  const { api, go, rounds } = useApp();
  const round = useLiveRound();
  const info = rounds.find((r) => r.id === roundId);

  useEffect(() => {
    // Inside a full loop the backend links the session to the loop and shares its memory.
    const begin = loopRunId
      ? (client: typeof api) => client.call('round.start', { roundId, loopRunId })
      : resumeOf
        ? (client: typeof api) => client.call('round.start', { roundId, resumeOf })
        : undefined;
    void useLiveRound.getState().start(api, roundId, begin);
    return () => useLiveRound.getState().reset();
  }, [api, roundId, loopRunId, resumeOf]);
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
        {round.usage && <CostBadge usage={round.usage} />}
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
      <RoundBanners />

      {(running || round.status === 'ending') && (
        <>
          <RoundControls endLabel="End round" toolbarLabel="Round controls" />
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
          {round.usage && <CostView usage={round.usage} />}
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

      <WorkspacePanel />

      <RoundConversation
        headingId="live-transcript"
        interviewerName={persona?.name ?? 'Interviewer'}
      />
    </main>
  );
}
