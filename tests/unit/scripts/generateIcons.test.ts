import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ICON_SOURCE,
  ICONS_DIR,
  PNG_SIZES,
  pngPath,
  renderIcons,
} from '../../../scripts/generateIcons';

/** A PNG's size, from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the app icon', () => {
  const rendered = renderIcons(readFileSync(ICON_SOURCE));

  it('is committed exactly as `npm run icons` renders it from assets/icon.svg', () => {
    const stale = [...rendered]
      .filter(([name, bytes]) => !readFileSync(join(ICONS_DIR, name)).equals(bytes))
      .map(([name]) => name);
    expect(stale, 'run `npm run icons` and commit assets/icons/').toEqual([]);
  });

  it('has every size the makers and the window use, in the right formats', () => {
    for (const size of PNG_SIZES) {
      expect(pngSize(rendered.get(pngPath(size))!)).toEqual({ width: size, height: size });
    }
    // ICO: reserved 0, type 1 (icon); ICNS: the 'icns' magic.
    const ico = rendered.get('icon.ico')!;
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(4);
    expect(rendered.get('icon.icns')!.subarray(0, 4).toString('latin1')).toBe('icns');
  });
});
