import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionListItem, SessionRecord } from '../core/session';
import { sessionDirectory } from './sessionPaths';
import { SessionStore, type SessionInit } from './sessionStore';
import { toStorageError } from './storageError';

/**
 * Answer-again attempts live inside the session they retake, so the folder stays one
 * self-contained bundle: `<session>/attempts/<n>/session.json` + `audio.wav` (+ peaks),
 * numbered 1, 2, … in the order they were made. Each attempt folder has the same format
 * as a session folder and is handled by a SessionStore rooted at `<session>/attempts`, so
 * recording, crash repair and peaks work exactly as for whole rounds.
 */
export const ATTEMPTS_DIR = 'attempts';

export class AttemptStore {
  private readonly stores = new Map<string, SessionStore>();
  /** Next number to hand out per session; refreshed from disk before each create. */
  private readonly next = new Map<string, number>();

  constructor(
    private readonly sessionsDir: string,
    private readonly options: { now?: () => Date } = {},
  ) {}

  attemptsDir(sessionId: string): string {
    return join(sessionDirectory(this.sessionsDir, sessionId), ATTEMPTS_DIR);
  }

  /** The store of one session's attempts; attempt ids are their numbers as strings. */
  storeFor(sessionId: string): SessionStore {
    let store = this.stores.get(sessionId);
    if (!store) {
      store = new SessionStore(this.sessionsDir, {
        sessionsDir: this.attemptsDir(sessionId),
        ...(this.options.now ? { now: this.options.now } : {}),
        newId: () => {
          const n = this.next.get(sessionId) ?? 1;
          this.next.set(sessionId, n + 1);
          return String(n);
        },
      });
      this.stores.set(sessionId, store);
    }
    return store;
  }

  async create(
    sessionId: string,
    init: SessionInit,
  ): Promise<{ attempt: number; record: SessionRecord }> {
    const numbers = await this.numbers(sessionId);
    this.next.set(sessionId, Math.max(this.next.get(sessionId) ?? 1, (numbers.at(-1) ?? 0) + 1));
    const record = await this.storeFor(sessionId).create(init);
    return { attempt: Number(record.id), record };
  }

  /** Attempts of a session in the order they were made; unreadable ones are reported. */
  async list(sessionId: string): Promise<{ attempts: SessionListItem[]; problems: string[] }> {
    const { sessions, problems } = await this.storeFor(sessionId).list();
    const attempts = [...sessions].sort((a, b) => Number(a.id) - Number(b.id));
    return { attempts, problems };
  }

  get(sessionId: string, attempt: number): Promise<SessionRecord> {
    return this.storeFor(sessionId).get(String(attempt));
  }

  /** Startup: attempts cut off by a crash are repaired like sessions. */
  async recoverInterrupted(sessionIds: readonly string[]): Promise<string[]> {
    const recovered: string[] = [];
    for (const id of sessionIds) {
      if ((await this.numbers(id)).length === 0) continue;
      for (const n of await this.storeFor(id).recoverInterrupted()) recovered.push(`${id}/${n}`);
    }
    return recovered;
  }

  private async numbers(sessionId: string): Promise<number[]> {
    const dir = this.attemptsDir(sessionId);
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      return entries
        .filter((e) => e.isDirectory() && /^[1-9]\d{0,3}$/.test(e.name))
        .map((e) => Number(e.name))
        .sort((a, b) => a - b);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') return [];
      throw toStorageError(err, dir, { action: 'read' });
    }
  }
}
