import { clock } from '../format';
import { PLAYBACK_RATES, useReplay, ZOOM_STEPS } from './replayStore';

/** Transport, speed and zoom; every control is also on the keyboard (useReplayKeys). */
export function PlayerControls({
  onPreviousTurn,
  onNextTurn,
  onSkip,
}: {
  onPreviousTurn(): void;
  onNextTurn(): void;
  onSkip(ms: number): void;
}) {
  const player = useReplay((s) => s.player);
  const playing = useReplay((s) => s.playing);
  const rate = useReplay((s) => s.rate);
  const zoomStep = useReplay((s) => s.zoomStep);
  const setRate = useReplay((s) => s.setRate);
  const zoomBy = useReplay((s) => s.zoomBy);
  const disabled = player === null;

  return (
    <div className="player-controls" role="toolbar" aria-label="Playback controls">
      <button
        type="button"
        onClick={onPreviousTurn}
        disabled={disabled}
        aria-label="Previous turn"
        aria-keyshortcuts="Shift+ArrowLeft ["
        title="Previous turn (Shift+←, [)"
      >
        « Turn
      </button>
      <button
        type="button"
        onClick={() => onSkip(-5000)}
        disabled={disabled}
        aria-label="Back 5 seconds"
        aria-keyshortcuts="ArrowLeft"
        title="Back 5 s (←)"
      >
        −5 s
      </button>
      <button
        type="button"
        className="primary play"
        onClick={() => player?.playPause()}
        disabled={disabled}
        aria-label={playing ? 'Pause' : 'Play'}
        aria-keyshortcuts="Space"
        title="Play or pause (Space)"
      >
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button
        type="button"
        onClick={() => onSkip(5000)}
        disabled={disabled}
        aria-label="Forward 5 seconds"
        aria-keyshortcuts="ArrowRight"
        title="Forward 5 s (→)"
      >
        +5 s
      </button>
      <button
        type="button"
        onClick={onNextTurn}
        disabled={disabled}
        aria-label="Next turn"
        aria-keyshortcuts="Shift+ArrowRight ]"
        title="Next turn (Shift+→, ])"
      >
        Turn »
      </button>
      <PlayheadClock />
      <label className="control-field">
        Speed
        <select
          value={rate}
          onChange={(e) => setRate(Number(e.target.value))}
          aria-label="Playback speed"
        >
          {PLAYBACK_RATES.map((r) => (
            <option key={r} value={r}>
              {r}×
            </option>
          ))}
        </select>
      </label>
      <div className="zoom" role="group" aria-label="Zoom">
        <button
          type="button"
          onClick={() => zoomBy(-1)}
          disabled={disabled || zoomStep < 0}
          aria-label="Zoom out"
          aria-keyshortcuts="-"
          title="Zoom out (−)"
        >
          −
        </button>
        <span className="zoom-level" aria-live="polite">
          {zoomStep < 0 ? 'Whole session' : `${ZOOM_STEPS[zoomStep]} px/s`}
        </span>
        <button
          type="button"
          onClick={() => zoomBy(1)}
          disabled={disabled || zoomStep >= ZOOM_STEPS.length - 1}
          aria-label="Zoom in"
          aria-keyshortcuts="+"
          title="Zoom in (+)"
        >
          +
        </button>
      </div>
    </div>
  );
}

function PlayheadClock() {
  const currentMs = useReplay((s) => Math.floor(s.currentMs / 1000) * 1000);
  const durationMs = useReplay((s) => s.durationMs);
  return (
    <span className="playhead-clock" aria-label="Playhead time">
      {clock(currentMs)} / {clock(durationMs)}
    </span>
  );
}
