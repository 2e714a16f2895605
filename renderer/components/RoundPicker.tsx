import { useState } from 'react';
import { useApp } from '../state/appStore';

/** Rounds grouped by loop; pick one by its title, then start it. */
export function RoundPicker() {
  const { api, rounds, roundProblems, selectedRoundId, selectRound, go } = useApp();
  const [starting, setStarting] = useState(false);
  const [loopError, setLoopError] = useState<string | null>(null);
  const runLoop = async (loopTitle: string) => {
    const loopId = rounds.find((r) => r.loopTitle === loopTitle)?.loopId;
    if (!loopId) return;
    setStarting(true);
    try {
      const run = await api.call('loops.start', { loopId });
      go({ name: 'loop', runId: run.id });
    } catch (e) {
      setLoopError(e instanceof Error ? e.message : String(e));
    } finally {
      setStarting(false);
    }
  };
  const loops = [...new Set(rounds.map((r) => r.loopTitle))];
  const selected = rounds.find((r) => r.id === selectedRoundId);

  return (
    <section aria-labelledby="rounds-heading" className="panel">
      <h2 id="rounds-heading">Choose a round</h2>
      {loopError && (
        <div role="alert" className="banner banner-error">
          {loopError}
        </div>
      )}
      {roundProblems.length > 0 && (
        <div role="alert" className="banner banner-warning">
          {roundProblems.length} round pack(s) could not be loaded:
          <ul>
            {roundProblems.map((p) => (
              <li key={`${p.file}:${p.field}`}>
                <code>{p.file}</code> — <code>{p.field}</code>: {p.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {loops.map((loop) => (
        <div key={loop} className="loop">
          <div className="loop-header">
            <h3>{loop}</h3>
            <button
              type="button"
              className="secondary"
              aria-label={`Run the full ${loop} loop`}
              disabled={starting}
              onClick={() => void runLoop(loop)}
            >
              Run the full loop
            </button>
          </div>
          <div role="radiogroup" aria-label={loop} className="round-grid">
            {rounds
              .filter((r) => r.loopTitle === loop)
              .map((r) => (
                <button
                  type="button"
                  role="radio"
                  aria-checked={r.id === selectedRoundId}
                  key={r.id}
                  className={`round-card ${r.id === selectedRoundId ? 'selected' : ''}`}
                  onClick={() => selectRound(r.id)}
                  onDoubleClick={() => go({ name: 'round', roundId: r.id })}
                >
                  <span className="round-title">{r.title}</span>
                  <span className="round-meta">
                    {r.durationMinutes} min · {r.persona.name}, {r.persona.role}
                  </span>
                  <span className="round-summary">{r.summary}</span>
                  <span className="round-tests">Tests: {r.tests.join(' · ')}</span>
                </button>
              ))}
          </div>
        </div>
      ))}
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!selected}
          onClick={() => selected && go({ name: 'round', roundId: selected.id })}
        >
          Start round
        </button>
        <span className="hint">
          {selected ? `${selected.title} with ${selected.persona.name}` : 'Pick a round above.'}
        </span>
      </div>
    </section>
  );
}
