import type { ReactNode } from 'react';

export type TransferState =
  | { kind: 'idle' }
  | { kind: 'busy'; text: string }
  | { kind: 'done'; text: ReactNode }
  | { kind: 'error'; text: string };

/** What an export or import is doing: progress read out politely, failures as alerts. */
export function TransferStatus({ state }: { state: TransferState }) {
  if (state.kind === 'idle') return null;
  if (state.kind === 'error') {
    return (
      <span role="alert" className="banner banner-error">
        {state.text}
      </span>
    );
  }
  return (
    <span className="transfer-status" role="status" aria-live="polite">
      {state.text}
    </span>
  );
}
