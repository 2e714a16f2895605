/**
 * HTTP `Range: bytes=…` for serving recordings, shared by browser mode's media route and
 * Electron's protocol so seeking behaves the same in both. Single ranges only: a list of
 * ranges is ignored and the whole file is sent, which RFC 9110 §14.2 allows.
 */
export type RangeDecision =
  | { kind: 'full' }
  /** Inclusive byte positions, as in `Content-Range`. */
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

export function parseByteRange(header: string | null | undefined, size: number): RangeDecision {
  if (header === null || header === undefined) return { kind: 'full' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  // Unknown units, several ranges or garbage: ignore the header.
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // Suffix range: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start) || start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return { kind: 'full' };
  return { kind: 'partial', start, end };
}

// `Content-Range` for a decision; "bytes */size" for an unsatisfiable range.
export function contentRange(decision: RangeDecision, size: number): string | undefined {
  if (decision.kind === 'partial') return `bytes ${decision.start}-${decision.end}/${size}`;
  if (decision.kind === 'unsatisfiable') return `bytes */${size}`;
  return undefined;
}
