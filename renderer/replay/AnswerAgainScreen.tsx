import { useEffect, useState } from 'react';
import { RoundBanners, RoundControls, RoundConversation } from '../components/RoundControls';
import { RoundClock } from '../components/RoundClock';
import { useRoundShortcuts } from '../screens/useRoundShortcuts';
import { useApp } from '../state/appStore';
import { useLiveRound } from '../state/liveRoundStore';
import './replay.css';

/**
 * A short live attempt at one question of a past round: the interviewer asks it, the
 * candidate answers, at most one follow-up, and the attempt ends by itself. Runs on the
 * live round's machinery (audio, speech detection, turn-taking); only the start differs.
 */
export function AnswerAgainScreen({
  sessionId,
  questionId,
  topic,
}: {
  sessionId: string;
  questionId: string;
  topic?: string;
}) {
  const { api, go } = useApp();
  const round = useLiveRound();
  const [attempt, setAttempt] = useState<number | null>(null);

  useEffect(() => {
    void useLiveRound.getState().start(api, `answer-again:${questionId}`, async (client) => {
      const started = await client.call('attempts.start', { sessionId, questionId });
      setAttempt(started.attempt);
      return started;
    });
    return () => useLiveRound.getState().reset();
  }, [api, sessionId, questionId]);
  useRoundShortcuts();

  const running = round.status === 'running';
  const persona = round.started?.persona;
  const back = () => go({ name: 'session', sessionId });

  return (
    <main className="screen live answer-again">
      <header className="topbar">
        <div>
          <h1>Answer again{topic ? `: ${topic}` : ''}</h1>
          <p className="muted">
            {persona ? `${persona.name}, ${persona.role}` : ''}
            {attempt !== null ? ` · attempt ${attempt}` : ''}
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
          <button type="button" className="link" onClick={back}>
            Back to the replay
          </button>
        </div>
      )}
      {running && (
        <p className="banner banner-info" role="note">
          The interviewer asks the question again, listens, may ask one follow-up, and then the
          attempt ends. It is saved beside your first answer.
        </p>
      )}
      <RoundBanners />

      {(running || round.status === 'ending') && (
        <>
          <RoundControls endLabel="End attempt" toolbarLabel="Attempt controls" />
        </>
      )}

      {round.status === 'ended' && (
        <>
          <p className="banner banner-info" role="status">
            Attempt saved beside your first answer.
          </p>
          <div className="actions">
            {attempt !== null && (
              <button
                type="button"
                className="primary"
                onClick={() => go({ name: 'compare', sessionId, attempt })}
              >
                Compare with the first answer
              </button>
            )}
            <button type="button" className="secondary" onClick={back}>
              Back to the replay
            </button>
          </div>
        </>
      )}

      <RoundConversation
        headingId="attempt-transcript"
        interviewerName={persona?.name ?? 'Interviewer'}
      />
    </main>
  );
}
