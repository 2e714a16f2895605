import type { Turn } from '../core/transcript';

/**
 * Keeps turns in spoken order when their text arrives out of order. Speech-to-speech
 * transcribes the candidate alongside the interviewer's reply, so an answer's text can
 * come after the reply has started playing; each turn takes its place when it begins and
 * is committed once it and every turn before it are complete.
 */
export class TurnLedger<K> {
  private readonly slots: { key: K; turn: Turn; ready: boolean }[] = [];

  constructor(private readonly commit: (turn: Turn) => void) {}

  /** A turn has begun: it holds its place until `complete`. */
  open(key: K, turn: Turn): void {
    this.slots.push({ key, turn, ready: false });
  }

  get(key: K): Turn | undefined {
    return this.slots.find((s) => s.key === key)?.turn;
  }

  /** Changes to a turn still waiting (its end, its text). */
  update(key: K, patch: Partial<Turn>): void {
    const slot = this.slots.find((s) => s.key === key);
    if (slot) slot.turn = { ...slot.turn, ...patch };
  }

  complete(key: K, patch: Partial<Turn> = {}): void {
    const slot = this.slots.find((s) => s.key === key);
    if (!slot) return;
    slot.turn = { ...slot.turn, ...patch };
    slot.ready = true;
    this.drain();
  }

  /** Drop a turn that never happened (e.g. a reply cut off before a sample was heard). */
  discard(key: K): void {
    const i = this.slots.findIndex((s) => s.key === key);
    if (i >= 0) this.slots.splice(i, 1);
    this.drain();
  }

  /** The round is over: everything still waiting is committed as it stands. */
  completeAll(fill: (turn: Turn, key: K) => Partial<Turn>): void {
    for (const slot of this.slots) {
      if (!slot.ready) slot.turn = { ...slot.turn, ...fill(slot.turn, slot.key) };
      slot.ready = true;
    }
    this.drain();
  }

  private drain(): void {
    while (this.slots[0]?.ready) this.commit(this.slots.shift()!.turn);
  }
}
