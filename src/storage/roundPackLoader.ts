import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { roundPackSchema, type RoundPack, type RoundPackProblem } from '../core/roundPack';
import { toStorageError } from './storageError';
import { issueField, plainIssueMessages } from './zodIssues';

/**
 * Loads the round packs people write by hand. One broken pack must not take the others
 * down, and its problems must point at the exact file and field, so every failure is
 * collected as a RoundPackProblem instead of thrown.
 */

export interface RoundPackLoad {
  packs: RoundPack[];
  problems: RoundPackProblem[];
}

const WHOLE_FILE = '(file)';

export async function loadRoundPacks(promptsDir: string): Promise<RoundPackLoad> {
  const packs: RoundPack[] = [];
  const problems: RoundPackProblem[] = [];
  let files: string[];
  try {
    files = await findYamlFiles(promptsDir);
  } catch (err) {
    const reason = toStorageError(err, promptsDir, { action: 'read' }).message;
    return { packs, problems: [{ file: '.', field: WHOLE_FILE, reason }] };
  }
  const firstFileOfId = new Map<string, string>();
  for (const path of files) {
    const file = relative(promptsDir, path).split(sep).join('/');
    const result = await loadOne(path, file);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const earlier = firstFileOfId.get(result.pack.id);
    if (earlier !== undefined) {
      problems.push({
        file,
        field: 'id',
        reason: `duplicate pack id "${result.pack.id}" (already used by ${earlier}); this file was skipped`,
      });
      continue;
    }
    firstFileOfId.set(result.pack.id, file);
    packs.push(result.pack);
  }
  return { packs, problems };
}

type LoadOne = { ok: true; pack: RoundPack } | { ok: false; problems: RoundPackProblem[] };

async function loadOne(path: string, file: string): Promise<LoadOne> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = toStorageError(err, file, { action: 'read' }).message;
    return { ok: false, problems: [{ file, field: WHOLE_FILE, reason }] };
  }
  const doc = parseDocument(text, { prettyErrors: true });
  // Only the first syntax error: the ones after it are usually knock-on effects.
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    // prettyErrors puts "at line L, column C:" on the first line, then a code excerpt.
    const summary = (syntaxError.message.split('\n')[0] ?? syntaxError.code).replace(/:$/, '');
    const reason = `YAML syntax error: ${summary}`;
    return { ok: false, problems: [{ file, field: WHOLE_FILE, reason }] };
  }
  let data: unknown;
  try {
    // Parsing can still fail here: an alias to an undefined anchor, alias bombs (the yaml
    // package caps alias expansion and throws).
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const reason = `YAML error: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, problems: [{ file, field: WHOLE_FILE, reason }] };
  }
  if (data === null || data === undefined) {
    return { ok: false, problems: [{ file, field: WHOLE_FILE, reason: 'the file is empty' }] };
  }
  const parsed = roundPackSchema.safeParse(data, { error: plainIssueMessages });
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        file,
        field: issueField(issue),
        reason: issue.message,
      })),
    };
  }
  return { ok: true, pack: parsed.data };
}

/**
 * Every `.yaml` / `.yml` below `dir`, sorted so load order (and which duplicate wins) is
 * stable. Hidden files and folders (editor backups, `.git`) are not packs.
 */
async function findYamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (path) =>
        !relative(dir, path)
          .split(sep)
          .some((part) => part.startsWith('.')),
    )
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
