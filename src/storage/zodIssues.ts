import type { z } from 'zod';

/**
 * Turns zod issues into words for people editing files by hand: a dotted field path
 * (`questions.2.followUps`) and a short reason, instead of zod's generic phrasing.
 */

type Issue = z.core.$ZodIssue;

/** `questions.2.followUps`; the empty path becomes `(top level)`. */
export function issueField(issue: Pick<Issue, 'path'>): string {
  return issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
}

/** Per-parse error map: plainer wording for the mistakes hand-edited files actually have. */
export const plainIssueMessages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `is missing (expected ${issue.expected})`;
  }
  if (issue.code === 'too_small' && issue.minimum === 1) {
    if (issue.origin === 'string') return 'must not be empty';
    if (issue.origin === 'array') return 'needs at least one entry';
  }
  return undefined;
};

/** One line naming up to `max` issues, for a single-reason summary. */
export function describeIssues(issues: readonly Issue[], max = 3): string {
  const shown = issues.slice(0, max).map((i) => `${issueField(i)}: ${i.message}`);
  const more = issues.length > max ? ` (and ${issues.length - max} more)` : '';
  return shown.join('; ') + more;
}
