import { useEffect, useRef } from 'react';
import { useReplay } from './replayStore';

export interface ReplayKeyActions {
  skip(ms: number): void;
  previousTurn(): void;
  nextTurn(): void;
}

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    target.isContentEditable
  );
}

/**
 * Space plays and pauses, ←/→ move 5 s, Shift+←/→ or [ ] move by turn, + and − zoom.
 * Keys typed into a field are left alone, and Space on a focused button still presses it.
 */
export function useReplayKeys(actions: ReplayKeyActions): void {
  const ref = useRef(actions);
  useEffect(() => {
    ref.current = actions;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTextEntry(e.target)) return;
      const onButton =
        e.target instanceof HTMLButtonElement || e.target instanceof HTMLAnchorElement;
      const replay = useReplay.getState();
      const a = ref.current;
      let handled = true;
      if (e.key === ' ' && !onButton) replay.player?.playPause();
      else if (e.key === 'ArrowLeft') {
        if (e.shiftKey) a.previousTurn();
        else a.skip(-5000);
      } else if (e.key === 'ArrowRight') {
        if (e.shiftKey) a.nextTurn();
        else a.skip(5000);
      } else if (e.key === '[') a.previousTurn();
      else if (e.key === ']') a.nextTurn();
      else if (e.key === '+' || e.key === '=') replay.zoomBy(1);
      else if (e.key === '-' || e.key === '_') replay.zoomBy(-1);
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
