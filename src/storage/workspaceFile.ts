import { join } from 'node:path';
import { workspaceFileSchema, type WorkspaceFile } from '../core/workspace';
import { readJsonFile, writeFileAtomic } from './atomicFile';

/**
 * `<session>/workspace.json`: the code pad's or whiteboard's snapshots with their times
 * (docs/session-format.md). Replaced atomically, so a crash leaves the previous or the
 * next complete history, never a torn file.
 */

export const WORKSPACE_FILE = 'workspace.json';

export async function writeWorkspaceFile(sessionDir: string, file: WorkspaceFile): Promise<void> {
  await writeFileAtomic(join(sessionDir, WORKSPACE_FILE), JSON.stringify(file));
}

/** The saved history; `null` without a problem when the session never had a workspace. */
export async function readWorkspaceFile(
  sessionDir: string,
): Promise<{ workspace: WorkspaceFile | null; problem: string | null }> {
  const read = await readJsonFile(join(sessionDir, WORKSPACE_FILE), workspaceFileSchema);
  if (read.ok) return { workspace: read.value, problem: null };
  if (read.kind === 'missing') return { workspace: null, problem: null };
  return {
    workspace: null,
    problem: `The code pad or whiteboard history cannot be shown: ${read.reason}.`,
  };
}
