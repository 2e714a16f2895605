import { useEffect, useId, useRef, useState } from 'react';
import { DIAGRAM_LINE_HEIGHT, diagramDrawing } from '../../src/core/diagramShapes';
import type { WorkspaceResponses } from '../../src/api/workspaceContract';
import { snapshotAt, type DiagramElement } from '../../src/core/workspace';
import { createCodeEditor, LANGUAGE_LABELS, type CodeEditor } from '../workspace/codeEditor';
import { RunResultView } from '../workspace/RunResultView';
import { clock as formatClock } from '../format';
import { useApp } from '../state/appStore';
import { seekReplayTo, useReplay } from './replayStore';
import '../workspace/workspace.css';

type History = WorkspaceResponses['workspace.history'];

/** More jump buttons than this crowd the panel; the list is thinned evenly. */
const MAX_JUMPS = 24;
const SEEK_SLACK_MS = 100;

/**
 * The code pad or whiteboard as it was at the replay's playhead: a read-only editor or a
 * drawing of the board, with buttons to jump to each saved change. Loaded only for
 * sessions that had a workspace.
 */
export default function WorkspaceReplay({ sessionId }: { sessionId: string }) {
  const api = useApp((s) => s.api);
  const [history, setHistory] = useState<History | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The audio element reports its position a hair before where it was sent (it counts in
  // samples); a jump to a change must land on that change, not just before it.
  const atMs = useReplay((s) => s.currentMs) + SEEK_SLACK_MS;

  useEffect(() => {
    let live = true;
    api
      .call('workspace.history', { sessionId })
      .then((h) => live && setHistory(h))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [api, sessionId]);

  if (error || history?.problem) {
    return (
      <p className="banner banner-error" role="alert">
        {error ?? history?.problem}
      </p>
    );
  }
  const workspace = history?.workspace;
  if (!workspace) return null;
  // Each saved change, and for code each run: the moments worth jumping to.
  const times = [
    ...new Set(
      workspace.kind === 'code'
        ? [...workspace.code, ...workspace.runs].map((s) => s.atMs).sort((a, b) => a - b)
        : workspace.diagram.map((s) => s.atMs),
    ),
  ];
  // One button per shown second (its latest moment), thinned evenly when there are many.
  const latest = new Map(times.map((ms) => [formatClock(ms), ms]));
  const distinct = [...latest.values()];
  const step = Math.ceil(distinct.length / MAX_JUMPS);
  const jumps = distinct.filter((_, i) => i % step === 0 || i === distinct.length - 1);
  const title = workspace.kind === 'code' ? 'Code pad' : 'Whiteboard';

  return (
    <section className="panel workspace-replay" aria-labelledby="workspace-replay-heading">
      <h2 id="workspace-replay-heading">{title}</h2>
      <p className="hint workspace-replay-meta" aria-live="polite">
        As it was at {formatClock(atMs)}
      </p>
      {workspace.kind === 'code' ? (
        <CodeAt history={workspace} atMs={atMs} />
      ) : (
        <DiagramAt elements={snapshotAt(workspace.diagram, atMs)?.elements ?? null} />
      )}
      {jumps.length > 0 && (
        <div className="actions" role="group" aria-label={`Changes to the ${title.toLowerCase()}`}>
          {jumps.map((ms) => (
            <button
              key={ms}
              type="button"
              className="secondary"
              aria-label={`Show the ${title.toLowerCase()} at ${formatClock(ms)}`}
              onClick={() => seekReplayTo(ms)}
            >
              {formatClock(ms)}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

function CodeAt({ history, atMs }: { history: NonNullable<History['workspace']>; atMs: number }) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<CodeEditor | null>(null);
  const labelId = useId();
  const snapshot = snapshotAt(history.code, atMs);
  const run = snapshotAt(history.runs, atMs);
  const code = snapshot?.code ?? '';
  const language = snapshot?.language ?? 'python';

  useEffect(() => {
    if (!host.current) return;
    editor.current = createCodeEditor({
      parent: host.current,
      doc: '',
      language: 'python',
      label: 'Code at the playhead (read only)',
      readOnly: true,
    });
    return () => {
      editor.current?.view.destroy();
      editor.current = null;
    };
  }, []);
  useEffect(() => {
    editor.current?.setCode(code);
    editor.current?.setLanguage(language);
  }, [code, language]);

  return (
    <>
      <p id={labelId} className="muted">
        {snapshot
          ? `${LANGUAGE_LABELS[language]}, last changed at ${formatClock(snapshot.atMs)}`
          : 'The pad was still empty at this point.'}
      </p>
      <div ref={host} className="code-replay-editor" aria-describedby={labelId} />
      {/* A run belongs to the code it ran: shown until the code changes again. */}
      {run && run.atMs >= (snapshot?.atMs ?? 0) && <RunResultView result={run} />}
    </>
  );
}

/**
 * A plain SVG drawing of the reduced board (shapes, arrows, words): enough to see the
 * design at that moment without loading Excalidraw into the replay.
 */
export function DiagramAt({ elements }: { elements: readonly DiagramElement[] | null }) {
  const drawing = elements ? diagramDrawing(elements) : null;
  if (!drawing) {
    return <p className="muted">The board was still empty at this point.</p>;
  }
  const texts = drawing.labels.join('; ');
  return (
    <svg
      className="diagram-svg"
      viewBox={drawing.viewBox}
      role="img"
      aria-label={`Whiteboard drawing${texts ? `: ${texts}` : ''}`}
    >
      <defs>
        <marker
          id="diagram-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="8"
          markerHeight="8"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="#1d2330" />
        </marker>
      </defs>
      {drawing.shapes.map((s) => {
        const common = { key: s.id, fill: 'none', stroke: '#1d2330', strokeWidth: 2 };
        switch (s.kind) {
          case 'rect':
            return (
              <rect
                {...common}
                x={s.x}
                y={s.y}
                width={s.width}
                height={s.height}
                rx={8}
                strokeDasharray={s.dashed ? '6 4' : undefined}
              />
            );
          case 'ellipse':
            return <ellipse {...common} cx={s.cx} cy={s.cy} rx={s.rx} ry={s.ry} />;
          case 'polygon':
            return <polygon {...common} points={s.points} />;
          case 'polyline':
            return (
              <polyline
                {...common}
                points={s.points}
                markerEnd={s.arrow ? 'url(#diagram-arrow)' : undefined}
              />
            );
          case 'text':
            return (
              <text key={s.id} x={s.x} y={s.y} fontSize={16} fill="#1d2330">
                {s.lines.map((line, i) => (
                  <tspan key={i} x={s.x} dy={i === 0 ? 0 : DIAGRAM_LINE_HEIGHT}>
                    {line}
                  </tspan>
                ))}
              </text>
            );
        }
      })}
    </svg>
  );
}
