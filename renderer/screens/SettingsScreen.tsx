import { useState } from 'react';
import { useDraft } from '../state/useDraft';
import type { SettingsPatch } from '../../src/core/settings';
import { ApiKeyPanel } from '../components/ApiKeyPanel';
import { ConnectionPolicyNotice } from '../components/ConnectionPolicyNotice';
import { LocalModelsPanel } from '../components/LocalModelsPanel';
import { LocalStackPanel } from '../components/LocalStackPanel';
import { RealtimeSettings } from '../components/RealtimeSettings';
import { useApp } from '../state/appStore';

const STAGES = [
  { key: 'stt', label: 'Speech-to-text', options: ['auto', 'openai', 'local', 'none'] },
  { key: 'interviewer', label: 'Interviewer', options: ['auto', 'openai', 'embedded'] },
  { key: 'tts', label: 'Text-to-speech', options: ['auto', 'openai', 'embedded'] },
] as const;

const OPTION_LABEL: Record<string, string> = {
  auto: 'Automatic: OpenAI with a key, else offline',
  openai: 'OpenAI or compatible server',
  embedded: 'Embedded (offline)',
  local: 'On this computer (Whisper)',
  none: 'None (no transcript)',
  fake: 'Fake (testing)',
};

export function SettingsScreen() {
  const { api, settings: view, setSettings, go } = useApp();
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [models, setModels] = useState<string[]>([]);
  if (!view) return <p>Loading settings…</p>;
  const s = view.settings;

  const save = async (patch: SettingsPatch) => {
    setSaving(true);
    try {
      setSettings(await api.call('settings.update', patch));
      setMessage('Saved.');
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <main className="screen">
      <header className="topbar">
        <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
          Back to rounds
        </button>
        <h1>Settings</h1>
      </header>
      <ConnectionPolicyNotice view={view} />
      {view.problems.map((p) => (
        <div key={p} role="alert" className="banner banner-warning">
          {p}
        </div>
      ))}
      <section className="panel" aria-labelledby="providers-heading">
        <h2 id="providers-heading">Providers</h2>
        <ApiKeyPanel onModels={setModels} />
        {STAGES.map((stage) => (
          <label key={stage.key} className="field">
            <span>{stage.label}</span>
            <select
              value={s.providers[stage.key]}
              disabled={saving}
              onChange={(e) => void save({ providers: { [stage.key]: e.target.value } })}
            >
              {[...stage.options, ...(s.providers[stage.key] === 'fake' ? ['fake'] : [])].map(
                (o) => (
                  <option key={o} value={o}>
                    {OPTION_LABEL[o]}
                  </option>
                ),
              )}
            </select>
            <span className="muted">
              In use: {view.effective[stage.key]?.kind ?? 'none'}
              {view.effective[stage.key]?.model ? ` (${view.effective[stage.key]?.model})` : ''}
            </span>
          </label>
        ))}
        <label className="field checkbox">
          <input
            type="checkbox"
            checked={s.providers.fallbackToEmbedded}
            onChange={(e) => void save({ providers: { fallbackToEmbedded: e.target.checked } })}
          />
          <span>When a model keeps failing, let the offline interviewer and voice take over</span>
        </label>
        <TextSetting
          label="Server base URL (empty for OpenAI)"
          value={s.openai.baseUrl}
          onSave={(baseUrl) => save({ openai: { baseUrl } })}
        />
        <TextSetting
          label="Transcription model"
          value={s.openai.transcriptionModel}
          onSave={(transcriptionModel) => save({ openai: { transcriptionModel } })}
          options={models}
        />
        <label className="field checkbox">
          <input
            type="checkbox"
            checked={s.openai.streamingTranscription === 'auto'}
            disabled={saving}
            onChange={(e) =>
              void save({ openai: { streamingTranscription: e.target.checked ? 'auto' : 'off' } })
            }
          />
          <span>
            Transcribe while I speak (a Realtime transcription session, where the server offers one;
            otherwise each stretch of speech is uploaded once as it ends)
          </span>
        </label>
        <TextSetting
          label="Interviewer model"
          value={s.openai.interviewerModel}
          onSave={(interviewerModel) => save({ openai: { interviewerModel } })}
          options={models}
        />
        <TextSetting
          label="Speech model"
          value={s.openai.speechModel}
          onSave={(speechModel) => save({ openai: { speechModel } })}
          options={models}
        />
      </section>
      <LocalStackPanel />
      <LocalModelsPanel
        onChange={() => void api.call('settings.get', {}).then(setSettings, () => undefined)}
      />
      <RealtimeSettings
        settings={s.realtime}
        apiKeyPresent={view.apiKeyPresent}
        models={models}
        disabled={saving}
        onSave={(realtime) => save({ realtime })}
      />
      <section className="panel" aria-labelledby="turns-heading">
        <h2 id="turns-heading">Turn-taking</h2>
        <SilenceWindow
          label="End-of-turn silence"
          hint="How long you can pause after a finished answer before the interviewer takes its turn."
          min={300}
          max={5000}
          value={s.turnTaking.endOfTurnSilenceMs}
          onSave={(endOfTurnSilenceMs) => save({ turnTaking: { endOfTurnSilenceMs } })}
        />
        <SilenceWindow
          label="Thinking pause"
          hint="How long you can pause mid-sentence (“…and”, “um”) before the interviewer speaks. Needs a transcript; offline, use Hold to think."
          min={1000}
          max={15_000}
          value={s.turnTaking.unfinishedSilenceMs}
          onSave={(unfinishedSilenceMs) => save({ turnTaking: { unfinishedSilenceMs } })}
        />
        <label className="field checkbox">
          <input
            type="checkbox"
            checked={s.turnTaking.allowInterruptions}
            onChange={(e) => void save({ turnTaking: { allowInterruptions: e.target.checked } })}
          />
          <span>Let me interrupt the interviewer by speaking</span>
        </label>
      </section>
      {message && (
        <p role="status" className="muted">
          {message}
        </p>
      )}
    </main>
  );
}

function SilenceWindow({
  label,
  hint,
  min,
  max,
  value,
  onSave,
}: {
  label: string;
  hint: string;
  min: number;
  max: number;
  value: number;
  onSave(v: number): void;
}) {
  const draft = useDraft(value);
  const commit = () => draft.value !== value && onSave(draft.value);
  return (
    <label className="field">
      <span>
        {label}: {(draft.value / 1000).toFixed(1)} s
      </span>
      <input
        type="range"
        min={min}
        max={max}
        step={100}
        aria-label={`${label} window`}
        value={draft.value}
        onChange={(e) => draft.set(Number(e.target.value))}
        onPointerUp={commit}
        onKeyUp={commit}
        onBlur={commit}
      />
      <span className="muted">{hint}</span>
    </label>
  );
}

function TextSetting({
  label,
  value,
  onSave,
  options = [],
}: {
  label: string;
  value: string;
  onSave(v: string): void;
  options?: string[];
}) {
  const draft = useDraft(value);
  const listId = `${label.replace(/\W+/g, '-').toLowerCase()}-options`;
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="text"
        value={draft.value}
        list={options.length > 0 ? listId : undefined}
        onChange={(e) => draft.set(e.target.value)}
        onBlur={() => draft.value !== value && onSave(draft.value.trim())}
      />
      {options.length > 0 && (
        <datalist id={listId}>
          {options.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      )}
    </label>
  );
}
