import { useEffect, useState } from 'react';
import type { ScorecardsView } from '../../src/api/scoringContract';
import type { Scorecard } from '../../src/core/scorecard';
import { useApp } from '../state/appStore';

/**
 * "Score with a model" / "Score again": which model, progress while it reads the
 * transcript, and on failure the reason and a way to try again — never a made-up score.
 */
export function ModelScoreActions({
  sessionId,
  view,
  hasScore,
  onScored,
}: {
  sessionId: string;
  view: ScorecardsView;
  hasScore: boolean;
  onScored: (card: Scorecard) => void;
}) {
  const { api, go } = useApp();
  const [model, setModel] = useState(view.scorer.model);
  const [busySince, setBusySince] = useState<number | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (busySince === null) return;
    const timer = setInterval(() => setElapsed(Math.round((Date.now() - busySince) / 1000)), 500);
    return () => clearInterval(timer);
  }, [busySince]);

  const score = () => {
    setError(null);
    setElapsed(0);
    setBusySince(Date.now());
    api
      .call('scorecards.score', {
        sessionId,
        kind: 'model',
        model: model.trim() || view.scorer.model,
      })
      .then(onScored)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusySince(null));
  };

  if (!view.scorer.available) {
    return (
      <div className="banner banner-info" role="note">
        {view.scorer.reason}{' '}
        {/needs a model/.test(view.scorer.reason ?? '') && (
          <button type="button" className="link" onClick={() => go({ name: 'settings' })}>
            Open Settings
          </button>
        )}
      </div>
    );
  }

  const busy = busySince !== null;
  return (
    <div className="score-actions">
      <label className="control-field">
        Model
        <input
          type="text"
          value={model}
          onChange={(e) => setModel(e.target.value)}
          aria-label="Model to score with"
          disabled={busy}
          spellCheck={false}
        />
      </label>
      <button type="button" onClick={score} disabled={busy}>
        {busy ? 'Scoring…' : hasScore ? 'Score again' : 'Score with model'}
      </button>
      {busy && (
        <span role="status" className="muted">
          {model} is reading the transcript and checking evidence… {elapsed} s
        </span>
      )}
      {error && (
        <div role="alert" className="banner banner-error">
          {error}{' '}
          <button type="button" className="link" onClick={score}>
            Score again
          </button>
        </div>
      )}
    </div>
  );
}
