import { reviewDocument, type Block, type Inline, type ListItem } from './reviewDocument';
import type { SessionExport } from './sessionExport';

/**
 * The PDF export's one template: the review document (reviewDocument.ts) as a standalone
 * HTML page with print CSS. The desktop prints it with Electron's `printToPDF`, browser
 * mode and the CLI with headless Chromium — the same string either way.
 *
 * Everything from the session is escaped; the page loads nothing and runs nothing (its
 * Content-Security-Policy forbids every fetch and script), so a transcript cannot reach
 * out of the printer.
 */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function inline(parts: readonly Inline[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return escapeHtml(p);
      if ('strong' in p) return `<strong>${escapeHtml(p.strong)}</strong>`;
      if ('em' in p) return `<em>${escapeHtml(p.em)}</em>`;
      return `<code>${escapeHtml(p.code)}</code>`;
    })
    .join('');
}

function list(items: readonly ListItem[]): string {
  const lis = items.map((item) => {
    const box =
      item.checked === undefined
        ? ''
        : `<span class="box" aria-label="${item.checked ? 'covered' : 'not covered'}">${item.checked ? '☑' : '☐'}</span> `;
    const quote = item.quote ? `<blockquote>${escapeHtml(item.quote)}</blockquote>` : '';
    const children = item.children && item.children.length > 0 ? list(item.children) : '';
    return `<li>${box}${inline(item.parts)}${quote}${children}</li>`;
  });
  return `<ul>${lis.join('')}</ul>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${inline(b.parts)}</p>`;
    case 'list':
      return list(b.items);
    case 'code':
      return `<pre class="code"><code>${escapeHtml(b.text)}</code></pre>`;
    case 'figure':
      // diagramSvg escapes every text it draws; the words follow for readers without SVG.
      return `<figure class="diagram">${b.svg}<figcaption>${escapeHtml(b.text)}</figcaption></figure>`;
    case 'table':
      return `<table><thead><tr>${b.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
        .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
  }
}

const PRINT_CSS = `
@page { size: A4; margin: 16mm 14mm 18mm; }
html { font: 10.5pt/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1b1f24; }
body { margin: 0; }
h1 { font-size: 18pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; margin: 16pt 0 6pt; padding-bottom: 2pt; border-bottom: 1px solid #c9d1d9; break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; break-after: avoid; }
p { margin: 4pt 0; }
ul { margin: 2pt 0 6pt; padding-left: 16pt; }
li { margin: 2pt 0; break-inside: avoid; }
li li { color: #3d444d; }
blockquote { margin: 2pt 0 2pt 4pt; padding-left: 8pt; border-left: 3px solid #c9d1d9; color: #3d444d; }
code { font-family: "DejaVu Sans Mono", Menlo, monospace; background: #eef1f4; padding: 0 3pt; border-radius: 3pt; }
table { border-collapse: collapse; margin: 4pt 0 8pt; }
th, td { text-align: left; padding: 2pt 10pt 2pt 0; border-bottom: 1px solid #e1e4e8; vertical-align: top; }
tr { break-inside: avoid; }
em { color: #57606a; }
pre.code { font: 8.5pt/1.35 "DejaVu Sans Mono", Menlo, monospace; background: #f6f8fa; border: 1px solid #e1e4e8; padding: 6pt 8pt; white-space: pre-wrap; word-break: break-word; }
pre.code code { background: none; padding: 0; }
figure.diagram { margin: 6pt 0; break-inside: avoid; }
figure.diagram svg { width: 100%; max-height: 150mm; }
figure.diagram figcaption { white-space: pre-wrap; font-size: 8.5pt; color: #57606a; margin-top: 4pt; }
.box { font-family: "DejaVu Sans", sans-serif; }
`;

export function renderReviewHtml(data: SessionExport): string {
  const doc = reviewDocument(data);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${PRINT_CSS}</style>`,
    '</head>',
    '<body>',
    ...doc.blocks.map(block),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
