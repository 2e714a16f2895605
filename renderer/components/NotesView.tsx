import type { NoteRecord, SessionRecord } from '../../src/core/session';
import { clock } from '../format';
import { ConceptLabel } from './ConceptLabel';
import { StoryParts } from './StoryParts';

const KIND_LABEL = { answer: 'Answer', strong: 'Strong', missing: 'Missing', observation: 'Note' };

/**
 * The interviewer's hidden notes, shown once the round is over: one per answer, each
 * point by its label — covered (when, in the candidate's words) or missing.
 */
export function NotesView({
  session,
  topics = {},
  onSeek,
}: {
  session: SessionRecord;
  /** Question id → topic, to title each note. */
  topics?: Record<string, string>;
  /** When given (the replay), each time plays the recording from there. */
  onSeek?: (ms: number) => void;
}) {
  const at = (ms: number, what: string) =>
    onSeek ? (
      <button
        type="button"
        className="link"
        onClick={() => onSeek(ms)}
        aria-label={`Play from ${clock(ms)} (${what})`}
      >
        {clock(ms)}
      </button>
    ) : (
      clock(ms)
    );
  return (
    <section className="panel" aria-labelledby="notes-heading">
      <h2 id="notes-heading">Interviewer's notes</h2>
      {session.notes.length === 0 ? (
        <p className="muted">No notes were taken in this round.</p>
      ) : (
        <ul className="notes">
          {session.notes.map((n, i) => (
            <li key={i} className={`note note-${n.kind}`}>
              <span className="tag">{KIND_LABEL[n.kind]}</span>
              <span className="muted">
                {at(n.atMs, "interviewer's note")} · {topics[n.questionId] ?? n.questionId}
              </span>
              {n.points.length > 0 || n.storyMissing ? (
                <NotePoints note={n} at={at} />
              ) : (
                <span>{n.text}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NotePoints({
  note,
  at,
}: {
  note: NoteRecord;
  at: (ms: number, what: string) => React.ReactNode;
}) {
  const covered = note.points.filter((p) => p.covered);
  const missing = note.points.filter((p) => !p.covered);
  return (
    <div className="note-points">
      {covered.length > 0 && (
        <ul aria-label="Covered" className="points covered">
          {covered.map((p) => (
            <li key={p.label}>
              <span aria-hidden="true">✓</span> <span className="sr-only">Covered: </span>
              <ConceptLabel label={p.label} text={p.concept} />
              {p.atMs !== undefined && <> · {at(p.atMs, p.label)}</>}
              {p.phrase && <q className="phrase muted">{p.phrase}</q>}
            </li>
          ))}
        </ul>
      )}
      {missing.length > 0 && (
        <p className="points-missed">
          <span className="muted">
            {note.text.includes('Still missing') ? 'Still missing: ' : 'Missing: '}
          </span>
          {missing.map((p, i) => (
            <span key={p.label}>
              {i > 0 && ', '}
              <ConceptLabel label={p.label} text={p.concept} />
            </span>
          ))}
        </p>
      )}
      {note.storyMissing && <StoryParts missing={note.storyMissing} />}
    </div>
  );
}
