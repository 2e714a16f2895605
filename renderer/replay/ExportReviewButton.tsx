import { useState } from 'react';
import { useApp } from '../state/appStore';

/** Downloads the session's review (turns, notes, attempts) as a Markdown file. */
export function ExportReviewButton({ sessionId }: { sessionId: string }) {
  const api = useApp((s) => s.api);
  const [error, setError] = useState<string | null>(null);
  const exportReview = async () => {
    setError(null);
    try {
      const { fileName, markdown } = await api.call('sessions.exportReview', { id: sessionId });
      const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <>
      <button type="button" className="secondary" onClick={() => void exportReview()}>
        Export review
      </button>
      {error && (
        <span role="alert" className="banner banner-error">
          {error}
        </span>
      )}
    </>
  );
}
