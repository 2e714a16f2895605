import { useState } from 'react';

/**
 * An edit in progress of a saved setting. When the saved value changes elsewhere (another
 * panel, "Use local models…"), the draft follows it: a stale draft would otherwise be
 * saved back over the new value the moment the field loses focus.
 */
export function useDraft<T>(saved: T): { value: T; set(v: T): void } {
  const [draft, setDraft] = useState(saved);
  const [seen, setSeen] = useState(saved);
  // An edit under way (e.g. a slider moved again while its last step was saving) is kept.
  const follow = !Object.is(saved, seen) && Object.is(draft, seen);
  if (!Object.is(saved, seen)) {
    setSeen(saved);
    if (follow) setDraft(saved);
  }
  return { value: follow ? saved : draft, set: setDraft };
}
