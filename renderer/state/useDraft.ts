import { useState } from 'react';

/**
 * An edit in progress of a saved setting. When the saved value changes elsewhere (another
 * panel, "Use local models…"), the draft follows it: a stale draft would otherwise be
 * saved back over the new value the moment the field loses focus.
 */
export function useDraft<T>(saved: T): { value: T; set(v: T): void } {
  const [draft, setDraft] = useState(saved);
  const [seen, setSeen] = useState(saved);
  if (saved !== seen) {
    setSeen(saved);
    setDraft(saved);
  }
  return { value: saved !== seen ? saved : draft, set: setDraft };
}
