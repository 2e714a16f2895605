import { mkdir, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import {
  applySettingsPatch,
  defaultSettings,
  settingsPatchSchema,
  settingsSchema,
  type Settings,
  type SettingsPatch,
} from '../core/settings';
import { readJsonFile, writeFileAtomic, type JsonReadFailure } from './atomicFile';
import { StorageError, toStorageError } from './storageError';
import { describeIssues, plainIssueMessages } from './zodIssues';

/**
 * `<data>/settings.json`. A damaged file must never stop the app from starting, and must
 * never be silently replaced either (it may hold choices the user wants back): it is
 * moved aside to `settings.json.corrupt-<time>`, defaults are used, and the problem is
 * reported so the UI can say so.
 */

export interface SettingsLoadResult {
  settings: Settings;
  /**
   * Why the saved file could not be used and what happened to it. Kept across later loads
   * (after the move the file is simply missing) until settings are saved again.
   */
  problems: string[];
}

export class SettingsStore {
  readonly path: string;
  private readonly now: () => Date;
  private current: Settings | undefined;
  private problems: string[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dataDir: string,
    options: { now?: () => Date } = {},
  ) {
    this.path = join(dataDir, 'settings.json');
    this.now = options.now ?? (() => new Date());
  }

  load(): Promise<SettingsLoadResult> {
    return this.serialize(() => this.loadNow());
  }

  /** Applies `patch` to the saved settings and writes them atomically. */
  update(patch: SettingsPatch): Promise<Settings> {
    return this.serialize(async () => {
      const base = this.current ?? (await this.loadNow()).settings;
      const next = mergePatch(base, patch);
      try {
        await mkdir(this.dataDir, { recursive: true });
      } catch (err) {
        throw toStorageError(err, this.dataDir, { consequence: 'settings were not saved.' });
      }
      await writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`);
      this.current = next;
      this.problems = [];
      return next;
    });
  }

  private async loadNow(): Promise<SettingsLoadResult> {
    const read = await readJsonFile(this.path, settingsSchema);
    if (read.ok) {
      this.current = read.value;
      return { settings: read.value, problems: [...this.problems] };
    }
    const settings = defaultSettings();
    this.current = settings;
    if (read.kind !== 'missing') this.problems = [await this.setAside(read.kind, read.reason)];
    return { settings, problems: [...this.problems] };
  }

  /** Moves a damaged settings.json out of the way; returns the problem to report. */
  private async setAside(kind: JsonReadFailure, reason: string): Promise<string> {
    if (kind === 'unreadable') return `Settings could not be read, defaults are in use: ${reason}`;
    const aside = `${this.path}.corrupt-${this.now().toISOString().replaceAll(':', '-')}`;
    try {
      await rename(this.path, aside);
    } catch (err) {
      const why = toStorageError(err, this.path).message;
      return `${reason}. Defaults are in use; the damaged file could not be moved aside (${why}), so saving settings will replace it.`;
    }
    return `${reason}. Defaults are in use; the damaged file was kept as ${basename(aside)}.`;
  }

  private serialize<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function mergePatch(base: Settings, patch: SettingsPatch): Settings {
  // Validate the patch's shape, but merge the patch as given: parsing fills every field the
  // patch leaves out with its default, which would silently reset the user's other choices.
  const checked = settingsPatchSchema.safeParse(patch, { error: plainIssueMessages });
  if (!checked.success) throw invalidSettings(checked.error.issues);
  try {
    return applySettingsPatch(base, patch);
  } catch (err) {
    if (err instanceof z.ZodError) throw invalidSettings(err.issues);
    throw err;
  }
}

function invalidSettings(issues: z.core.$ZodIssue[]): StorageError {
  return new StorageError('invalid-data', `Settings not saved: ${describeIssues(issues)}`);
}
