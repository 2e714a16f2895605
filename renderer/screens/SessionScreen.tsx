import { useEffect, useState } from 'react';
import type { SessionDetail } from '../../src/api/contract';
import { NotesView } from '../components/NotesView';
import { SummaryView } from '../components/SummaryView';
import { TranscriptView } from '../components/TranscriptView';
import { dateTime } from '../format';
import { useApp } from '../state/appStore';

export function SessionScreen({ sessionId }: { sessionId: string }) {
  const { api, go } = useApp();
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('sessions.get', { id: sessionId })
      .then(setDetail)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, sessionId]);

  return (
    <main className="screen">
      <header className="topbar">
        <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
          Back to rounds
        </button>
        <h1>{detail ? detail.session.round.title : 'Session'}</h1>
      </header>
      {error && (
        <div role="alert" className="banner banner-error">
          {error}
        </div>
      )}
      {detail && (
        <>
          <p className="muted">
            {detail.session.round.loopTitle} · with {detail.session.persona.name} ·{' '}
            {dateTime(detail.session.createdAt)} · {detail.session.status}
          </p>
          <SummaryView summary={detail.summary} />
          <NotesView session={detail.session} />
          <section className="panel" aria-labelledby="transcript-heading">
            <h2 id="transcript-heading">Turns</h2>
            <TranscriptView
              turns={detail.session.turns}
              interviewerName={detail.session.persona.name}
            />
          </section>
        </>
      )}
    </main>
  );
}
