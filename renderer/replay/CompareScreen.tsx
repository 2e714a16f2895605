import { ConceptLabel } from '../components/ConceptLabel';
import { useEffect, useState } from 'react';
import type { AttemptComparison, CompareSide } from '../../src/api/replayContract';
import { TranscriptView } from '../components/TranscriptView';
import { clock } from '../format';
import { useApp } from '../state/appStore';
import { SegmentPlayer } from './SegmentPlayer';
import './replay.css';

/**
 * The first answer and a later attempt side by side: both transcripts, both playable,
 * and which of the question's strong-answer concepts each one touched (a keyword match
 * on the transcript, shown with the words that matched).
 */
export function CompareScreen({ sessionId, attempt }: { sessionId: string; attempt: number }) {
  const { api, go } = useApp();
  const [data, setData] = useState<AttemptComparison | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('attempts.compare', { sessionId, attempt })
      .then(setData)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, sessionId, attempt]);

  return (
    <main className="screen compare">
      <header className="topbar">
        <button
          type="button"
          className="secondary"
          onClick={() => go({ name: 'session', sessionId })}
        >
          Back to the replay
        </button>
        <h1>{data?.question ? data.question.topic : 'Compare answers'}</h1>
      </header>
      {error && (
        <div role="alert" className="banner banner-error">
          {error}
        </div>
      )}
      {data && (
        <>
          {data.question && <p className="question-prompt">{data.question.prompt}</p>}
          <div className="compare-columns">
            <CompareColumn side={data.original} />
            <CompareColumn side={data.attempt} />
          </div>
          <p className="hint">
            Concepts come from the round pack&apos;s strong answer. A concept counts as touched when
            the answer uses at least two of its key words; it is a reading aid, not a grade.
          </p>
        </>
      )}
    </main>
  );
}

function CompareColumn({ side }: { side: CompareSide }) {
  const interviewer = 'Interviewer';
  return (
    <section className="panel compare-side" aria-label={side.label}>
      <h2>{side.label}</h2>
      <p className="muted">
        {clock(side.endMs - side.startMs)}
        {side.turns.length === 0 ? ' · not found in the session' : ''}
      </p>
      {side.audioUrl && side.endMs > side.startMs ? (
        <SegmentPlayer
          url={side.audioUrl}
          startMs={side.startMs}
          endMs={side.endMs}
          label={side.label}
        />
      ) : (
        <p className="muted">No recording to play.</p>
      )}
      <h3 className="subheading">Concepts covered</h3>
      {side.coverage === null ? (
        <p className="muted">
          {side.transcriptAvailable
            ? 'Nothing was transcribed in this answer, so concepts cannot be matched.'
            : 'No transcript for this answer (it ran offline), so concepts cannot be matched.'}
        </p>
      ) : (
        <ul className="coverage" aria-label={`Concepts covered in ${side.label}`}>
          {side.coverage.map((c) => (
            <li key={c.concept} className={c.covered ? 'covered' : 'missed'}>
              <span aria-hidden="true">{c.covered ? '✓' : '–'}</span>{' '}
              <span className="sr-only">{c.covered ? 'Covered: ' : 'Not covered: '}</span>
              <ConceptLabel label={c.label} text={c.concept} />
              {c.matched.length > 0 && <span className="muted"> ({c.matched.join(', ')})</span>}
            </li>
          ))}
        </ul>
      )}
      <h3 className="subheading">Transcript</h3>
      <TranscriptView turns={side.turns} interviewerName={interviewer} />
    </section>
  );
}
