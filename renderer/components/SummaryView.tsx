import type { RoundSummary } from '../../src/core/summary';
import { clock, seconds } from '../format';

export function SummaryView({ summary }: { summary: RoundSummary }) {
  const talk = summary.candidateTalkMs + summary.interviewerTalkMs;
  const share = talk > 0 ? Math.round((summary.candidateTalkMs / talk) * 100) : 0;
  return (
    <section aria-labelledby="summary-heading" className="panel">
      <h2 id="summary-heading">Round summary</h2>
      <dl className="figures">
        <div>
          <dt>Duration</dt>
          <dd>{clock(summary.durationMs)}</dd>
        </div>
        <div>
          <dt>You talked</dt>
          <dd>
            {clock(summary.candidateTalkMs)} ({share}%)
          </dd>
        </div>
        <div>
          <dt>Interviewer talked</dt>
          <dd>{clock(summary.interviewerTalkMs)}</dd>
        </div>
        <div>
          <dt>Turns</dt>
          <dd>
            {summary.candidateTurns} yours · {summary.interviewerTurns} interviewer
          </dd>
        </div>
        <div>
          <dt>Longest pause</dt>
          <dd>{seconds(summary.longestPauseMs)}</dd>
        </div>
        {summary.transcriptAvailable ? (
          <>
            <div>
              <dt>Pace</dt>
              <dd>{summary.wordsPerMinute ?? '—'} words/min</dd>
            </div>
            <div>
              <dt>Filler words</dt>
              <dd>
                {summary.fillerWords?.total ?? 0}
                {summary.fillerWords && summary.fillerWords.total > 0 && (
                  <span className="muted">
                    {' '}
                    (
                    {Object.entries(summary.fillerWords.byWord)
                      .map(([w, n]) => `${w} ×${n}`)
                      .join(', ')}
                    )
                  </span>
                )}
              </dd>
            </div>
          </>
        ) : (
          <p className="muted wide">
            Pace and filler words need a transcript; this round ran offline without one.
          </p>
        )}
      </dl>
    </section>
  );
}
