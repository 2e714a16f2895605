import { millis, type Millis } from '../core/units';

/**
 * Time is injected: the engine never calls setTimeout or Date.now itself, so tests drive
 * turn-taking and time budgets with a fake clock instead of sleeping.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): Millis;
  after(delay: Millis, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => millis(performance.now()),
  after(delay, fn) {
    const id = setTimeout(fn, delay);
    return { cancel: () => clearTimeout(id) };
  },
};
