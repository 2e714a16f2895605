import type { RubricCriterion } from '../../src/core/roundPack';
import type {
  CriterionResult,
  ModelScorecard,
  OfflineScorecard,
  SelfScorecard,
} from '../../src/core/scorecard';
import { clock } from '../format';
import { playReplayFrom } from '../replay/replayStore';
import { scoreClass, scoreText, statusText } from './scoreLabels';

/** Evidence plays from a moment before the quote, so the listener hears it arrive. */
const LEAD_IN_MS = 1500;

/** Each rubric criterion with the model's, the candidate's and the offline view side by side. */
export function CriteriaTable({
  rubric,
  model,
  self,
  offline,
}: {
  rubric: readonly RubricCriterion[];
  model: ModelScorecard | undefined;
  self: SelfScorecard | undefined;
  offline: OfflineScorecard | undefined;
}) {
  return (
    <table className="criteria">
      <caption className="sr-only">Rubric scores side by side</caption>
      <thead>
        <tr>
          <th scope="col">Criterion</th>
          <th scope="col">Model{model ? ` (v${model.version})` : ''}</th>
          <th scope="col">You{self ? ` (v${self.version})` : ''}</th>
          <th scope="col">Concepts heard</th>
        </tr>
      </thead>
      <tbody>
        {rubric.map((criterion) => {
          const byModel = model?.criteria.find((c) => c.criterionId === criterion.id);
          const bySelf = self?.criteria.find((c) => c.criterionId === criterion.id);
          const coverage = offline?.coverage?.criteria.find((c) => c.criterionId === criterion.id);
          return (
            <tr key={criterion.id}>
              <th scope="row">{criterion.name}</th>
              <td>{byModel ? <ModelCell result={byModel} /> : <span className="muted">—</span>}</td>
              <td>
                {bySelf ? (
                  <>
                    <span className={scoreClass(bySelf.score)}>{scoreText(bySelf.score)}</span>
                    {bySelf.note && <p className="rationale">{bySelf.note}</p>}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                {coverage ? (
                  <span
                    title={[
                      coverage.covered.length ? `Heard: ${coverage.covered.join('; ')}` : '',
                      coverage.missing.length ? `Not heard: ${coverage.missing.join('; ')}` : '',
                    ]
                      .filter(Boolean)
                      .join('\n')}
                  >
                    {coverage.covered.length} of {coverage.covered.length + coverage.missing.length}
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ModelCell({ result }: { result: CriterionResult }) {
  return (
    <>
      <span className={scoreClass(result.score)}>{statusText(result)}</span>
      {result.rationale && <p className="rationale">{result.rationale}</p>}
      {result.evidence.length > 0 && (
        <ul className="evidence">
          {result.evidence.map((e, i) => (
            <li key={i}>
              <button
                type="button"
                className="link"
                onClick={() => playReplayFrom(Math.max(0, e.atMs - LEAD_IN_MS))}
                aria-label={`Play from ${clock(e.atMs)}: ${e.source === 'code' ? 'code written' : e.quote}`}
              >
                {clock(e.atMs)}
              </button>{' '}
              {e.source === 'code' ? (
                <>
                  <span className="muted">in the code:</span> <code>{e.quote}</code>
                </>
              ) : (
                <q>{e.quote}</q>
              )}
            </li>
          ))}
        </ul>
      )}
      {result.droppedQuotes.length > 0 && (
        <details className="dropped">
          <summary>
            {result.droppedQuotes.length} quote{result.droppedQuotes.length === 1 ? '' : 's'}{' '}
            dropped
          </summary>
          <ul>
            {result.droppedQuotes.map((d, i) => (
              <li key={i}>
                <q>{d.quote}</q> — {d.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
