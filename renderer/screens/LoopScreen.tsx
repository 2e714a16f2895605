import { useCallback, useEffect, useState } from 'react';
import type { LoopRunView } from '../../src/api/contract';
import { clock } from '../format';
import { useApp } from '../state/appStore';

const STATUS = {
  pending: 'Not started',
  recording: 'Recording',
  complete: 'Done',
  interrupted: 'Interrupted',
  missing: 'Session missing',
} as const;

/** A full loop: its rounds in order, the next one to run, and the debrief at the end. */
export function LoopScreen({ runId }: { runId: string }) {
  const { api, go } = useApp();
  const [run, setRun] = useState<LoopRunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [writing, setWriting] = useState(false);

  const load = useCallback(() => {
    api
      .call('loops.get', { id: runId })
      .then(setRun)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, runId]);
  useEffect(load, [load]);

  const writeDebrief = async () => {
    setWriting(true);
    setError(null);
    try {
      setRun(await api.call('loops.debrief', { id: runId }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setWriting(false);
    }
  };

  const next = run?.rounds.find((r) => r.packId === run.next);
  return (
    <main className="screen">
      <header className="topbar">
        <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
          Back to rounds
        </button>
        <h1>{run ? `${run.loopTitle}: full loop` : 'Full loop'}</h1>
      </header>
      {error && (
        <div role="alert" className="banner banner-error">
          {error}
        </div>
      )}
      {run && (
        <>
          <section className="panel" aria-labelledby="loop-rounds">
            <h2 id="loop-rounds">Rounds</h2>
            <ol className="loop-rounds">
              {run.rounds.map((r) => (
                <li key={r.packId} className={r.packId === run.next ? 'current' : ''}>
                  <span className="round-title">{r.title}</span>
                  <span className={`status status-${r.status}`}>{STATUS[r.status]}</span>
                  {r.sessionId && (
                    <>
                      <span className="muted">{clock(r.durationMs)}</span>
                      <button
                        type="button"
                        className="link"
                        onClick={() => go({ name: 'session', sessionId: r.sessionId! })}
                      >
                        Review
                      </button>
                    </>
                  )}
                </li>
              ))}
            </ol>
            {next ? (
              <div className="actions">
                <button
                  type="button"
                  className="primary"
                  onClick={() => go({ name: 'round', roundId: next.packId, loopRunId: run.id })}
                >
                  Start next round: {next.title}
                </button>
                <span className="hint">
                  Later interviewers hear what you said in earlier rounds, as in a real loop.
                </span>
              </div>
            ) : (
              <p className="muted">Every round is done.</p>
            )}
          </section>
          {!next && (
            <section className="panel" aria-labelledby="debrief-heading">
              <h2 id="debrief-heading">Debrief</h2>
              {run.debrief ? (
                <div className="debrief">
                  <p className="recommendation">
                    Recommendation: <strong>{run.debrief.recommendation}</strong>
                  </p>
                  <ul>
                    {run.debrief.reasons.map((reason, i) => (
                      <li key={i}>{reason}</li>
                    ))}
                  </ul>
                  <table className="sessions" aria-label="Signal per round">
                    <tbody>
                      {run.debrief.rounds.map((r) => (
                        <tr key={r.title}>
                          <th scope="row">{r.title}</th>
                          <td>{r.signal}</td>
                          <td>{r.why}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <p className="muted">Written by {run.debrief.model}.</p>
                </div>
              ) : (
                <p className="muted">
                  The debrief combines every round into one hire or no-hire recommendation with its
                  reasons. It needs a model; offline, the rounds and their notes are what was
                  measured.
                </p>
              )}
              <div className="actions">
                <button
                  type="button"
                  className="primary"
                  disabled={writing}
                  onClick={() => void writeDebrief()}
                >
                  {run.debrief ? 'Write the debrief again' : 'Write the debrief'}
                </button>
                {writing && (
                  <span role="status" className="hint">
                    Weighing the rounds…
                  </span>
                )}
              </div>
              {run.rounds.some((r) => r.notes.length > 0) && (
                <div>
                  <h3>Interviewers' notes</h3>
                  {run.rounds.map((r) => (
                    <p key={r.packId}>
                      <strong>{r.title}:</strong> {r.notes.join(' ') || 'none'}
                    </p>
                  ))}
                </div>
              )}
            </section>
          )}
        </>
      )}
    </main>
  );
}
