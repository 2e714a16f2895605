/** The screens of the app; those below `home` that have a URL are in `hashFor`. */
export type Screen =
  | { name: 'home' }
  | { name: 'round'; roundId: string; loopRunId?: string; resumeOf?: string }
  | { name: 'loop'; runId: string }
  | { name: 'session'; sessionId: string }
  | { name: 'answer-again'; sessionId: string; questionId: string; topic?: string }
  | { name: 'compare'; sessionId: string; attempt: number }
  | { name: 'settings' }
  | { name: 'progress' };

/**
 * Screens that can be linked to and survive a reload live in the URL's hash:
 * `#/sessions/<id>` (the replay), `#/sessions/<id>/attempts/<n>` (a comparison),
 * `#/settings` and `#/progress`. A live round or attempt is never started from a URL.
 */
const ID = '[A-Za-z0-9][A-Za-z0-9_-]{0,79}';

export function screenFromHash(hash: string): Screen {
  const path = hash.replace(/^#/, '');
  let m = new RegExp(`^/sessions/(${ID})/attempts/([1-9]\\d{0,3})$`).exec(path);
  if (m) return { name: 'compare', sessionId: m[1]!, attempt: Number(m[2]) };
  m = new RegExp(`^/sessions/(${ID})$`).exec(path);
  if (m) return { name: 'session', sessionId: m[1]! };
  m = new RegExp(`^/loops/(${ID})$`).exec(path);
  if (m) return { name: 'loop', runId: m[1]! };
  if (path === '/settings') return { name: 'settings' };
  if (path === '/progress') return { name: 'progress' };
  return { name: 'home' };
}

export function hashFor(screen: Screen): string {
  switch (screen.name) {
    case 'session':
      return `#/sessions/${screen.sessionId}`;
    case 'answer-again':
      // Reloading during an attempt goes back to the replay, not into a new attempt.
      return `#/sessions/${screen.sessionId}`;
    case 'compare':
      return `#/sessions/${screen.sessionId}/attempts/${screen.attempt}`;
    case 'settings':
      return '#/settings';
    case 'progress':
      return '#/progress';
    case 'loop':
      return `#/loops/${screen.runId}`;
    case 'round':
      // A round inside a loop returns to the loop on reload, never restarts itself; a
      // resumed round returns to the session it continues.
      if (screen.loopRunId) return `#/loops/${screen.loopRunId}`;
      return screen.resumeOf ? `#/sessions/${screen.resumeOf}` : '#/';
    default:
      return '#/';
  }
}

/** Keeps the URL in step with the screen, and marks the navigation for the benchmark. */
export function syncHash(screen: Screen): void {
  if (screen.name === 'session') performance.mark('mockloop:open-session');
  const hash = hashFor(screen);
  if (location.hash !== hash && !(hash === '#/' && location.hash === '')) {
    history.pushState(null, '', hash);
  }
}

/**
 * Back/forward and edited URLs move the app too. (`hashchange` fires for both; pushState,
 * used by syncHash, fires neither, so the app's own navigation is not seen twice.)
 */
export function watchHash(go: (screen: Screen) => void): () => void {
  const onChange = () => go(screenFromHash(location.hash));
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}
