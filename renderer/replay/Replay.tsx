import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { ReplayData } from '../../src/api/replayContract';
import type { Annotation } from '../../src/core/annotations';
import {
  nextTurnStart,
  positionAt,
  previousTurnStart,
  sentenceTimeline,
} from '../../src/core/sentenceTimeline';
import { useApp } from '../state/appStore';
import type { NoteDraft } from './AnnotationEditor';
import { AnnotationsPanel } from './AnnotationsPanel';
import { PlayerControls } from './PlayerControls';
import { QuestionsPanel } from './QuestionsPanel';
import { ReplayTranscript, type TextSelection } from './ReplayTranscript';
import { seekReplayTo, useReplay } from './replayStore';
import { useReplayKeys } from './useReplayKeys';
import { Waveform, type Span } from './Waveform';
import './replay.css';

// CodeMirror loads only for sessions that had a code pad or whiteboard.
const WorkspaceReplay = lazy(() => import('./WorkspaceReplay'));

/**
 * A finished session replayed as a coach would review it: both voices on a waveform,
 * the transcript following along, notes, and answer-again for each question.
 */
export function Replay({ data }: { data: ReplayData }) {
  const api = useApp((s) => s.api);
  const { session } = data;
  const [annotations, setAnnotations] = useState<Annotation[]>(data.annotations);
  const [draft, setDraft] = useState<NoteDraft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => () => useReplay.getState().reset(), []);

  const turns = useMemo(
    () => [...session.turns].sort((a, b) => a.startMs - b.startMs),
    [session.turns],
  );
  const timelines = useMemo(() => turns.map(sentenceTimeline), [turns]);
  const onTime = useCallback(
    (ms: number) => useReplay.getState().setPosition(positionAt(turns, timelines, ms)),
    [turns, timelines],
  );
  const skip = (ms: number) => {
    const { player } = useReplay.getState();
    if (player) seekReplayTo(player.currentMs() + ms);
  };
  const nextTurn = () => {
    const { player } = useReplay.getState();
    const next = player ? nextTurnStart(turns, player.currentMs()) : null;
    if (next !== null) seekReplayTo(next);
  };
  const previousTurn = () => {
    const { player } = useReplay.getState();
    if (player) seekReplayTo(previousTurnStart(turns, player.currentMs()));
  };
  useReplayKeys({ skip, nextTurn, previousTurn });

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const replaceNote = (next: Annotation) =>
    setAnnotations((list) =>
      [...list.filter((a) => a.id !== next.id), next].sort((a, b) => a.startMs - b.startMs),
    );

  const startDraft = (span: Span | TextSelection) =>
    setDraft({ tag: '', note: '', ...span, startMs: span.startMs, endMs: span.endMs });
  const pending = draft ? { startMs: draft.startMs, endMs: draft.endMs } : null;

  return (
    <>
      <section className="panel replay-panel" aria-labelledby="replay-heading">
        <h2 id="replay-heading">Replay</h2>
        {data.peaks && data.audioUrl && data.peaks.frames > 0 ? (
          <>
            <PlayerControls onPreviousTurn={previousTurn} onNextTurn={nextTurn} onSkip={skip} />
            <Waveform
              audioUrl={data.audioUrl}
              peaks={data.peaks}
              durationMs={(data.peaks.frames / data.peaks.sampleRate) * 1000}
              turns={turns}
              annotations={annotations}
              pending={pending}
              onSelectSpan={startDraft}
              onTime={onTime}
              laneLabels={['You', session.persona.name.split(' ')[0] ?? 'Interviewer']}
            />
            <p className="hint">
              Space play/pause · ←/→ 5 s · Shift+←/→ or [ ] previous/next turn · +/− zoom · drag
              across the waveform to add a note.
            </p>
          </>
        ) : (
          <p className="banner banner-info" role="status">
            {data.audioProblem ?? 'This session has no recording to replay.'}
          </p>
        )}
        {error && (
          <div role="alert" className="banner banner-error">
            {error}
          </div>
        )}
      </section>
      <Suspense fallback={null}>
        <WorkspaceReplay sessionId={session.id} />
      </Suspense>
      <div className="replay-columns">
        <section className="panel transcript-panel" aria-labelledby="replay-transcript-heading">
          <h2 id="replay-transcript-heading">Transcript</h2>
          {!session.transcriptAvailable && (
            <p className="hint">
              This round ran without a transcript: turns are timed and playable, but not written
              out.
            </p>
          )}
          <ReplayTranscript
            turns={turns}
            timelines={timelines}
            interviewerName={session.persona.name}
            onSelectText={startDraft}
          />
        </section>
        <div className="replay-side">
          <AnnotationsPanel
            annotations={annotations}
            problem={data.annotationsProblem}
            draft={draft}
            busy={busy}
            onCancelDraft={() => setDraft(null)}
            onSaveDraft={(d) =>
              void run(async () => {
                const saved = await api.call('annotations.add', {
                  sessionId: session.id,
                  startMs: d.startMs,
                  endMs: d.endMs,
                  tag: d.tag,
                  note: d.note,
                  ...(d.quote ? { quote: d.quote } : {}),
                  ...(d.turnId ? { turnId: d.turnId } : {}),
                });
                replaceNote(saved);
                setDraft(null);
              })
            }
            onUpdate={(a, d) =>
              void run(async () => {
                replaceNote(
                  await api.call('annotations.update', {
                    sessionId: session.id,
                    id: a.id,
                    revision: a.revision,
                    tag: d.tag,
                    note: d.note,
                  }),
                );
              })
            }
            onDelete={(a) =>
              void run(async () => {
                await api.call('annotations.delete', { sessionId: session.id, id: a.id });
                setAnnotations((list) => list.filter((x) => x.id !== a.id));
              })
            }
          />
          <QuestionsPanel
            sessionId={session.id}
            questions={data.questions}
            attempts={data.attempts}
            canAnswerAgain={session.status !== 'recording'}
          />
        </div>
      </div>
    </>
  );
}
