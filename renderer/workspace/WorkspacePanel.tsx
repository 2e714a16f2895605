import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { WorkspaceSpec } from '../../src/api/workspaceContract';
import { useApp } from '../state/appStore';
import { useLiveRound } from '../state/liveRoundStore';
import { setLocalExcalidrawAssets } from './excalidrawAssetPath';
import './workspace.css';

// Loaded only when a round has a pad or a board: CodeMirror and Excalidraw are large.
const CodePad = lazy(() => import('./CodePad'));
const Whiteboard = lazy(() => {
  // Before Excalidraw's code loads: it reads where its fonts are as it initialises.
  setLocalExcalidrawAssets();
  return import('./Whiteboard');
});

/**
 * The live round's code pad or whiteboard, beside the conversation. Rounds whose pack
 * has no `workspace` render nothing.
 */
export function WorkspacePanel() {
  const api = useApp((s) => s.api);
  const sessionId = useLiveRound((s) => s.sessionId);
  const status = useLiveRound((s) => s.status);
  const turns = useLiveRound((s) => s.turns);
  // Keyed by session, so a new round never shows the previous round's pad.
  const [loaded, setLoaded] = useState<{ sessionId: string; spec: WorkspaceSpec } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!sessionId) return;
    let live = true;
    api
      .call('workspace.open', { sessionId })
      .then((spec) => live && setLoaded({ sessionId, spec }))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [api, sessionId]);

  const spec = loaded?.sessionId === sessionId ? loaded.spec : null;
  const onError = useCallback((message: string | null) => setError(message), []);

  const open = status === 'running' || status === 'ending';
  if (!sessionId || !spec?.kind || !open) {
    return error && open ? <ErrorBanner message={error} /> : null;
  }
  // The problem on screen follows the interviewer: the question it last asked.
  const askedId = [...turns]
    .reverse()
    .find((t) => t.speaker === 'interviewer' && t.questionId)?.questionId;
  const question = spec.questions.find((q) => q.id === askedId) ?? spec.questions[0] ?? null;
  const title = spec.kind === 'code' ? 'Code pad' : 'Whiteboard';

  return (
    <section className="panel workspace-panel" aria-labelledby="workspace-heading">
      <h2 id="workspace-heading">{title}</h2>
      {error && <ErrorBanner message={error} />}
      <Suspense fallback={<p className="hint">Loading the {title.toLowerCase()}…</p>}>
        {spec.kind === 'code' ? (
          <CodePad
            api={api}
            sessionId={sessionId}
            question={question}
            initial={spec.initial.code}
            onError={onError}
          />
        ) : (
          <>
            {question && (
              <p className="whiteboard-problem">
                <strong>{question.topic}.</strong> {question.prompt}
              </p>
            )}
            <Whiteboard
              api={api}
              sessionId={sessionId}
              initial={spec.initial.diagram}
              onError={onError}
            />
          </>
        )}
      </Suspense>
    </section>
  );
}

function ErrorBanner({ message }: { message: string }) {
  return (
    <div role="alert" className="banner banner-error">
      The interviewer may not see your latest work: {message}
    </div>
  );
}
