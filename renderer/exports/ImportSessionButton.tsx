import { useRef, useState } from 'react';
import { IMPORT_UPLOAD_PATH } from '../../src/core/sessionExport';
import { useApp } from '../state/appStore';
import { percent, uploadFile } from './fileTransfer';
import { TransferStatus, type TransferState } from './TransferStatus';
import './exports.css';

/**
 * "Import session" on the home screen's session list: a bundle exported on another
 * machine (`*.mockloop.tar`). The desktop opens the system's file dialog from the backend;
 * browser mode picks the file here and uploads it.
 */
export function ImportSessionButton() {
  const { api, refresh, go } = useApp();
  const [status, setStatus] = useState<TransferState>({ kind: 'idle' });
  const picker = useRef<HTMLInputElement>(null);
  const desktop = Boolean(window.mockloop);

  const finish = async (sessionId: string, title: string) => {
    setStatus({
      kind: 'done',
      text: (
        <>
          Imported “{title}”.{' '}
          <button type="button" className="link" onClick={() => go({ name: 'session', sessionId })}>
            Open it
          </button>
        </>
      ),
    });
    await refresh();
  };
  const fail = (e: unknown) =>
    setStatus({ kind: 'error', text: e instanceof Error ? e.message : String(e) });

  const start = async () => {
    if (!desktop) {
      picker.current?.click();
      return;
    }
    setStatus({ kind: 'busy', text: 'Importing…' });
    try {
      const outcome = await api.call('sessions.import', {});
      if (outcome.kind === 'imported') await finish(outcome.sessionId, outcome.title);
      else setStatus({ kind: 'idle' });
    } catch (e) {
      fail(e);
    }
  };

  const upload = async (file: File) => {
    setStatus({ kind: 'busy', text: `Importing ${file.name}…` });
    try {
      const { sessionId, title } = await uploadFile(IMPORT_UPLOAD_PATH, file, (f) =>
        setStatus({ kind: 'busy', text: `Importing ${file.name}…${percent(f)}` }),
      );
      await finish(sessionId, title);
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div className="import-session">
      <button
        type="button"
        className="secondary"
        disabled={status.kind === 'busy'}
        onClick={() => void start()}
      >
        Import session
      </button>
      <input
        ref={picker}
        type="file"
        hidden
        aria-label="Session bundle to import"
        accept=".tar,application/x-tar"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void upload(file);
        }}
      />
      <TransferStatus state={status} />
    </div>
  );
}
