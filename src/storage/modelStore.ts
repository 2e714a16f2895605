import { copyFile, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { IMPORTED_PREFIX, LOCAL_MODELS, looksLikeGgml, type LocalModel } from '../core/localModels';
import { downloadModelFile, partPath, type DownloadProgress } from './modelDownload';

/**
 * `<data>/models/`: the speech recognition models on this computer. A catalog model is
 * installed when its file is there at its pinned size (downloads are checked against
 * size and SHA-256 before they are named, so a file under its final name is whole);
 * imported files keep an `imported-` name of their own. Models live in the data folder,
 * never in the app.
 */
export interface InstalledModel {
  id: string;
  name: string;
  path: string;
  bytes: number;
}

export class ModelStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'models');
  }

  /** Installed models, catalog first (sync: it decides which provider a round uses). */
  installed(): InstalledModel[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: InstalledModel[] = [];
    for (const model of LOCAL_MODELS) {
      const bytes = sizeSync(join(this.dir, model.file));
      if (bytes === model.bytes)
        out.push({ id: model.id, name: model.name, path: join(this.dir, model.file), bytes });
    }
    for (const name of names.filter((n) => n.startsWith(IMPORTED_PREFIX) && n.endsWith('.bin'))) {
      const path = join(this.dir, name);
      out.push({
        id: name.slice(0, -4),
        name: `${name.slice(IMPORTED_PREFIX.length, -4)} (your file)`,
        path,
        bytes: sizeSync(path),
      });
    }
    return out;
  }

  /** The model a round uses: the chosen one if installed, else the first installed. */
  chosen(preferred: string): InstalledModel | null {
    const all = this.installed();
    return all.find((m) => m.id === preferred) ?? all[0] ?? null;
  }

  /** Bytes of a download left off part-way (it resumes from there). */
  async partial(model: LocalModel): Promise<number> {
    return (await stat(partPath(join(this.dir, model.file))).catch(() => null))?.size ?? 0;
  }

  download(
    model: LocalModel,
    options: {
      signal?: AbortSignal;
      onProgress?: (p: DownloadProgress) => void;
      fetch?: typeof fetch;
    },
  ): Promise<void> {
    return downloadModelFile(model, join(this.dir, model.file), options);
  }

  /** "Use a model file I already have": checked to be a ggml file, then copied in. */
  async import(source: string): Promise<InstalledModel> {
    const head = new Uint8Array(4);
    const handle = await open(source, 'r').catch(() => {
      throw new Error(`Cannot read ${source}: check the path.`);
    });
    try {
      await handle.read(head, 0, 4, 0);
    } finally {
      await handle.close();
    }
    if (!looksLikeGgml(head)) {
      throw new Error(
        `${basename(source)} is not a whisper.cpp model (ggml .bin file). Choose a file such as ggml-base.en.bin.`,
      );
    }
    const stem = basename(source)
      .replace(/\.bin$/i, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, 80);
    const target = join(this.dir, `${IMPORTED_PREFIX}${stem}.bin`);
    await mkdir(this.dir, { recursive: true });
    // Copied under a temporary name, then named: a half-copied file is never listed.
    const temp = `${target}.part`;
    await copyFile(source, temp);
    await rename(temp, target);
    const bytes = (await stat(target)).size;
    return { id: basename(target, '.bin'), name: `${stem} (your file)`, path: target, bytes };
  }

  async remove(id: string): Promise<void> {
    const model = LOCAL_MODELS.find((m) => m.id === id);
    const file = model ? model.file : id.startsWith(IMPORTED_PREFIX) ? `${id}.bin` : null;
    if (!file || file.includes('/') || file.includes('..'))
      throw new Error(`Unknown model "${id}".`);
    await rm(join(this.dir, file), { force: true });
    await rm(partPath(join(this.dir, file)), { force: true });
  }

  /** Files in the folder, for diagnostics. */
  async files(): Promise<string[]> {
    return readdir(this.dir).catch(() => []);
  }
}

function sizeSync(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}
