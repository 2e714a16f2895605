import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../src/api/contract';
import { applySettingsPatch, defaultSettings } from '../../../src/core/settings';
import { staysOnThisComputer } from '../../../renderer/state/privacy';

function view(effective: SettingsView['effective'], baseUrl = ''): SettingsView {
  return {
    settings: applySettingsPatch(defaultSettings(), { openai: { baseUrl } }),
    effective,
  } as SettingsView;
}

const embedded = { kind: 'embedded' };

describe('"Everything stays on this computer"', () => {
  it('is said when every stage runs here', () => {
    expect(staysOnThisComputer(view({ stt: null, interviewer: embedded, tts: embedded }))).toBe(
      true,
    );
    expect(
      staysOnThisComputer(
        view({
          stt: { kind: 'local', model: 'whisper-base.en' },
          interviewer: embedded,
          tts: embedded,
        }),
      ),
    ).toBe(true);
    // A local model server (Ollama, LM Studio) for the interviewer is this computer too.
    expect(
      staysOnThisComputer(
        view(
          { stt: { kind: 'local' }, interviewer: { kind: 'openai' }, tts: embedded },
          'http://127.0.0.1:11434/v1',
        ),
      ),
    ).toBe(true);
  });

  it('is never said when any stage goes to a server elsewhere', () => {
    expect(
      staysOnThisComputer(view({ stt: { kind: 'openai' }, interviewer: embedded, tts: embedded })),
    ).toBe(false);
    expect(
      staysOnThisComputer(
        view(
          { stt: { kind: 'local' }, interviewer: { kind: 'openai' }, tts: embedded },
          'https://api.example.com/v1',
        ),
      ),
    ).toBe(false);
  });
});
