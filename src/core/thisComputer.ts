/** Hosts that are this computer: a model server there (Ollama, LM Studio…) is local. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether a server address points at this computer (false for anything unparsable). */
export function isOnThisComputer(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}
