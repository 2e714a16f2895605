import { useState } from 'react';
import type { ApiResponses } from '../../src/api/contract';
import { useApp } from '../state/appStore';
import { isOnThisComputer } from '../../src/core/thisComputer';
import { staysOnThisComputer } from '../state/privacy';

/** Ollama's OpenAI-compatible endpoint; LM Studio uses :1234/v1, llama.cpp's server :8080/v1. */
const DEFAULT_BASE_URL = 'http://127.0.0.1:11434/v1';

/**
 * Local models all the way, in one choice: speech recognition on this computer, the
 * interviewer and scorer on a model server here (Ollama, LM Studio, llama.cpp's server),
 * and the embedded voice — then "Check connection" asks that server.
 */
export function LocalStackPanel() {
  const { api, settings: view, setSettings } = useApp();
  const [baseUrl, setBaseUrl] = useState(view?.settings.openai.baseUrl || DEFAULT_BASE_URL);
  // An OpenAI model name means nothing to a server here: start empty unless the settings
  // already point at one on this computer.
  const [model, setModel] = useState(
    isOnThisComputer(view?.settings.openai.baseUrl)
      ? (view?.settings.openai.interviewerModel ?? '')
      : '',
  );
  const [busy, setBusy] = useState(false);
  const [check, setCheck] = useState<ApiResponses['settings.checkConnection'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!view) return null;

  const applyLocalStack = async () => {
    setBusy(true);
    setError(null);
    setCheck(null);
    try {
      setSettings(
        await api.call('settings.update', {
          providers: { stt: 'local', interviewer: 'openai', tts: 'embedded' },
          openai: { baseUrl: baseUrl.trim(), interviewerModel: model.trim() },
        }),
      );
      setCheck(await api.call('settings.checkConnection', {}));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="local-stack-heading">
      <h2 id="local-stack-heading">Local models all the way</h2>
      <p className="muted">
        Speech recognition here, the interviewer and scorer on a model server on this computer
        (Ollama, LM Studio or llama.cpp&apos;s server, with its OpenAI-compatible address), and the
        embedded voice.
      </p>
      <form
        className="local-stack"
        aria-label="Local models all the way"
        onSubmit={(e) => {
          e.preventDefault();
          void applyLocalStack();
        }}
      >
        <label className="field">
          <span>Model server address</span>
          <input type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
        </label>
        <label className="field">
          <span>Model (as the server names it, e.g. llama3.1:8b)</span>
          <input
            type="text"
            value={model}
            placeholder="llama3.1:8b"
            list="local-stack-models"
            onChange={(e) => setModel(e.target.value)}
          />
          <datalist id="local-stack-models">
            {check?.models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </label>
        <button type="submit" disabled={busy || !baseUrl.trim() || !model.trim()}>
          {busy ? 'Setting up…' : 'Use local models and check the connection'}
        </button>
        {busy && (
          <p role="status" className="muted">
            Asking the server. Its first answer loads the model, which can take a minute or two.
          </p>
        )}
      </form>
      {error && (
        <div role="alert" className="banner banner-error">
          {error}
        </div>
      )}
      {check && (
        <div role="status" className={`banner ${check.ok ? 'banner-ok' : 'banner-error'}`}>
          {check.message}
          {!check.ok && check.models.length > 0 && (
            <>
              {' '}
              This server has: {check.models.slice(0, 12).join(', ')}
              {check.models.length > 12 ? ', …' : ''}.
            </>
          )}
        </div>
      )}
      <p role="status" className="muted">
        {staysOnThisComputer(view)
          ? 'Everything stays on this computer with these settings.'
          : 'With these settings, some of the round goes to a server elsewhere.'}
        {view.effective.stt === null && view.settings.providers.stt === 'local'
          ? ' No speech recognition model is installed yet: download one below.'
          : ''}
      </p>
    </section>
  );
}
