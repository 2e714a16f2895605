import type { AttemptInfo, ReplayQuestion } from '../../src/api/replayContract';
import { clock } from '../format';
import { useApp } from '../state/appStore';
import { seekReplayTo } from './replayStore';

/**
 * The questions asked in the session: jump to each, answer it again live, and compare
 * earlier attempts with the first answer.
 */
export function QuestionsPanel({
  sessionId,
  questions,
  attempts,
  canAnswerAgain,
}: {
  sessionId: string;
  questions: readonly ReplayQuestion[];
  attempts: readonly AttemptInfo[];
  canAnswerAgain: boolean;
}) {
  const go = useApp((s) => s.go);
  return (
    <section className="panel questions-panel" aria-labelledby="questions-heading">
      <h2 id="questions-heading">Questions</h2>
      {questions.length === 0 ? (
        <p className="muted">
          No question of the round pack was identified in this session, so there is nothing to
          answer again.
        </p>
      ) : (
        <ul className="questions">
          {questions.map((q) => {
            const mine = attempts.filter((a) => a.questionId === q.id);
            return (
              <li key={q.id} className="question">
                <div className="question-head">
                  <button
                    type="button"
                    className="link"
                    onClick={() => seekReplayTo(q.askedAtMs)}
                    aria-label={`Play from where "${q.topic}" was asked, ${clock(q.askedAtMs)}`}
                  >
                    {clock(q.askedAtMs)}
                  </button>{' '}
                  <strong>{q.topic}</strong>
                </div>
                <button
                  type="button"
                  className="secondary"
                  disabled={!q.canAnswerAgain || !canAnswerAgain}
                  title={
                    q.canAnswerAgain
                      ? 'Answer this question again, live'
                      : 'The round pack of this session is not installed, so it cannot be asked again'
                  }
                  aria-label={`Answer again: ${q.topic}`}
                  onClick={() =>
                    go({ name: 'answer-again', sessionId, questionId: q.id, topic: q.topic })
                  }
                >
                  Answer again
                </button>
                {mine.length > 0 && (
                  <ul className="attempts" aria-label={`Attempts at ${q.topic}`}>
                    {mine.map((a) => (
                      <li key={a.attempt}>
                        Attempt {a.attempt} · {clock(a.durationMs)} · {a.status}{' '}
                        <button
                          type="button"
                          className="link"
                          onClick={() => go({ name: 'compare', sessionId, attempt: a.attempt })}
                          aria-label={`Compare attempt ${a.attempt} with the first answer`}
                        >
                          Compare
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
