import { useCallback, useEffect, useState } from 'react';
import type { ModelsView, ModelView } from '../../src/api/modelsContract';
import { useApp } from '../state/appStore';

const POLL_MS = 500;

function mb(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`;
}

/**
 * Speech recognition on this computer: the models with their size, languages and speed;
 * download (progress, cancel, resume), "use a model file I already have", remove. A round
 * without a key uses the installed model; nothing is needed to start the app or a round.
 */
export function LocalModelsPanel({ onChange }: { onChange: () => void }) {
  const { api } = useApp();
  const [view, setView] = useState<ModelsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [path, setPath] = useState('');
  /** A file being taken in (a model can be hundreds of MB to copy). */
  const [importing, setImporting] = useState(false);

  const act = useCallback(
    async (call: () => Promise<ModelsView>) => {
      setError(null);
      try {
        setView(await call());
        onChange();
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    },
    [onChange],
  );
  const importWith = (call: () => Promise<ModelsView>) => {
    setImporting(true);
    void act(call).finally(() => setImporting(false));
  };

  useEffect(() => {
    void api.call('models.list', {}).then(setView, (e: unknown) => setError(String(e)));
  }, [api]);

  const running = view?.models.some((m) => m.download?.status === 'running') ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      void api.call('models.list', {}).then((next) => {
        setView(next);
        if (!next.models.some((m) => m.download?.status === 'running')) onChange();
      });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [api, running, onChange]);

  return (
    <section className="panel" aria-labelledby="local-models-heading">
      <h2 id="local-models-heading">Speech recognition on this computer</h2>
      <p className="muted">
        Whisper (whisper.cpp) hears you offline: your voice never leaves this computer. Without an
        API key a round uses the model installed here; with none, it runs without a transcript.
        Models are kept in {view?.dir ?? 'the data folder'}.
      </p>
      {view && !view.engineAvailable && (
        <div role="note" className="banner banner-warning">
          {view.engineProblem ?? 'Speech recognition cannot run on this computer.'} Models you
          download here are kept for when it can; until then rounds run without a transcript.
        </div>
      )}
      {error && (
        <div role="alert" className="banner banner-error">
          {error}
        </div>
      )}
      <ul className="models">
        {view?.models.map((m) => (
          <ModelRow
            key={m.id}
            model={m}
            inUse={view.inUse === m.id}
            onDownload={() => void act(() => api.call('models.download', { id: m.id }))}
            onCancel={() => void act(() => api.call('models.cancel', { id: m.id }))}
            onRemove={() => void act(() => api.call('models.remove', { id: m.id }))}
          />
        ))}
      </ul>
      <form
        className="field"
        aria-label="Use a model file I already have"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim() && !importing) {
            importWith(() => api.call('models.import', { path: path.trim() }));
          }
        }}
      >
        <span>Use a model file I already have (a whisper.cpp ggml .bin file)</span>
        <span className="row">
          {view?.canChooseFile && (
            <button
              type="button"
              className="secondary"
              disabled={importing}
              onClick={() => importWith(() => api.call('models.choose', {}))}
            >
              Choose file…
            </button>
          )}
          <input
            type="text"
            value={path}
            placeholder="/path/to/ggml-base.en.bin"
            aria-label="Model file path"
            onChange={(e) => setPath(e.target.value)}
          />
          <button type="submit" className="secondary" disabled={!path.trim() || importing}>
            {importing ? 'Copying…' : 'Use this file'}
          </button>
        </span>
      </form>
    </section>
  );
}

function ModelRow({
  model: m,
  inUse,
  onDownload,
  onCancel,
  onRemove,
}: {
  model: ModelView;
  inUse: boolean;
  onDownload: () => void;
  onCancel: () => void;
  onRemove: () => void;
}) {
  const d = m.download;
  return (
    <li className="model">
      <div>
        <strong>{m.name}</strong>
        {inUse && <span className="tag">In use</span>}
        <div className="muted">
          {mb(m.bytes)} · {m.languages} · {m.speed}
          {m.memoryMb > 0 ? ` · about ${m.memoryMb} MB of memory` : ''}
        </div>
        {d?.status === 'running' && (
          <progress max={d.totalBytes} value={d.receivedBytes} aria-label={`Downloading ${m.name}`}>
            {Math.round((100 * d.receivedBytes) / d.totalBytes)}%
          </progress>
        )}
        {d?.status === 'running' && (
          <span className="muted">
            {' '}
            {mb(d.receivedBytes)} of {mb(d.totalBytes)}
          </span>
        )}
        {d && d.status !== 'running' && d.error && (
          <div role="alert" className="muted">
            {d.error}
          </div>
        )}
      </div>
      <div className="row">
        {m.installed ? (
          <button type="button" className="secondary" onClick={onRemove}>
            Remove {m.name}
          </button>
        ) : d?.status === 'running' ? (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel download
          </button>
        ) : (
          <button type="button" onClick={onDownload}>
            {m.partialBytes > 0
              ? `Resume download (${mb(m.partialBytes)} of ${mb(m.bytes)})`
              : `Download ${m.name}`}
          </button>
        )}
      </div>
    </li>
  );
}
