import { useState } from 'react';
import type { ApiResponses, SettingsView } from '../../src/api/contract';
import { useApp } from '../state/appStore';

const STORAGE_NOTE: Record<SettingsView['apiKeyStorage'], string> = {
  encrypted: 'A key you enter is stored encrypted with your system keychain.',
  'plain-text':
    'This Linux system has no keyring, so a key you enter is stored in plain text in your profile folder. Prefer OPENAI_API_KEY here.',
  memory:
    'Browser mode keeps a key you enter in the server process only, until it stops. Set OPENAI_API_KEY to keep one.',
};

const SOURCE_NOTE: Record<SettingsView['apiKeySource'], string> = {
  entered: 'A key entered here is in use.',
  environment: 'The key from OPENAI_API_KEY is in use.',
  none: 'No key is set: rounds run offline.',
};

/** Enter, remove and check the API key. The key goes to the backend and never comes back. */
export function ApiKeyPanel({ onModels }: { onModels(models: string[]): void }) {
  const { api, settings: view, setSettings } = useApp();
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [check, setCheck] = useState<ApiResponses['settings.checkConnection'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!view) return null;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const checkNow = () =>
    run(async () => {
      const result = await api.call('settings.checkConnection', {});
      setCheck(result);
      if (result.models.length > 0) onModels(result.models);
    });

  return (
    <div className="key-panel">
      <p className="muted">
        {SOURCE_NOTE[view.apiKeySource]} {STORAGE_NOTE[view.apiKeyStorage]}
      </p>
      <form
        className="key-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!draft.trim()) return;
          void run(async () => {
            setSettings(await api.call('settings.setApiKey', { key: draft.trim() }));
            setDraft('');
            await checkNow();
          });
        }}
      >
        <label className="field grow">
          <span>OpenAI API key</span>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder={view.apiKeySource === 'none' ? 'sk-…' : '•••••••• (set)'}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={busy || !draft.trim()}>
          Save key
        </button>
        {view.apiKeySource === 'entered' && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() =>
              void run(async () => setSettings(await api.call('settings.setApiKey', { key: null })))
            }
          >
            Remove key
          </button>
        )}
        <button type="button" className="secondary" disabled={busy} onClick={() => void checkNow()}>
          Check connection
        </button>
      </form>
      {busy && (
        <p role="status" className="muted">
          Checking…
        </p>
      )}
      {check && (
        <p role="status" className={`banner ${check.ok ? 'banner-info' : 'banner-error'}`}>
          {check.message}
          {check.ok && check.models.length > 0 && ` ${check.models.length} models available.`}
        </p>
      )}
      {error && (
        <p role="alert" className="banner banner-error">
          {error}
        </p>
      )}
    </div>
  );
}
