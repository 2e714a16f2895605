import { memo, useEffect, useRef } from 'react';
import type { TimedSentence } from '../../src/core/sentenceTimeline';
import type { Turn } from '../../src/core/transcript';
import { clock } from '../format';
import { seekReplayTo, useReplay } from './replayStore';

export interface TextSelection {
  startMs: number;
  endMs: number;
  quote: string;
  turnId?: string;
}

/**
 * The transcript in step with the audio: the turn and sentence being played are
 * highlighted (sentence times inside a turn are estimated from their length); clicking a
 * sentence or a turn's time plays from there; selecting text offers a note on it.
 */
export function ReplayTranscript({
  turns,
  timelines,
  interviewerName,
  onSelectText,
}: {
  turns: readonly Turn[];
  timelines: readonly TimedSentence[][];
  interviewerName: string;
  onSelectText(selection: TextSelection): void;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  const position = useReplay((s) => s.position);
  const playing = useReplay((s) => s.playing);

  useEffect(() => {
    if (!playing || !position.turnId) return;
    const item = listRef.current?.querySelector<HTMLElement>(
      `[data-turn-id="${CSS.escape(position.turnId)}"]`,
    );
    item?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [position.turnId, playing]);

  const onMouseUp = () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    const quote = selection.toString().trim().replace(/\s+/g, ' ');
    if (quote.length < 3) return;
    const spanOf = (node: Node | null) =>
      (node instanceof Element ? node : node?.parentElement)?.closest<HTMLElement>(
        '[data-start-ms]',
      );
    const ends = [spanOf(selection.anchorNode), spanOf(selection.focusNode)].filter(
      (e): e is HTMLElement => Boolean(e) && listRef.current!.contains(e!),
    );
    if (ends.length === 0) return;
    const starts = ends.map((e) => Number(e.dataset.startMs));
    const stops = ends.map((e) => Number(e.dataset.endMs));
    const turnId = ends[0]!.closest<HTMLElement>('[data-turn-id]')?.dataset.turnId;
    onSelectText({
      startMs: Math.min(...starts),
      endMs: Math.max(...stops),
      quote: quote.slice(0, 2000),
      ...(turnId ? { turnId } : {}),
    });
  };

  return (
    <ol
      ref={listRef}
      className="transcript replay-transcript"
      aria-label="Transcript"
      onMouseUp={onMouseUp}
    >
      {turns.map((turn, i) => (
        <TranscriptTurn
          key={turn.id}
          turn={turn}
          sentences={timelines[i] ?? []}
          who={turn.speaker === 'interviewer' ? interviewerName : 'You'}
          current={position.turnId === turn.id}
          currentSentence={position.turnId === turn.id ? position.sentenceIndex : null}
        />
      ))}
    </ol>
  );
}

function seekUnlessSelecting(ms: number) {
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed && selection.toString().trim().length > 0) return;
  seekReplayTo(ms);
}

const TranscriptTurn = memo(function TranscriptTurn({
  turn,
  sentences,
  who,
  current,
  currentSentence,
}: {
  turn: Turn;
  sentences: readonly TimedSentence[];
  who: string;
  current: boolean;
  currentSentence: number | null;
}) {
  return (
    <li
      className={`turn turn-${turn.speaker}${current ? ' current' : ''}`}
      data-turn-id={turn.id}
      aria-current={current ? 'true' : undefined}
    >
      <span className="turn-who">
        {who}{' '}
        <button
          type="button"
          className="link turn-time"
          onClick={() => seekReplayTo(turn.startMs)}
          aria-label={`Play ${who === 'You' ? 'your' : `${who}'s`} turn from ${clock(turn.startMs)}`}
        >
          {clock(turn.startMs)}
        </button>
      </span>
      <span className="turn-text" data-start-ms={turn.startMs} data-end-ms={turn.endMs}>
        {turn.text === null ? (
          <em
            className="muted sentence"
            role="button"
            tabIndex={-1}
            onClick={() => seekUnlessSelecting(turn.startMs)}
          >
            Spoke for {Math.round((turn.endMs - turn.startMs) / 1000)} s — no transcript (offline).
          </em>
        ) : sentences.length === 0 ? (
          <em className="muted">(nothing heard)</em>
        ) : (
          sentences.map((s) => (
            <span
              key={s.index}
              className={`sentence${currentSentence === s.index ? ' current' : ''}`}
              role="button"
              tabIndex={-1}
              data-start-ms={Math.round(s.startMs)}
              data-end-ms={Math.round(s.endMs)}
              title={`Play from ${clock(s.startMs)}`}
              onClick={() => seekUnlessSelecting(s.startMs)}
            >
              {s.text}{' '}
            </span>
          ))
        )}
        {turn.interrupted && <span className="tag">interrupted</span>}
      </span>
    </li>
  );
});
