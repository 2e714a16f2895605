import type { Settings } from '../core/settings';
import type { Clock } from '../engine/clock';
import type { LiveRound } from '../engine/liveRound';
import type { SessionStore } from '../storage/sessionStore';
import type { OfflineEngines, ProviderEnvironment } from './providerSelection';

/** What the replay backend and its answer-again attempts are given by the service. */
export interface ReplayDeps {
  sessions: SessionStore;
  mode: 'electron' | 'browser';
  promptsDir: string;
  clock: Clock;
  loadSettings(): Promise<Settings>;
  environment(): ProviderEnvironment;
  /** Where the embedded voice and local speech recognition run (as for rounds). */
  engines: OfflineEngines;
  /** Puts a live attempt among the service's running rounds (the round.* methods drive it). */
  register(key: string, round: LiveRound, ownerClientId: string): void;
  unregister(key: string): void;
}
