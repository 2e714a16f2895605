import type { SettingsView } from '../../src/api/contract';

/** Hosts that are this computer: a model server there (Ollama, LM Studio…) is local. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * Whether a round started now keeps everything on this computer: every stage offline
 * (embedded, local speech recognition, none) or served from this machine. Shown only
 * when true — never a promise the settings do not keep.
 */
export function staysOnThisComputer(view: SettingsView): boolean {
  const { stt, interviewer, tts } = view.effective;
  const serverIsLocal = (() => {
    const base = view.settings.openai.baseUrl;
    if (!base) return false;
    try {
      return LOCAL_HOSTS.has(new URL(base).hostname);
    } catch {
      return false;
    }
  })();
  const local = (kind: string | undefined) =>
    kind === undefined ||
    kind === 'embedded' ||
    kind === 'local' ||
    (kind === 'openai' && serverIsLocal);
  return local(stt?.kind) && local(interviewer.kind) && local(tts.kind);
}
