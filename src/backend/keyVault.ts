/**
 * Where an API key entered in Settings is kept. It stays in the backend process: the
 * renderer only ever learns whether a key is set and where it came from.
 */
export type KeyStorage = 'encrypted' | 'plain-text' | 'memory';

export interface KeyVault {
  get(): string | undefined;
  set(key: string | null): Promise<void>;
  /** How an entered key is kept, to tell the user plainly. */
  storage(): KeyStorage;
}

/** Browser mode: the key lives in the server process only, until it stops. */
export class MemoryKeyVault implements KeyVault {
  private key: string | undefined;
  get(): string | undefined {
    return this.key;
  }
  async set(key: string | null): Promise<void> {
    this.key = key ?? undefined;
  }
  storage(): KeyStorage {
    return 'memory';
  }
}

export type KeySource = 'entered' | 'environment' | 'none';

/** An entered key wins over OPENAI_API_KEY: it is the user's latest word. */
export function effectiveKey(
  vault: KeyVault,
  envKey: string | undefined,
): { key: string | undefined; source: KeySource } {
  const entered = vault.get();
  if (entered) return { key: entered, source: 'entered' };
  if (envKey) return { key: envKey, source: 'environment' };
  return { key: undefined, source: 'none' };
}
