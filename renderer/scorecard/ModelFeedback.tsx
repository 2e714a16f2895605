import type { ModelScorecard } from '../../src/core/scorecard';
import { ConceptLabel } from '../components/ConceptLabel';
import { StoryParts } from '../components/StoryParts';

/** Per-question feedback and tips from a model scorecard. */
export function ModelFeedback({ card }: { card: ModelScorecard }) {
  return (
    <>
      {card.questions.length > 0 && (
        <div className="question-feedback">
          <h3>Question by question</h3>
          {card.questions.map((q) => (
            <details key={q.questionId}>
              <summary>{q.topic}</summary>
              {q.strong.length > 0 && (
                <>
                  <h4>What was strong</h4>
                  <ul>
                    {q.strong.map((s, i) => (
                      <li key={i}>{s}</li>
                    ))}
                  </ul>
                </>
              )}
              {q.missingConcepts.length > 0 && (
                <>
                  <h4>Missing</h4>
                  <ul>
                    {q.missingConcepts.map((s, i) => (
                      <li key={i}>
                        <ConceptLabel label={s} text={q.conceptText[s]} />
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {q.storyMissing && (
                <p>
                  <StoryParts missing={q.storyMissing} />
                </p>
              )}
              {q.outline.length > 0 && (
                <>
                  <h4>A strong answer would</h4>
                  <ol>
                    {q.outline.map((s, i) => (
                      <li key={i}>{s}</li>
                    ))}
                  </ol>
                </>
              )}
            </details>
          ))}
        </div>
      )}
      {card.tips.length > 0 && (
        <div className="tips">
          <h3>Next time</h3>
          <ul>
            {card.tips.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
