import type { SessionRecord } from '../../src/core/session';
import { clock } from '../format';

const KIND_LABEL = { strong: 'Strong', missing: 'Missing', observation: 'Note' } as const;

/** The interviewer's hidden notes, shown once the round is over. */
export function NotesView({
  session,
  onSeek,
}: {
  session: SessionRecord;
  /** When given (the replay), each note's time plays the recording from there. */
  onSeek?: (ms: number) => void;
}) {
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
                {onSeek ? (
                  <button
                    type="button"
                    className="link"
                    onClick={() => onSeek(n.atMs)}
                    aria-label={`Play from ${clock(n.atMs)} (interviewer's note)`}
                  >
                    {clock(n.atMs)}
                  </button>
                ) : (
                  clock(n.atMs)
                )}{' '}
                · {n.questionId}
              </span>
              <span>{n.text}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
