import { useRef, useState } from 'react';
import type { ExportFormat } from '../../src/core/sessionExport';
import { useApp } from '../state/appStore';
import { downloadFile, percent } from './fileTransfer';
import { TransferStatus, type TransferState } from './TransferStatus';
import './exports.css';

const FORMATS: { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'md', label: 'Markdown', hint: 'the review as text: scorecards, notes, transcript' },
  { format: 'pdf', label: 'PDF', hint: 'the same review, ready to print or share' },
  { format: 'json', label: 'JSON', hint: 'everything, for other tools (published schema)' },
  { format: 'bundle', label: 'Session bundle', hint: 'the whole folder, to import elsewhere' },
];

/**
 * The session screen's Export menu. On the desktop the backend asks where to save and
 * writes the file; in browser mode it answers with a URL that is downloaded here.
 */
export function ExportMenu({ sessionId }: { sessionId: string }) {
  const api = useApp((s) => s.api);
  const [status, setStatus] = useState<TransferState>({ kind: 'idle' });
  const menu = useRef<HTMLDetailsElement>(null);
  const busy = status.kind === 'busy';

  const run = async (format: ExportFormat, label: string) => {
    if (menu.current) menu.current.open = false;
    setStatus({ kind: 'busy', text: `Preparing ${label}…` });
    try {
      const outcome = await api.call('sessions.export', { id: sessionId, format });
      if (outcome.kind === 'cancelled') setStatus({ kind: 'idle' });
      else if (outcome.kind === 'saved') {
        setStatus({ kind: 'done', text: `${label} saved to ${outcome.path}` });
      } else {
        await downloadFile(outcome.url, outcome.fileName, (f) =>
          setStatus({ kind: 'busy', text: `Downloading ${label}…${percent(f)}` }),
        );
        setStatus({ kind: 'done', text: `${label} downloaded as ${outcome.fileName}` });
      }
    } catch (e) {
      setStatus({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <div className="export-menu">
      <details ref={menu}>
        <summary aria-disabled={busy}>Export</summary>
        <div role="menu" aria-label="Export this session">
          {FORMATS.map(({ format, label, hint }) => (
            <button
              key={format}
              type="button"
              role="menuitem"
              disabled={busy}
              onClick={() => void run(format, label)}
            >
              <strong>{label}</strong>
              <span className="muted">{hint}</span>
            </button>
          ))}
        </div>
      </details>
      <TransferStatus state={status} />
    </div>
  );
}
