import { millis, type Millis } from '../core/units';
import type { Clock, TimerHandle } from './clock';

/**
 * Who holds the floor. `thinking` is the interviewer preparing its reply; the candidate
 * can still take the floor back by speaking, which throws the draft away.
 */
export type FloorState =
  'interviewer-speaking' | 'listening' | 'candidate-speaking' | 'thinking' | 'ended';

export interface CandidateTurnSpan {
  startMs: Millis;
  endMs: Millis;
  /** True when the candidate never spoke (passed with "I'm done"). */
  empty: boolean;
}

export interface TurnTakingOptions {
  clock: Clock;
  endOfTurnSilenceMs: Millis;
  allowInterruptions: boolean;
  onStateChange(state: FloorState): void;
  /** The candidate's turn is over: the interviewer should reply. */
  onEndOfTurn(span: CandidateTurnSpan): void;
  /** The candidate started speaking while the interviewer was talking. */
  onBargeIn(atMs: Millis): void;
  /**
   * Speech under the interviewer must last this long to count as an interruption; a
   * shorter "mm-hm" or cough is a backchannel and the interviewer goes on. 0: at once.
   */
  bargeInConfirmMs?: Millis;
  /** Lower the interviewer while a possible interruption is being confirmed. */
  onDuck?(on: boolean): void;
  /** The candidate resumed while the interviewer was preparing: drop the draft. */
  onResume(): void;
}

/**
 * The turn-taking state machine. Inputs carry times on the recording's clock (ms from
 * round start, measured by the renderer on the audio sample clock); the silence window
 * runs on the injected clock.
 */
export class TurnTaking {
  private current: FloorState = 'thinking';
  private turnStart: Millis | null = null;
  private lastSpeechEnd: Millis | null = null;
  private speaking = false;
  private holding = false;
  private silenceTimer: TimerHandle | null = null;
  private pendingBargeIn: { atMs: Millis; timer: TimerHandle } | null = null;

  constructor(private readonly options: TurnTakingOptions) {}

  get state(): FloorState {
    return this.current;
  }

  get isHolding(): boolean {
    return this.holding;
  }

  interviewerStarted(): void {
    if (this.current === 'ended') return;
    this.setState('interviewer-speaking');
  }

  /** The interviewer's audio finished playing: the floor passes to the candidate. */
  interviewerFinished(): void {
    if (this.current !== 'interviewer-speaking' && this.current !== 'thinking') return;
    const pending = this.endPendingBargeIn();
    const stillSpeaking = this.speaking;
    this.resetTurn();
    this.setState('listening');
    // The candidate started under the last words and is still talking: their turn began then.
    if (pending && stillSpeaking) this.speechStart(pending.atMs);
  }

  speechStart(atMs: Millis): void {
    this.speaking = true;
    switch (this.current) {
      case 'interviewer-speaking': {
        if (!this.options.allowInterruptions || this.pendingBargeIn) return;
        const confirmMs = this.options.bargeInConfirmMs ?? millis(0);
        if (confirmMs <= 0) return this.bargeIn(atMs);
        this.options.onDuck?.(true);
        this.pendingBargeIn = {
          atMs,
          timer: this.options.clock.after(confirmMs, () => {
            const pending = this.endPendingBargeIn();
            if (pending && this.speaking && this.current === 'interviewer-speaking') {
              this.bargeIn(pending.atMs);
            }
          }),
        };
        return;
      }
      case 'listening':
        this.turnStart = atMs;
        this.setState('candidate-speaking');
        return;
      case 'candidate-speaking':
        this.cancelSilence();
        return;
      case 'thinking':
        // Only a turn the candidate owned can be resumed; the opening is not theirs.
        if (this.turnStart === null) return;
        this.options.onResume();
        this.setState('candidate-speaking');
        return;
      case 'ended':
        return;
    }
  }

  speechEnd(atMs: Millis): void {
    this.speaking = false;
    // Too short to be an interruption: a backchannel; the interviewer goes on.
    if (this.current === 'interviewer-speaking' && this.endPendingBargeIn()) return;
    if (this.current !== 'candidate-speaking') return;
    this.lastSpeechEnd = atMs;
    this.armSilence();
  }

  /** "I'm done": end the candidate's turn at once, even mid-pause or mid-word. */
  done(atMs: Millis): void {
    if (this.current !== 'candidate-speaking' && this.current !== 'listening') return;
    const empty = this.turnStart === null;
    const endMs = this.speaking || this.lastSpeechEnd === null ? atMs : this.lastSpeechEnd;
    this.endTurn({ startMs: this.turnStart ?? atMs, endMs: millis(Math.max(endMs, 0)), empty });
  }

  /** Hold-to-think: while held, no amount of silence ends the turn. */
  hold(on: boolean): void {
    this.holding = on;
    if (on) {
      this.cancelSilence();
    } else if (this.current === 'candidate-speaking' && !this.speaking) {
      this.armSilence();
    }
  }

  end(): void {
    this.endPendingBargeIn();
    this.cancelSilence();
    this.setState('ended');
  }

  private bargeIn(atMs: Millis): void {
    this.resetTurn();
    this.speaking = true;
    this.turnStart = atMs;
    this.setState('candidate-speaking');
    this.options.onBargeIn(atMs);
  }

  /** Clears a pending interruption (and the ducking); returns it if there was one. */
  private endPendingBargeIn(): { atMs: Millis } | null {
    const pending = this.pendingBargeIn;
    if (!pending) return null;
    pending.timer.cancel();
    this.pendingBargeIn = null;
    this.options.onDuck?.(false);
    return pending;
  }

  private armSilence(): void {
    this.cancelSilence();
    if (this.holding) return;
    this.silenceTimer = this.options.clock.after(this.options.endOfTurnSilenceMs, () => {
      this.silenceTimer = null;
      if (this.current !== 'candidate-speaking' || this.speaking || this.holding) return;
      this.endTurn({
        startMs: this.turnStart ?? this.lastSpeechEnd ?? millis(0),
        endMs: this.lastSpeechEnd ?? millis(0),
        empty: false,
      });
    });
  }

  private endTurn(span: CandidateTurnSpan): void {
    this.cancelSilence();
    this.setState('thinking');
    this.options.onEndOfTurn(span);
  }

  private cancelSilence(): void {
    this.silenceTimer?.cancel();
    this.silenceTimer = null;
  }

  private resetTurn(): void {
    this.cancelSilence();
    this.turnStart = null;
    this.lastSpeechEnd = null;
    this.speaking = false;
  }

  private setState(next: FloorState): void {
    if (this.current === next) return;
    this.current = next;
    this.options.onStateChange(next);
  }
}
