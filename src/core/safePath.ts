import { join, normalize, resolve, sep } from 'node:path';

/**
 * Resolves a URL path inside `root`, or null when it would escape it (`..`, encoded
 * dots, NUL bytes). Shared by browser mode's static files and Electron's app protocol.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const target = resolve(join(base, normalize(decoded)));
  return target === base || target.startsWith(base + sep) ? target : null;
}
