import { useEffect } from 'react';
import { useLiveRound } from '../state/liveRoundStore';

/** Enter ends the turn; holding Space keeps the floor while thinking. */
export function useRoundShortcuts(): void {
  useEffect(() => {
    // Keys typed into a field, the code pad (contenteditable) or the whiteboard (which
    // marks itself with data-own-keys: Space pans, Enter edits text) belong to them.
    const typing = (e: KeyboardEvent) =>
      e.target instanceof HTMLInputElement ||
      e.target instanceof HTMLTextAreaElement ||
      e.target instanceof HTMLSelectElement ||
      (e.target instanceof HTMLElement &&
        (e.target.isContentEditable || e.target.closest('[data-own-keys]') !== null));
    const down = (e: KeyboardEvent) => {
      if (typing(e) || e.repeat) return;
      const round = useLiveRound.getState();
      if (e.key === 'Enter') {
        e.preventDefault();
        round.done();
      } else if (e.key === ' ') {
        e.preventDefault();
        round.hold(true);
      }
    };
    const up = (e: KeyboardEvent) => {
      if (e.key === ' ') useLiveRound.getState().hold(false);
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, []);
}
