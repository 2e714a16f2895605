import { millis, type Millis } from '../core/units';
import type { Clock, TimerHandle } from './clock';
import type { TurnEnding } from './turnCompletion';

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
  /** Silence that ends the turn after a finished sentence (or when nothing tells). */
  endOfTurnSilenceMs: Millis;
  /**
   * Silence that ends the turn after an unfinished one ("…and", "um"): someone thinking.
   * Defaults to the finished window (no adaptation).
   */
  unfinishedSilenceMs?: Millis;
  /**
   * The newest position on the recording clock. Speech-end reports arrive after the
   * detector's hangover; with this the window counts from the end of speech itself, not
   * from when the report arrived, so the hangover is not added to every reply.
   */
  recordingNowMs?(): Millis;
  /**
   * The candidate has stopped (a pause has begun): the reply may be drafted now. Answer
   * with `judge` once the words so far are known; until then the turn does not end.
   * Without this callback every pause is judged `unknown`.
   */
  onPause?(span: CandidateTurnSpan): void;
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
  /** The candidate resumed after a pause or while the reply was prepared: drop the draft. */
  onResume(): void;
  /**
   * A stretch of the candidate's speech that belongs to their turn began (`newTurn`: it
   * opens the turn) or ended. Speech under the interviewer counts from its start once it
   * is known to interrupt; a backchannel never does.
   */
  onCandidateSpeechStart?(atMs: Millis, newTurn: boolean): void;
  onCandidateSpeechEnd?(atMs: Millis): void;
}

/**
 * Speech-end reports lag the end of speech by the detector's hangover; an interruption
 * is only judged short (a backchannel) once its end could have been reported.
 */
export const SPEECH_END_REPORT_LAG_MS = millis(250);

interface Pause {
  endMs: Millis;
  /** When the pause began, on the injected clock. */
  since: Millis;
  ending: TurnEnding | null;
  /** onPause was called: a resume must drop the draft. */
  drafted: boolean;
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
  private pause: Pause | null = null;
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
          // Still speaking once an end could have been reported: an interruption.
          timer: this.options.clock.after(millis(confirmMs + SPEECH_END_REPORT_LAG_MS), () => {
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
        this.options.onCandidateSpeechStart?.(atMs, true);
        return;
      case 'candidate-speaking': {
        // Going on after a pause: whatever was drafted for it is stale.
        const pause = this.pause;
        this.endPause();
        if (pause?.drafted) this.options.onResume();
        this.options.onCandidateSpeechStart?.(atMs, false);
        return;
      }
      case 'thinking':
        // Only a turn the candidate owned can be resumed; the opening is not theirs.
        if (this.turnStart === null) return;
        this.options.onResume();
        this.setState('candidate-speaking');
        this.options.onCandidateSpeechStart?.(atMs, false);
        return;
      case 'ended':
        return;
    }
  }

  speechEnd(atMs: Millis): void {
    this.speaking = false;
    if (this.current === 'interviewer-speaking' && this.pendingBargeIn) {
      const pending = this.endPendingBargeIn();
      const confirmMs = this.options.bargeInConfirmMs ?? millis(0);
      // Too short to be an interruption: a backchannel; the interviewer goes on.
      if (!pending || atMs - pending.atMs < confirmMs) return;
      // Long enough, though it ended before we could tell: the candidate interrupted.
      this.bargeIn(pending.atMs);
      this.speaking = false;
    }
    if (this.current !== 'candidate-speaking') return;
    this.lastSpeechEnd = atMs;
    this.options.onCandidateSpeechEnd?.(atMs);
    this.beginPause();
  }

  /**
   * How the candidate's words up to the pause that ended at `endMs` end (from the
   * transcript). A judgement for an older pause is ignored; a later one for this pause
   * (the final text after the interim one) replaces it while the window is still open.
   */
  judge(ending: TurnEnding, endMs: Millis): void {
    const pause = this.pause;
    if (!pause || pause.endMs !== endMs || pause.ending === ending) return;
    pause.ending = ending;
    this.reconsider();
  }

