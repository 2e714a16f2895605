import { link, mkdir, open, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  SCORECARD_SCHEMA_VERSION,
  scorecardSchema,
  type Scorecard,
  type ScorecardDraft,
} from '../core/scorecard';
import { readJsonFile, tempFileNameFor } from './atomicFile';
import { sessionDirectory } from './sessionPaths';
import { StorageError, toStorageError } from './storageError';

/** `<session>/scorecards/`, inside the session folder so a bundle carries them along. */
export const SCORECARDS_DIR = 'scorecards';

const FILE_PATTERN = /^(\d{1,9})\.json$/;
/** Another process (the desktop app and `npm run web` on one folder) took the number. */
const MAX_CLAIM_ATTEMPTS = 5;

export interface ScorecardList {
  /** Oldest first. */
  scorecards: Scorecard[];
  /** One sentence per file that could not be read; the others still load. */
  problems: string[];
}

/**
 * Versioned scorecards of each session: `<n>.json`, numbered in the order they were
 * made. A scorecard file is written once and never replaced, so scoring again cannot
 * lose an earlier one. Saves to one session run one after another so two quick saves
 * cannot take the same number.
 */
export class ScorecardStore {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly sessionsDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  directory(sessionId: string): string {
    return join(sessionDirectory(this.sessionsDir, sessionId), SCORECARDS_DIR);
  }

  async list(sessionId: string): Promise<ScorecardList> {
    const dir = this.directory(sessionId);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') return { scorecards: [], problems: [] };
      throw toStorageError(err, dir, { action: 'read' });
    }
    const numbered = names
      .map((name) => ({ name, n: Number(FILE_PATTERN.exec(name)?.[1] ?? NaN) }))
      .filter((f) => Number.isInteger(f.n))
      .sort((a, b) => a.n - b.n);
    const scorecards: Scorecard[] = [];
    const problems: string[] = [];
    for (const file of numbered) {
      const read = await readJsonFile(join(dir, file.name), scorecardSchema);
      if (!read.ok) {
        problems.push(`Scorecard ${file.n} could not be read: ${read.reason}.`);
      } else if (read.value.version !== file.n || read.value.sessionId !== sessionId) {
        problems.push(`Scorecard ${file.n} belongs to another session or version; it was skipped.`);
      } else {
        scorecards.push(read.value);
      }
    }
    return { scorecards, problems };
  }

  /** Saves a new version and returns it as stored. */
  save(draft: ScorecardDraft): Promise<Scorecard> {
    const previous = this.chains.get(draft.sessionId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.write(draft));
    this.chains.set(draft.sessionId, next);
    return next;
  }

  private async write(draft: ScorecardDraft): Promise<Scorecard> {
    const dir = this.directory(draft.sessionId);
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw toStorageError(err, dir, { consequence: 'the scorecard was not saved.' });
    }
    for (let attempt = 1; ; attempt++) {
      // Numbers come from the folder, not from readable files: a corrupt 3.json still
      // holds number 3, so the next save never replaces it.
      const names = await readdir(dir).catch((err: unknown) => {
        throw toStorageError(err, dir, { action: 'read' });
      });
      const highest = names.reduce((max, name) => {
        const n = Number(FILE_PATTERN.exec(name)?.[1] ?? 0);
        return Math.max(max, n);
      }, 0);
      const card = scorecardSchema.parse({
        ...draft,
        schemaVersion: SCORECARD_SCHEMA_VERSION,
        version: highest + 1,
        createdAt: this.now().toISOString(),
      });
      const claimed = await writeFileExclusive(
        join(dir, `${card.version}.json`),
        `${JSON.stringify(card, null, 2)}\n`,
      );
      if (claimed) return card;
      if (attempt >= MAX_CLAIM_ATTEMPTS) {
        throw new StorageError(
          'exists',
          `Scorecard ${card.version} was taken by another Mockloop window ${attempt} times; try again.`,
          dir,
        );
      }
    }
  }
}

/**
 * Writes `path` whole and only if it does not exist yet: the content goes to a temp file
 * (fsynced), which is then hard-linked into place — a link never replaces a file, so a
 * number taken meanwhile by another process makes this return false instead.
 */
async function writeFileExclusive(path: string, data: string): Promise<boolean> {
  const temp = join(dirname(path), tempFileNameFor(path));
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, path);
      return true;
    } catch (err) {
      if ((err as { code?: unknown }).code === 'EEXIST') return false;
      throw err;
    }
  } catch (err) {
    throw toStorageError(err, path, { consequence: 'the scorecard was not saved.' });
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}
