/**
 * Security decisions of the main process as plain functions over plain values, so they
 * are tested in Node without Electron (see tests/unit/main/).
 */

export const APP_SCHEME = 'mockloop';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

export interface FrameLike {
  url: string;
  /** null for a top-level (main) frame. */
  parent: unknown;
}

/** The origin the renderer is served from: the app protocol, or Vite's dev server. */
export function trustedOrigins(devServerUrl: string | undefined): Set<string> {
  const origins = new Set([APP_ORIGIN]);
  if (devServerUrl) origins.add(new URL(devServerUrl).origin);
  return origins;
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // Custom schemes report an opaque origin ("null"); rebuild it from scheme and host.
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/** Only our own page's main frame may call the API (no iframes, no other origins). */
export function isTrustedSender(
  frame: FrameLike | null | undefined,
  origins: Set<string>,
): boolean {
  if (!frame || frame.parent) return false;
  const origin = originOf(frame.url);
  return origin !== null && origins.has(origin);
}

export function isTrustedUrl(url: string, origins: Set<string>): boolean {
  const origin = originOf(url);
  return origin !== null && origins.has(origin);
}

/** Only the microphone, only for our page. */
export function allowPermission(
  permission: string,
  requestingUrl: string,
  mediaTypes: readonly string[] | undefined,
  origins: Set<string>,
): boolean {
  if (permission !== 'media') return false;
  if (!isTrustedUrl(requestingUrl, origins)) return false;
  return (mediaTypes ?? []).every((t) => t === 'audio');
}
