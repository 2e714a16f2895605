import { reviewDocument, type Block, type Inline, type ListItem } from './reviewDocument';
import type { SessionExport } from './sessionExport';

/**
 * The Markdown export: the review document (reviewDocument.ts) written as Markdown. The
 * PDF renders the same document as HTML (reviewHtml.ts).
 */
export { clockLabel } from './reviewDocument';

/**
 * Backslash-escapes what Markdown would read as formatting, so a transcript saying
 * "use *at least* 3 replicas" or "<b>" shows as said rather than as emphasis or HTML.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

function inline(parts: readonly Inline[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return escapeMarkdown(p);
      if ('strong' in p) return `**${escapeMarkdown(p.strong)}**`;
      if ('em' in p) return `_${escapeMarkdown(p.em)}_`;
      // A code span cannot escape backticks; a longer fence around it keeps it literal.
      const fence = p.code.includes('`') ? '``' : '`';
      return `${fence}${p.code.includes('`') ? ` ${p.code} ` : p.code}${fence}`;
    })
    .join('')
    .replace(/\n+/g, ' ');
}

function listLines(items: readonly ListItem[], indent: string): string[] {
  const out: string[] = [];
  for (const item of items) {
    const box = item.checked === undefined ? '' : item.checked ? '[x] ' : '[ ] ';
    out.push(`${indent}- ${box}${inline(item.parts)}`);
    if (item.quote) {
      for (const line of item.quote.split('\n')) out.push(`${indent}  > ${escapeMarkdown(line)}`);
    }
    if (item.children) out.push(...listLines(item.children, `${indent}  `));
  }
  return out;
}

function blockLines(block: Block): string[] {
  switch (block.kind) {
    case 'heading':
      return [`${'#'.repeat(block.level)} ${escapeMarkdown(block.text)}`];
    case 'paragraph':
      return [inline(block.parts)];
    case 'list':
      return listLines(block.items, '');
    case 'code': {
      // A fence longer than any backtick run inside keeps the code verbatim.
      const longest = Math.max(2, ...(block.text.match(/`+/g) ?? []).map((r) => r.length));
      const fence = '`'.repeat(longest + 1);
      return [`${fence}${block.language}`, ...block.text.split('\n'), fence];
    }
    case 'figure':
      return ['```text', ...block.text.split('\n'), '```'];
    case 'table': {
      const row = (cells: readonly string[]) =>
        `| ${cells.map((c) => escapeMarkdown(c).replace(/\n+/g, ' ')).join(' | ')} |`;
      return [
        row(block.head),
        `|${block.head.map(() => ' --- |').join('')}`,
        ...block.rows.map(row),
      ];
    }
  }
}

export function renderReviewMarkdown(data: SessionExport): string {
  const { blocks } = reviewDocument(data);
  return `${blocks.map((b) => blockLines(b).join('\n')).join('\n\n')}\n`;
}
