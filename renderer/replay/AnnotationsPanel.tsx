import { useState } from 'react';
import { annotationTags, filterByTag, type Annotation } from '../../src/core/annotations';
import { clock } from '../format';
import { AnnotationEditor, type NoteDraft } from './AnnotationEditor';
import { seekReplayTo } from './replayStore';

/** Notes on the session: the new one being written, then the list — filter, jump, edit, delete. */
export function AnnotationsPanel({
  annotations,
  problem,
  draft,
  busy,
  onSaveDraft,
  onCancelDraft,
  onUpdate,
  onDelete,
}: {
  annotations: readonly Annotation[];
  problem: string | null;
  draft: NoteDraft | null;
  busy: boolean;
  onSaveDraft(draft: NoteDraft): void;
  onCancelDraft(): void;
  onUpdate(annotation: Annotation, draft: NoteDraft): void;
  onDelete(annotation: Annotation): void;
}) {
  const [tag, setTag] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const tags = annotationTags(annotations);
  const activeTag = tag !== null && tags.some((t) => t.tag === tag) ? tag : null;
  const shown = filterByTag(annotations, activeTag);

  return (
    <section className="panel annotations-panel" aria-labelledby="annotations-heading">
      <h2 id="annotations-heading">Your notes</h2>
      {problem && (
        <div role="alert" className="banner banner-warning">
          {problem}
        </div>
      )}
      {draft ? (
        <AnnotationEditor
          key={`${draft.startMs}-${draft.endMs}`}
          draft={draft}
          title="New note"
          saveLabel="Save note"
          busy={busy}
          onSave={onSaveDraft}
          onCancel={onCancelDraft}
        />
      ) : (
        <p className="hint">
          Drag across the waveform, or select words in the transcript, to note a moment.
        </p>
      )}
      {annotations.length > 0 && (
        <label className="control-field">
          Show
          <select
            aria-label="Filter notes by tag"
            value={activeTag ?? ''}
            onChange={(e) => setTag(e.target.value || null)}
          >
            <option value="">All tags ({annotations.length})</option>
            {tags.map((t) => (
              <option key={t.tag} value={t.tag}>
                {t.tag} ({t.count})
              </option>
            ))}
          </select>
        </label>
      )}
      <ul className="annotations" aria-label="Your notes">
        {shown.map((a) =>
          editing === a.id ? (
            <li key={a.id} className="annotation editing">
              <AnnotationEditor
                draft={a}
                title="Edit note"
                saveLabel="Save changes"
                busy={busy}
                onSave={(d) => {
                  onUpdate(a, d);
                  setEditing(null);
                }}
                onCancel={() => setEditing(null)}
              />
            </li>
          ) : (
            <li key={a.id} className="annotation" data-note-id={a.id}>
              <div className="note-head">
                <button
                  type="button"
                  className="link"
                  onClick={() => seekReplayTo(a.startMs)}
                  aria-label={`Play from ${clock(a.startMs)} (note tagged ${a.tag})`}
                >
                  {clock(a.startMs)}
                  {a.endMs > a.startMs + 500 ? `–${clock(a.endMs)}` : ''}
                </button>
                <span className="tag note-tag">{a.tag}</span>
              </div>
              {a.quote && <blockquote className="note-quote">{a.quote}</blockquote>}
              {a.note && <p className="note-text">{a.note}</p>}
              <div className="note-actions">
                <button
                  type="button"
                  className="link"
                  onClick={() => setEditing(a.id)}
                  aria-label={`Edit note at ${clock(a.startMs)}`}
                >
                  Edit
                </button>
                {confirming === a.id ? (
                  <>
                    <button
                      type="button"
                      className="link danger-link"
                      onClick={() => {
                        setConfirming(null);
                        onDelete(a);
                      }}
                      aria-label={`Confirm deleting the note at ${clock(a.startMs)}`}
                    >
                      Delete for good
                    </button>
                    <button type="button" className="link" onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    className="link"
                    onClick={() => setConfirming(a.id)}
                    aria-label={`Delete note at ${clock(a.startMs)}`}
                  >
                    Delete
                  </button>
                )}
              </div>
            </li>
          ),
        )}
      </ul>
      {annotations.length === 0 && !draft && <p className="muted">No notes yet.</p>}
    </section>
  );
}
