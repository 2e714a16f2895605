import type { SettingsView } from '../../src/api/contract';
import { isOnThisComputer } from '../../src/core/thisComputer';

/**
 * Whether a round started now keeps everything on this computer: every stage offline
 * (embedded, local speech recognition, none) or served from this machine. Shown only
 * when true — never a promise the settings do not keep.
 */
export function staysOnThisComputer(view: SettingsView): boolean {
  const { stt, interviewer, tts } = view.effective;
  const serverIsLocal = isOnThisComputer(view.settings.openai.baseUrl);
  const local = (kind: string | undefined) =>
    kind === undefined ||
    kind === 'embedded' ||
    kind === 'local' ||
    (kind === 'openai' && serverIsLocal);
  return local(stt?.kind) && local(interviewer.kind) && local(tts.kind);
}