  /** "I'm done": end the candidate's turn at once, even mid-pause or mid-word. */
  done(atMs: Millis): void {
    if (this.current !== 'candidate-speaking' && this.current !== 'listening') return;
    const empty = this.turnStart === null;
    const endMs = this.speaking || this.lastSpeechEnd === null ? atMs : this.lastSpeechEnd;
    const pause = this.pause;
    // Mid-word, the draft made at the last pause misses the words since: drop it.
    if (this.speaking && pause?.drafted) this.options.onResume();
    if (this.speaking && this.turnStart !== null) this.options.onCandidateSpeechEnd?.(atMs);
    this.endTurn({ startMs: this.turnStart ?? atMs, endMs: millis(Math.max(endMs, 0)), empty });
  }

  /** Hold-to-think: while held, no amount of silence ends the turn. */
  hold(on: boolean): void {
    this.holding = on;
    if (on) {
      this.cancelSilence();
    } else if (this.current === 'candidate-speaking' && !this.speaking) {
      // The window starts again from the release, not from the end of the last words.
      if (this.pause) {
        this.pause.since = this.options.clock.now();
        this.reconsider();
      } else if (this.lastSpeechEnd !== null) {
        this.beginPause(false);
      }
    }
  }

  end(): void {
    this.endPendingBargeIn();
    this.endPause();
    this.setState('ended');
  }

  private bargeIn(atMs: Millis): void {
    this.resetTurn();
    this.speaking = true;
    this.turnStart = atMs;
    this.setState('candidate-speaking');
    this.options.onBargeIn(atMs);
    this.options.onCandidateSpeechStart?.(atMs, true);
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

  /** The candidate stopped: the end-of-turn window opens and the reply may be drafted. */
  private beginPause(fromSpeechEnd = true): void {
    this.endPause();
    const endMs = this.lastSpeechEnd ?? millis(0);
    // The report arrives after the detector's hangover: that part of the window has passed.
    const recordingNow = this.options.recordingNowMs?.();
    const alreadySilentMs =
      fromSpeechEnd && recordingNow !== undefined ? Math.max(0, recordingNow - endMs) : 0;
    const pause: Pause = {
      endMs,
      since: millis(this.options.clock.now() - alreadySilentMs),
      ending: this.options.onPause ? null : 'unknown',
      drafted: false,
    };
    this.pause = pause;
    if (this.options.onPause) {
      pause.drafted = true;
      this.options.onPause(this.span(endMs));
    }
    // onPause may have judged, ended or resumed the turn already.
    if (this.pause === pause) this.reconsider();
  }

  /**
   * Ends the turn once the window for how the words end has passed. An unjudged pause
   * waits for its judgement (the reply needs that transcript anyway; `judge` comes back
   * here), up to the thinking window.
   */
  private reconsider(): void {
    const pause = this.pause;
    this.cancelSilence();
    if (!pause || this.holding || this.speaking || this.current !== 'candidate-speaking') return;
    const windowMs =
      pause.ending === 'unfinished'
        ? (this.options.unfinishedSilenceMs ?? this.options.endOfTurnSilenceMs)
        : this.options.endOfTurnSilenceMs;
    // A transcript that is slow to come is waited for, but no longer than thinking is.
    const longestMs = Math.max(windowMs, this.options.unfinishedSilenceMs ?? windowMs);
    const elapsed = this.options.clock.now() - pause.since;
    const dueIn = (pause.ending === null ? longestMs : windowMs) - elapsed;
    if (dueIn > 0) {
      this.silenceTimer = this.options.clock.after(millis(dueIn), () => {
        this.silenceTimer = null;
        this.reconsider();
      });
      return;
    }
    this.endTurn(this.span(pause.endMs));
  }

  private span(endMs: Millis): CandidateTurnSpan {
    return { startMs: this.turnStart ?? endMs, endMs, empty: false };
  }

  private endTurn(span: CandidateTurnSpan): void {
    this.endPause();
    this.setState('thinking');
    this.options.onEndOfTurn(span);
  }

  private endPause(): void {
    this.cancelSilence();
    this.pause = null;
  }

  private cancelSilence(): void {
    this.silenceTimer?.cancel();
    this.silenceTimer = null;
  }

  private resetTurn(): void {
    this.endPause();
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
