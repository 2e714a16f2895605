import { create } from 'zustand';
import type { PlayPosition } from '../../src/core/sentenceTimeline';

/**
 * The replay's playback state, shared by the waveform, the controls, the transcript and
 * anything that wants to jump to a moment (notes, questions, later the scorecard's
 * evidence) through `seekReplayTo`.
 */
export interface ReplayPlayer {
  seekTo(ms: number): void;
  play(): void;
  pause(): void;
  playPause(): void;
  setRate(rate: number): void;
  /** Pixels per second; 0 fits the whole session in view. */
  zoom(pxPerSec: number): void;
  currentMs(): number;
}

export const PLAYBACK_RATES = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;
/** Zoom steps in pixels per second, after "whole session". */
export const ZOOM_STEPS = [2, 5, 10, 25, 50, 100, 200] as const;

interface ReplayState {
  player: ReplayPlayer | null;
  durationMs: number;
  currentMs: number;
  playing: boolean;
  rate: number;
  /** Index into ZOOM_STEPS, or -1 for the whole session in view. */
  zoomStep: number;
  position: PlayPosition;
  /** Where a seek was asked for before the waveform was ready. */
  pendingSeekMs: number | null;
  attach(player: ReplayPlayer | null, durationMs: number): void;
  setTime(ms: number): void;
  setPlaying(playing: boolean): void;
  setPosition(position: PlayPosition): void;
  setRate(rate: number): void;
  zoomBy(direction: 1 | -1): void;
  reset(): void;
}

const initial = {
  player: null,
  durationMs: 0,
  currentMs: 0,
  playing: false,
  rate: 1,
  zoomStep: -1,
  position: { turnId: null, sentenceIndex: null },
  pendingSeekMs: null,
};

export const useReplay = create<ReplayState>((set, get) => ({
  ...initial,
  attach: (player, durationMs) => {
    set({ player, durationMs });
    const pending = get().pendingSeekMs;
    if (player && pending !== null) {
      set({ pendingSeekMs: null });
      player.seekTo(pending);
    }
    if (player) player.setRate(get().rate);
  },
  setTime: (ms) => set({ currentMs: ms }),
  setPlaying: (playing) => set({ playing }),
  setPosition: (position) => {
    const now = get().position;
    if (now.turnId !== position.turnId || now.sentenceIndex !== position.sentenceIndex) {
      set({ position });
    }
  },
  setRate: (rate) => {
    get().player?.setRate(rate);
    set({ rate });
  },
  zoomBy: (direction) => {
    const step = Math.max(-1, Math.min(ZOOM_STEPS.length - 1, get().zoomStep + direction));
    get().player?.zoom(step < 0 ? 0 : ZOOM_STEPS[step]!);
    set({ zoomStep: step });
  },
  reset: () => set({ ...initial }),
}));

/** Moves the replay's playhead to `ms` (playing on if it was playing). */
export function seekReplayTo(ms: number): void {
  const { player, durationMs } = useReplay.getState();
  const target = Math.max(0, durationMs > 0 ? Math.min(ms, durationMs) : ms);
  if (player) player.seekTo(target);
  else useReplay.setState({ pendingSeekMs: target });
  useReplay.setState({ currentMs: target });
}

/** Jumps to `ms` and plays from there: what clicking a piece of evidence does. */
export function playReplayFrom(ms: number): void {
  seekReplayTo(ms);
  const { player } = useReplay.getState();
  if (player) player.play();
}
