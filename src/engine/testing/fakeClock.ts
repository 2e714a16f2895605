import { millis, type Millis } from '../../core/units';
import type { Clock, TimerHandle } from '../clock';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that only moves when a test says so. Timers fire in time order. */
export class FakeClock implements Clock {
  private current = 0;
  private seq = 0;
  private timers: Pending[] = [];

  now(): Millis {
    return millis(this.current);
  }

  after(delay: Millis, fn: () => void): TimerHandle {
    const timer: Pending = { at: this.current + delay, seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** Move time forward, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => !t.cancelled && t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.current = due.at;
      due.cancelled = true;
      due.fn();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.current = target;
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
