import { useState } from 'react';

/**
 * A strong-answer concept by its short label, with its full text on demand: the label is
 * what a coach jots; pressing it shows what the pack says a strong answer covers.
 */
export function ConceptLabel({ label, text }: { label: string; text?: string | undefined }) {
  const [open, setOpen] = useState(false);
  if (!text || text === label) return <span className="concept-label">{label}</span>;
  return (
    <span className="concept">
      <button
        type="button"
        className="concept-label"
        aria-expanded={open}
        title={open ? undefined : text}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
      </button>
      {open && <span className="concept-text muted"> ({text})</span>}
    </span>
  );
}
