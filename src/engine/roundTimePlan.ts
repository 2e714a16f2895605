import { closingMinutes, roundDurationMinutes, type RoundPack } from '../core/roundPack';
import { millis, minutesToMillis, type Millis } from '../core/units';
import type { RoundPhase } from '../providers/types';
import type { Clock, TimerHandle } from './clock';

/** Once time is up, a candidate still talking gets this long before the round stops. */
export const OVERTIME_GRACE_MS = millis(120_000);

const PHASE_ORDER: readonly RoundPhase[] = ['questions', 'closing', 'farewell'];

/**
 * A round's clock and phases, the same for every engine (cascade and speech-to-speech):
 * the pack's time plan, the closing part reserved for the candidate's questions, time
 * up, and the phase the conversation itself has moved to (it never moves back).
 */
export class RoundTimePlan {
  readonly budgetMs: Millis;
  readonly closingAtMs: Millis;
  private readonly startedAt: Millis;
  private reached: RoundPhase = 'questions';
  private up = false;

  constructor(
    pack: RoundPack,
    private readonly clock: Clock,
    /** A resumed round starts this far into its plan. */
    elapsedOffsetMs = 0,
  ) {
    this.budgetMs = minutesToMillis(roundDurationMinutes(pack));
    this.closingAtMs = millis(this.budgetMs - minutesToMillis(closingMinutes(pack)));
    this.startedAt = millis(clock.now() - elapsedOffsetMs);
  }

  elapsed(): Millis {
    return millis(this.clock.now() - this.startedAt);
  }

  remaining(): Millis {
    return millis(Math.max(0, this.budgetMs - this.elapsed()));
  }

  get timeUp(): boolean {
    return this.up;
  }

  markTimeUp(): void {
    this.up = true;
  }

  phase(): RoundPhase {
    const elapsed = this.elapsed();
    if (this.up || elapsed >= this.budgetMs || this.reached === 'farewell') return 'farewell';
    if (elapsed >= this.closingAtMs || this.reached === 'closing') return 'closing';
    return 'questions';
  }

  /** The conversation moved on by itself (the interviewer invited questions, said goodbye). */
  advance(next: RoundPhase): void {
    if (PHASE_ORDER.indexOf(next) > PHASE_ORDER.indexOf(this.reached)) this.reached = next;
  }

  /** Timers for closing, time up and the end of overtime, counted from now. */
  schedule(on: { closing(): void; timeUp(): void; overtimeOver(): void }): TimerHandle[] {
    const fromNow = (atMs: number) => millis(Math.max(0, atMs - this.elapsed()));
    return [
      this.clock.after(fromNow(this.closingAtMs), on.closing),
      this.clock.after(fromNow(this.budgetMs), on.timeUp),
      this.clock.after(fromNow(this.budgetMs + OVERTIME_GRACE_MS), on.overtimeOver),
    ];
  }
}
