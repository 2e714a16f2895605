import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loopRunSchema, type LoopRun } from '../core/loopRun';
import { readJsonFile, writeFileAtomic } from './atomicFile';
import { newSessionId, sessionDirectory } from './sessionPaths';
import { StorageError, toStorageError } from './storageError';

/** `<data>/loops/<id>/loop.json`, written atomically; ids are checked like session ids. */
export class LoopRunStore {
  private readonly dir: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'loops');
  }

  async create(init: Pick<LoopRun, 'loopId' | 'loopTitle' | 'rounds'>): Promise<LoopRun> {
    const now = new Date();
    const run: LoopRun = loopRunSchema.parse({
      schemaVersion: 1,
      id: newSessionId(now),
      createdAt: now.toISOString(),
      ...init,
    });
    await this.write(run);
    return run;
  }

  async get(id: string): Promise<LoopRun> {
    const file = join(sessionDirectory(this.dir, id), 'loop.json');
    const result = await readJsonFile(file, loopRunSchema);
    if (!result.ok) {
      throw new StorageError(
        result.kind === 'missing' ? 'not-found' : 'corrupt',
        result.kind === 'missing'
          ? `Loop run ${id} was not found.`
          : `Loop run ${id} cannot be opened: ${result.reason}`,
        file,
      );
    }
    return result.value;
  }

  async list(): Promise<LoopRun[]> {
    let ids: string[] = [];
    try {
      ids = (await readdir(this.dir, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw toStorageError(error, this.dir, { action: 'read' });
    }
    const runs = await Promise.all(ids.map((id) => this.get(id).catch(() => null)));
    return runs
      .filter((r): r is LoopRun => r !== null)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Read, change and write one run at a time, so two updates never interleave. */
  update(id: string, change: (run: LoopRun) => LoopRun): Promise<LoopRun> {
    const next = this.chain.then(async () => {
      const run = loopRunSchema.parse(change(await this.get(id)));
      await this.write(run);
      return run;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async write(run: LoopRun): Promise<void> {
    const folder = sessionDirectory(this.dir, run.id);
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      throw toStorageError(error, folder, { consequence: 'the loop was not saved.' });
    }
    await writeFileAtomic(join(folder, 'loop.json'), `${JSON.stringify(run, null, 2)}\n`);
  }
}
