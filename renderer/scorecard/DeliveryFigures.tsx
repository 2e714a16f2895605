import { ConceptLabel } from '../components/ConceptLabel';
import { StoryParts } from '../components/StoryParts';
import type { OfflineScorecard } from '../../src/core/scorecard';
import { seconds } from '../format';

/** How the candidate spoke, measured without a model (the offline scorecard). */
export function DeliveryFigures({ card }: { card: OfflineScorecard }) {
  const d = card.delivery;
  const fillers = d.fillerWords
    ? Object.entries(d.fillerWords.byWord)
        .sort((a, b) => b[1] - a[1])
        .map(([w, n]) => `${w} ×${n}`)
        .join(', ')
    : '';
  return (
    <div className="delivery">
      <h3>Delivery (measured offline)</h3>
      <dl className="figures">
        <div>
          <dt>Talk share</dt>
          <dd>{d.talkRatio === null ? '—' : `${Math.round(d.talkRatio * 100)}% you`}</dd>
        </div>
        <div>
          <dt>Pace</dt>
          <dd>{d.wordsPerMinute === null ? 'no transcript' : `${d.wordsPerMinute} words/min`}</dd>
        </div>
        <div>
          <dt>Filler words</dt>
          <dd>
            {d.fillerWords === null
              ? 'no transcript'
              : `${d.fillerWords.total} (${d.fillerWords.perMinute}/min)`}
          </dd>
        </div>
        <div>
          <dt>Time to start answering</dt>
          <dd>
            {d.pauses.medianResponseMs === null
              ? '—'
              : `${seconds(d.pauses.medianResponseMs)} median`}
            {d.pauses.longResponses > 0 ? ` · ${d.pauses.longResponses} slow start(s)` : ''}
          </dd>
        </div>
        <div>
          <dt>Answers</dt>
          <dd>
            {d.answers.count}
            {d.answers.medianMs !== null ? ` · ${seconds(d.answers.medianMs)} median` : ''}
            {d.answers.medianWords !== null ? ` · ${d.answers.medianWords} words median` : ''}
          </dd>
        </div>
        <div>
          <dt>Interruptions</dt>
          <dd>{d.interruptions}</dd>
        </div>
        {fillers && (
          <div className="wide">
            <dt>Fillers by word</dt>
            <dd>{fillers}</dd>
          </div>
        )}
      </dl>
      {card.coverage && card.coverage.questions.length > 0 && (
        <details>
          <summary>Concepts heard per question</summary>
          <ul className="coverage">
            {card.coverage.questions.map((q) => (
              <li key={q.questionId}>
                <strong>{q.topic}</strong>: {q.covered.length} of{' '}
                {q.covered.length + q.missing.length}
                {q.missing.length > 0 && (
                  <span className="muted">
                    {' '}
                    — not heard:{' '}
                    {q.missing.map((label, i) => (
                      <span key={label}>
                        {i > 0 && ', '}
                        <ConceptLabel label={label} text={q.conceptText[label]} />
                      </span>
                    ))}
                  </span>
                )}
                {q.storyMissing && (
                  <>
                    {' '}
                    <StoryParts missing={q.storyMissing} />
                  </>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
