import { useEffect, useState } from 'react';
import type { ProgressView } from '../../src/core/progress';
import { TrendPlot } from '../scorecard/TrendPlot';
import '../scorecard/scorecard.css';
import { useApp } from '../state/appStore';

/** Scores over time per round type, the weakest criteria, and what to practise next. */
export function ProgressScreen() {
  const { api, go } = useApp();
  const [view, setView] = useState<ProgressView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('progress.get', {})
      .then(setView)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api]);

  const scoredRounds = view?.rounds.filter((r) => r.criteria.some((c) => c.points.length > 0));
  return (
    <main className="screen">
      <header className="topbar">
        <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
          Back to rounds
        </button>
        <h1>Progress</h1>
      </header>
      {error && (
        <div role="alert" className="banner banner-error">
          Could not load your progress: {error}
        </div>
      )}
      {!view && !error && <p aria-live="polite">Loading your sessions…</p>}
      {view && (
        <>
          <section className="panel" aria-labelledby="next-heading">
            <h2 id="next-heading">Practise next</h2>
            {view.suggestion ? (
              <p>
                <strong>{view.suggestion.title}</strong> — {view.suggestion.reason}{' '}
                <button
                  type="button"
                  onClick={() => go({ name: 'round', roundId: view.suggestion!.packId })}
                >
                  Start {view.suggestion.title}
                </button>
              </p>
            ) : (
              <p className="muted">No rounds are installed.</p>
            )}
            {view.weakest.length > 0 && (
              <>
                <h3>Weakest criteria</h3>
                <ol className="weakest">
                  {view.weakest.map((w) => (
                    <li key={`${w.packId}/${w.criterionId}`}>
                      {w.name} <span className="muted">({w.roundTitle})</span> — average {w.average}{' '}
                      of 4 over {w.count} session{w.count === 1 ? '' : 's'}, latest {w.latest}
                    </li>
                  ))}
                </ol>
              </>
            )}
          </section>
          {scoredRounds && scoredRounds.length === 0 ? (
            <section className="panel">
              <p className="muted">
                No scores yet. Score a session with a model, or review yourself on its replay, and
                your trend appears here.
              </p>
            </section>
          ) : (
            scoredRounds?.map((round) => (
              <section
                key={round.packId}
                className="panel progress-round"
                aria-labelledby={`progress-${round.packId}`}
              >
                <h2 id={`progress-${round.packId}`}>
                  {round.title}{' '}
                  <span className="muted">
                    · {round.loopTitle} · {round.sessions} session{round.sessions === 1 ? '' : 's'}
                  </span>
                </h2>
                <TrendPlot round={round} />
                <p className="hint">Filled dots: model scores. Hollow dots: your self-review.</p>
              </section>
            ))
          )}
        </>
      )}
    </main>
  );
}
