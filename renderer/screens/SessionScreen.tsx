import { useEffect, useState } from 'react';
import type { ReplayData } from '../../src/api/replayContract';
import { NotesView } from '../components/NotesView';
import { CostView } from '../components/CostView';
import { SummaryView } from '../components/SummaryView';
import { ExportMenu } from '../exports/ExportMenu';
import { dateTime } from '../format';
import { Replay } from '../replay/Replay';
import { seekReplayTo } from '../replay/replayStore';
import { ScorecardPanel } from '../scorecard/ScorecardPanel';
import { ResumeBanner } from '../components/ResumeBanner';
import { useApp } from '../state/appStore';

export function SessionScreen({ sessionId }: { sessionId: string }) {
  const { api, go } = useApp();
  const [loaded, setDetail] = useState<ReplayData | null>(null);
  // Until the newly asked-for session arrives, show nothing of the previous one.
  const detail = loaded?.session.id === sessionId ? loaded : null;
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('replay.open', { id: sessionId })
      .then((data) => {
        performance.mark('mockloop:replay-data');
        setDetail(data);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, sessionId]);

  return (
    <main className="screen">
      <header className="topbar">
        <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
          Back to rounds
        </button>
        <h1>{detail ? detail.session.round.title : 'Session'}</h1>
        {detail && <ExportMenu sessionId={sessionId} />}
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
          <ResumeBanner session={detail.session} />
          <SummaryView summary={detail.summary} />
          {detail.session.usage && <CostView usage={detail.session.usage} />}
          <Replay key={sessionId} data={detail} />
          <ScorecardPanel key={`scorecard-${sessionId}`} sessionId={sessionId} />
          <NotesView
            session={detail.session}
            topics={Object.fromEntries(detail.questions.map((q) => [q.id, q.topic]))}
            onSeek={seekReplayTo}
          />
        </>
      )}
    </main>
  );
}
