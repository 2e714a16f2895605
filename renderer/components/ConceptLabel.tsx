import { useState } from 'react';

/**
 * A strong-answer concept by its short label, with its full text on demand: the label is
 * what a coach jots, the text is what the pack says a strong answer covers.
 */
export function ConceptLabel({ label, text }: { label: string; text?: string | undefined }) {
  const [open, setOpen] = useState(false);
  if (!text || text === label) return <span className="concept-label">{label}</span>;
  return (
    <span className="concept-label">
      {label}{' '}
      <button
        type="button"
        className="link concept-more"
        aria-expanded={open}
        aria-label={`${open ? 'Hide' : 'Show'} the full text of "${label}"`}
        title={text}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? 'less' : 'more'}
      </button>
      {open && <span className="concept-text muted"> — {text}</span>}
    </span>
  );
}
