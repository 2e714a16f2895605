import { useState } from 'react';
import type { RubricCriterion } from '../../src/core/roundPack';
import type { RubricScore, Scorecard, SelfScorecard } from '../../src/core/scorecard';
import { useApp } from '../state/appStore';

/**
 * The candidate scores each criterion with its descriptors in front of them, while the
 * replay stays above to listen back. Saving adds a self-review version.
 */
export function SelfReviewForm({
  sessionId,
  rubric,
  previous,
  onSaved,
}: {
  sessionId: string;
  rubric: readonly RubricCriterion[];
  previous: SelfScorecard | undefined;
  onSaved: (card: Scorecard) => void;
}) {
  const { api } = useApp();
  const [scores, setScores] = useState<Record<string, RubricScore | undefined>>(() =>
    Object.fromEntries(previous?.criteria.map((c) => [c.criterionId, c.score]) ?? []),
  );
  const [notes, setNotes] = useState<Record<string, string>>(() =>
    Object.fromEntries(previous?.criteria.map((c) => [c.criterionId, c.note]) ?? []),
  );
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const unanswered = rubric.filter((c) => scores[c.id] === undefined).length;

  const save = () => {
    setSaving(true);
    setError(null);
    api
      .call('scorecards.saveSelf', {
        sessionId,
        criteria: rubric.map((c) => ({
          criterionId: c.id,
          score: scores[c.id] ?? null,
          note: notes[c.id] ?? '',
        })),
      })
      .then(onSaved)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setSaving(false));
  };

  return (
    <form
      className="self-review"
      aria-label="Self-review"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <p className="muted">
        Listen back above, then pick the descriptor that fits what you actually said. Leave “Not
        enough evidence” where you never got to it.
      </p>
      {rubric.map((criterion) => (
        <fieldset key={criterion.id}>
          <legend>{criterion.name}</legend>
          {([1, 2, 3, 4] as const).map((n) => (
            <label key={n} className="descriptor">
              <input
                type="radio"
                name={`self-${criterion.id}`}
                checked={scores[criterion.id] === n}
                onChange={() => setScores((s) => ({ ...s, [criterion.id]: n }))}
              />
              <span className="descriptor-score">{n}</span>
              <span>{criterion.descriptors[n]}</span>
            </label>
          ))}
          <label className="descriptor">
            <input
              type="radio"
              name={`self-${criterion.id}`}
              checked={scores[criterion.id] === null}
              onChange={() => setScores((s) => ({ ...s, [criterion.id]: null }))}
            />
            <span className="descriptor-score">–</span>
            <span>Not enough evidence</span>
          </label>
          <label className="field">
            <span>Note (optional)</span>
            <input
              type="text"
              maxLength={2000}
              value={notes[criterion.id] ?? ''}
              onChange={(e) => setNotes((s) => ({ ...s, [criterion.id]: e.target.value }))}
            />
          </label>
        </fieldset>
      ))}
      {error && (
        <div role="alert" className="banner banner-error">
          Your self-review was not saved: {error}
        </div>
      )}
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save self-review'}
        </button>
        {unanswered > 0 && (
          <span className="muted">
            {unanswered} criterion{unanswered === 1 ? '' : 'a'} left as “not enough evidence”
          </span>
        )}
      </div>
    </form>
  );
}
