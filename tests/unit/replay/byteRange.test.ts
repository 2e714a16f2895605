import { describe, expect, it } from 'vitest';
import { contentRange, parseByteRange } from '../../../src/core/byteRange';

describe('parseByteRange', () => {
  it.each([
    ['bytes=0-99', { kind: 'partial', start: 0, end: 99 }],
    ['bytes=100-', { kind: 'partial', start: 100, end: 999 }],
    ['bytes=-100', { kind: 'partial', start: 900, end: 999 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=990-5000', { kind: 'partial', start: 990, end: 999 }],
    ['bytes=999-999', { kind: 'partial', start: 999, end: 999 }],
    ['BYTES = 5 - 9', { kind: 'partial', start: 5, end: 9 }],
  ])('%s of a 1000-byte file', (header, expected) => {
    expect(parseByteRange(header, 1000)).toEqual(expected);
  });

  it.each(['bytes=1000-', 'bytes=1000-1001', 'bytes=-0', 'bytes=5000-6000'])(
    '%s cannot be satisfied',
    (header) => {
      expect(parseByteRange(header, 1000)).toEqual({ kind: 'unsatisfiable' });
    },
  );

  it.each([
    undefined,
    null,
    '',
    'bytes=-',
    'bytes=0-1,5-9',
    'items=0-5',
    'bytes=abc',
    'bytes=9-3',
    'bytes=1.5-2',
  ])('%j is ignored: the whole file is sent', (header) => {
    expect(parseByteRange(header, 1000)).toEqual({ kind: 'full' });
  });

  it('cannot satisfy any range of an empty file', () => {
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('writes Content-Range', () => {
    expect(contentRange({ kind: 'partial', start: 5, end: 9 }, 1000)).toBe('bytes 5-9/1000');
    expect(contentRange({ kind: 'unsatisfiable' }, 1000)).toBe('bytes */1000');
    expect(contentRange({ kind: 'full' }, 1000)).toBeUndefined();
  });
});
