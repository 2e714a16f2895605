/**
 * Speech recognition models that run on this computer (whisper.cpp's ggml files), as
 * Settings lists them: what each costs in disk, memory and time, and where it comes from.
 * Downloads come from whisper.cpp's official model repository and are pinned by size and
 * SHA-256; a file is installed only once it matches both.
 */
export interface LocalModel {
  id: string;
  name: string;
  /** File name in `<data>/models/`. */
  file: string;
  url: string;
  bytes: number;
  sha256: string;
  languages: string;
  /** Memory while transcribing (whisper.cpp's figures). */
  memoryMb: number;
  /** Expected speed, relative to the others (39 M, 74 M and 244 M parameters). */
  speed: string;
}

const SOURCE = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';

export const LOCAL_MODELS: readonly LocalModel[] = [
  {
    id: 'whisper-tiny.en',
    name: 'Whisper tiny (English)',
    file: 'ggml-tiny.en.bin',
    url: `${SOURCE}/ggml-tiny.en.bin`,
    bytes: 77_704_715,
    sha256: '921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f',
    languages: 'English',
    memoryMb: 273,
    speed: 'Fastest, least accurate (39 M parameters).',
  },
  {
    id: 'whisper-base.en',
    name: 'Whisper base (English)',
    file: 'ggml-base.en.bin',
    url: `${SOURCE}/ggml-base.en.bin`,
    bytes: 147_964_211,
    sha256: 'a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002',
    languages: 'English',
    memoryMb: 388,
    speed: 'Recommended: about twice the work of tiny, clearly fewer mistakes (74 M).',
  },
  {
    id: 'whisper-small.en',
    name: 'Whisper small (English)',
    file: 'ggml-small.en.bin',
    url: `${SOURCE}/ggml-small.en.bin`,
    bytes: 487_614_201,
    sha256: 'c6138d6d58ecc8322097e0f987c32f1be8bb0a18532a3f88f734d1bbf9c41e5d',
    languages: 'English',
    memoryMb: 852,
    speed: 'Most accurate, about six times the work of tiny: for faster machines (244 M).',
  },
];

/** A model file the user brought ("use a model file I already have"). */
export const IMPORTED_PREFIX = 'imported-';

/** whisper.cpp's ggml files start with the magic 0x67676d6c, little-endian. */
export function looksLikeGgml(head: Uint8Array): boolean {
  return (
    head.length >= 4 && head[0] === 0x6c && head[1] === 0x6d && head[2] === 0x67 && head[3] === 0x67
  );
}
