/**
 * `npm run icons`: renders assets/icon.svg, the one source of the app icon, into every
 * size and format the window, the packager and the makers use (assets/icons/). Run it
 * after editing the SVG and commit the output; `npm test` checks the committed files are
 * what this renders (tests/unit/scripts/generateIcons.test.ts).
 *
 * resvg (MPL-2.0, a build-time tool only) rasterises the SVG; png2icons (MIT) packs the
 * Windows .ico and the macOS .icns.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

const ROOT = join(import.meta.dirname, '..');
export const ICON_SOURCE = join(ROOT, 'assets/icon.svg');
export const ICONS_DIR = join(ROOT, 'assets/icons');

/** The hicolor theme's usual sizes, plus 1024 for the .icns and store listings. */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

export function pngPath(size: number): string {
  return `png/${size}x${size}.png`;
}

/** Every icon file, by its path under assets/icons/. */
export function renderIcons(svg: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const size of PNG_SIZES) {
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
    files.set(pngPath(size), Buffer.from(png));
  }
  const largest = files.get(pngPath(1024));
  if (!largest) throw new Error('the 1024 px icon was not rendered');
  const ico = png2icons.createICO(largest, png2icons.BICUBIC2, 0, true, true);
  const icns = png2icons.createICNS(largest, png2icons.BICUBIC2, 0);
  if (!ico || !icns) throw new Error('png2icons could not pack the .ico or .icns');
  files.set('icon.ico', ico);
  files.set('icon.icns', icns);
  return files;
}

async function main(): Promise<void> {
  const files = renderIcons(await readFile(ICON_SOURCE));
  for (const [name, bytes] of files) {
    const path = join(ICONS_DIR, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }
  console.log(`Wrote ${files.size} icon files to ${ICONS_DIR}`);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await main();
}
