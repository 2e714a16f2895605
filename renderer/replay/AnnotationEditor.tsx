import { useEffect, useId, useRef, useState } from 'react';
import { SUGGESTED_TAGS } from '../../src/core/annotations';
import { clock } from '../format';

export interface NoteDraft {
  startMs: number;
  endMs: number;
  tag: string;
  note: string;
  quote?: string;
  turnId?: string;
}

/** The form for a new note or an edit: a tag (suggested or typed) and free text. */
export function AnnotationEditor({
  draft,
  title,
  saveLabel,
  busy,
  onSave,
  onCancel,
}: {
  draft: NoteDraft;
  title: string;
  saveLabel: string;
  busy: boolean;
  onSave(draft: NoteDraft): void;
  onCancel(): void;
}) {
  const [tag, setTag] = useState(draft.tag);
  const [note, setNote] = useState(draft.note);
  const tagRef = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => {
    tagRef.current?.focus();
  }, []);

  return (
    <form
      className="note-editor"
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        if (tag.trim()) onSave({ ...draft, tag: tag.trim(), note });
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <p className="note-span">
        <strong>{title}</strong> · {clock(draft.startMs)}
        {draft.endMs > draft.startMs + 500 ? `–${clock(draft.endMs)}` : ''}
      </p>
      {draft.quote && <blockquote className="note-quote">{draft.quote}</blockquote>}
      <label htmlFor={`${id}-tag`}>Tag</label>
      <input
        id={`${id}-tag`}
        ref={tagRef}
        list={`${id}-tags`}
        value={tag}
        maxLength={40}
        required
        onChange={(e) => setTag(e.target.value)}
        placeholder="e.g. rambling"
      />
      <datalist id={`${id}-tags`}>
        {SUGGESTED_TAGS.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <div className="tag-chips" role="group" aria-label="Suggested tags">
        {SUGGESTED_TAGS.map((t) => (
          <button
            key={t}
            type="button"
            className={`chip${tag === t ? ' selected' : ''}`}
            aria-pressed={tag === t}
            onClick={() => setTag(t)}
          >
            {t}
          </button>
        ))}
      </div>
      <label htmlFor={`${id}-note`}>Note</label>
      <textarea
        id={`${id}-note`}
        value={note}
        rows={3}
        maxLength={4000}
        onChange={(e) => setNote(e.target.value)}
        placeholder="What happened here, and what to do instead"
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !tag.trim()}>
          {saveLabel}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
