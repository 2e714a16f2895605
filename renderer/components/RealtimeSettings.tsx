import type { Settings, SettingsPatch } from '../../src/core/settings';
import { useDraft } from '../state/useDraft';

type Realtime = Settings['realtime'];

/**
 * Settings → Realtime: speech-to-speech instead of the cascade, its model, and how the
 * server's voice detection decides the candidate has finished. The voice is the persona's.
 */
export function RealtimeSettings({
  settings,
  apiKeyPresent,
  models,
  disabled,
  onSave,
}: {
  settings: Realtime;
  apiKeyPresent: boolean;
  models: string[];
  disabled: boolean;
  onSave(patch: NonNullable<SettingsPatch['realtime']>): void;
}) {
  const model = useDraft(settings.model);
  const silence = useDraft(settings.silenceMs);
  const realtimeModels = models.filter((m) => /realtime/i.test(m));
  return (
    <section className="panel" aria-labelledby="realtime-heading">
      <h2 id="realtime-heading">Realtime (speech-to-speech)</h2>
      <label className="field">
        <span>Conversation engine</span>
        <select
          value={settings.mode}
          disabled={disabled}
          onChange={(e) => onSave({ mode: e.target.value as Realtime['mode'] })}
        >
          <option value="cascade">Cascade: transcription, interviewer model, speech</option>
          <option value="realtime">Realtime: one speech-to-speech model (OpenAI)</option>
        </select>
        {settings.mode === 'realtime' && !apiKeyPresent && (
          <span className="muted">
            Needs an API key; without one rounds use the offline cascade.
          </span>
        )}
      </label>
      <label className="field">
        <span>Realtime model</span>
        <input
          type="text"
          value={model.value}
          list={realtimeModels.length > 0 ? 'realtime-model-options' : undefined}
          onChange={(e) => model.set(e.target.value)}
          onBlur={() =>
            model.value.trim() &&
            model.value !== settings.model &&
            onSave({ model: model.value.trim() })
          }
        />
        {realtimeModels.length > 0 && (
          <datalist id="realtime-model-options">
            {realtimeModels.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        )}
      </label>
      <label className="field">
        <span>Turn detection</span>
        <select
          value={settings.turnDetection}
          disabled={disabled}
          onChange={(e) => onSave({ turnDetection: e.target.value as Realtime['turnDetection'] })}
        >
          <option value="semantic_vad">Semantic: the model judges when you have finished</option>
          <option value="server_vad">Silence: a pause of a set length ends your turn</option>
        </select>
      </label>
      {settings.turnDetection === 'semantic_vad' ? (
        <label className="field">
          <span>Eagerness</span>
          <select
            value={settings.eagerness}
            disabled={disabled}
            onChange={(e) => onSave({ eagerness: e.target.value as Realtime['eagerness'] })}
          >
            <option value="low">Low: waits through long pauses</option>
            <option value="medium">Medium</option>
            <option value="high">High: answers quickly</option>
            <option value="auto">Automatic</option>
          </select>
        </label>
      ) : (
        <label className="field">
          <span>Silence that ends your turn (ms)</span>
          <input
            type="number"
            min={200}
            max={5000}
            step={100}
            value={silence.value}
            onChange={(e) => silence.set(Number(e.target.value))}
            onBlur={() =>
              silence.value !== settings.silenceMs &&
              silence.value >= 200 &&
              silence.value <= 5000 &&
              onSave({ silenceMs: silence.value })
            }
          />
        </label>
      )}
      <label className="field">
        <span>Connection</span>
        <select
          value={settings.transport}
          disabled={disabled}
          onChange={(e) => onSave({ transport: e.target.value as Realtime['transport'] })}
        >
          <option value="auto">
            Automatic: WebRTC in the desktop app (a browser always uses WebSocket)
          </option>
          <option value="webrtc">
            WebRTC from the desktop window (short-lived secret, never the key)
          </option>
          <option value="websocket">WebSocket from the backend</option>
        </select>
      </label>
      <p className="muted">
        The interviewer speaks with the persona&apos;s voice. Realtime is billed per audio and text
        token; the cost meter shows the estimate.
      </p>
    </section>
  );
}
