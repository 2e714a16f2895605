import { useCallback, useEffect, useState } from 'react';
import type { ScorecardsView } from '../../src/api/scoringContract';
import {
  latestOfKind,
  type ModelScorecard,
  type OfflineScorecard,
  type Scorecard,
  type ScorecardKind,
  type SelfScorecard,
} from '../../src/core/scorecard';
import { dateTime } from '../format';
import { useApp } from '../state/appStore';
import { CriteriaTable } from './CriteriaTable';
import { DeliveryFigures } from './DeliveryFigures';
import { ModelFeedback } from './ModelFeedback';
import { ModelScoreActions } from './ModelScoreActions';
import { SelfReviewForm } from './SelfReviewForm';
import { signalClass } from './scoreLabels';
import './scorecard.css';

type Selected = Partial<Record<ScorecardKind, number>>;

/**
 * The session's scorecards: model, offline and self scores side by side, each at the
 * version the user picks (newest by default), with the actions that add a version.
 */
export function ScorecardPanel({ sessionId }: { sessionId: string }) {
  const { api } = useApp();
  const [view, setView] = useState<ScorecardsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Selected>({});
  const [reviewing, setReviewing] = useState(false);

  const load = useCallback(
    () =>
      api
        .call('scorecards.list', { sessionId })
        .then((v) => {
          setView(v);
          setError(null);
        })
        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e))),
    [api, sessionId],
  );
  useEffect(() => void load(), [load]);

  const added = (card: Scorecard) => {
    // Shown at once; the reload that follows brings anything else that changed.
    setView((v) => (v ? { ...v, scorecards: [...v.scorecards, card] } : v));
    setSelected((s) => ({ ...s, [card.kind]: card.version }));
    void load();
  };

  if (error) {
    return (
      <section className="panel" aria-labelledby="scorecard-heading">
        <h2 id="scorecard-heading">Scorecard</h2>
        <div role="alert" className="banner banner-error">
          Could not load the scorecards: {error}{' '}
          <button type="button" className="link" onClick={() => void load()}>
            Try again
          </button>
        </div>
      </section>
    );
  }
  if (!view) {
    return (
      <section className="panel" aria-labelledby="scorecard-heading" aria-busy="true">
        <h2 id="scorecard-heading">Scorecard</h2>
        <p className="muted">Loading scorecards…</p>
      </section>
    );
  }

  const pick = <K extends ScorecardKind>(kind: K) => {
    const version = selected[kind];
    const card =
      version === undefined
        ? latestOfKind(view.scorecards, kind)
        : view.scorecards.find((c) => c.kind === kind && c.version === version);
    return card as Extract<Scorecard, { kind: K }> | undefined;
  };
  const model = pick('model') as ModelScorecard | undefined;
  const self = pick('self') as SelfScorecard | undefined;
  const offline = pick('offline') as OfflineScorecard | undefined;

  return (
    <section className="panel scorecard" aria-labelledby="scorecard-heading">
      <div className="scorecard-head">
        <h2 id="scorecard-heading">Scorecard</h2>
        <VersionPicker view={view} kind="model" selected={model} onPick={setSelected} />
        <VersionPicker view={view} kind="self" selected={self} onPick={setSelected} />
      </div>
      {view.problems.length > 0 && (
        <div role="alert" className="banner banner-warning">
          {view.problems.join(' ')}
        </div>
      )}
      <ModelScoreActions sessionId={sessionId} view={view} hasScore={!!model} onScored={added} />
      {model && (
        <div className="overall">
          <span className={signalClass(model.overall.signal)}>{model.overall.signal}</span>
          <span className="muted">
            scored by {model.model} · {dateTime(model.createdAt)}
            {model.repaired ? ' · first answer was repaired' : ''}
          </span>
          <ul>
            {model.overall.reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {view.rubric && (
        <CriteriaTable rubric={view.rubric} model={model} self={self} offline={offline} />
      )}
      {view.rubric && (
        <div className="actions">
          <button
            type="button"
            className="secondary"
            aria-expanded={reviewing}
            onClick={() => setReviewing((r) => !r)}
          >
            {reviewing ? 'Close self-review' : self ? 'Review yourself again' : 'Review yourself'}
          </button>
        </div>
      )}
      {reviewing && view.rubric && (
        <SelfReviewForm
          sessionId={sessionId}
          rubric={view.rubric}
          previous={self}
          onSaved={(card) => {
            setReviewing(false);
            added(card);
          }}
        />
      )}
      {model && <ModelFeedback card={model} />}
      {offline && <DeliveryFigures card={offline} />}
    </section>
  );
}

function VersionPicker({
  view,
  kind,
  selected,
  onPick,
}: {
  view: ScorecardsView;
  kind: 'model' | 'self';
  selected: Scorecard | undefined;
  onPick: (update: (s: Selected) => Selected) => void;
}) {
  const versions = view.scorecards.filter((c) => c.kind === kind);
  if (versions.length < 2) return null;
  const label = kind === 'model' ? 'Model scorecard' : 'Self-review';
  return (
    <label className="control-field">
      {label}
      <select
        value={selected?.version ?? ''}
        onChange={(e) => onPick((s) => ({ ...s, [kind]: Number(e.target.value) }))}
      >
        {versions.map((c) => (
          <option key={c.version} value={c.version}>
            v{c.version} · {c.kind === 'model' ? c.model : 'you'} · {dateTime(c.createdAt)}
          </option>
        ))}
      </select>
    </label>
  );
}
