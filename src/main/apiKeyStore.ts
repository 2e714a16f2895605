import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyStorage, KeyVault } from '../backend/keyVault';
import { writeFileAtomic } from '../storage/atomicFile';

/** The part of Electron's safeStorage this needs (handed in, so tests can fake it). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/**
 * The OpenAI key, encrypted at rest with the OS keychain through safeStorage. It never
 * leaves the main process; the renderer only learns whether one is set.
 */
export class ApiKeyStore implements KeyVault {
  private cached: string | undefined;

  constructor(
    private readonly dir: string,
    private readonly safeStorage: SafeStorageLike,
  ) {}

  private get file(): string {
    return join(this.dir, 'openai-key.bin');
  }

  /** Linux without a keyring falls back to a hard-coded password: say so to the user. */
  plainTextFallback(): boolean {
    return this.safeStorage.getSelectedStorageBackend?.() === 'basic_text';
  }

  storage(): KeyStorage {
    return this.plainTextFallback() ? 'plain-text' : 'encrypted';
  }

  async load(): Promise<string | undefined> {
    try {
      const bytes = await readFile(this.file);
      this.cached = this.safeStorage.decryptString(bytes);
    } catch {
      this.cached = undefined;
    }
    return this.cached;
  }

  get(): string | undefined {
    return this.cached;
  }

  async set(key: string | null): Promise<void> {
    if (!key) {
      await rm(this.file, { force: true });
      this.cached = undefined;
      return;
    }
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new Error('This system offers no encrypted storage; set OPENAI_API_KEY instead.');
    }
    await writeFileAtomic(this.file, this.safeStorage.encryptString(key));
    this.cached = key;
  }
}
