import type { Settings } from '../core/settings';
import type { Clock } from '../engine/clock';
import type { LiveRound } from '../engine/liveRound';
import type { FliteRunner } from '../providers/embedded/fliteTextToSpeech';
import type { SessionStore } from '../storage/sessionStore';
import type { ProviderEnvironment } from './providerSelection';

/** What the replay backend and its answer-again attempts are given by the service. */
export interface ReplayDeps {
  sessions: SessionStore;
  mode: 'electron' | 'browser';
  promptsDir: string;
  clock: Clock;
  loadSettings(): Promise<Settings>;
  environment(): ProviderEnvironment;
  /** Where the embedded voice runs (as for rounds). */
  fliteRunner?: FliteRunner;
  /** Puts a live attempt among the service's running rounds (the round.* methods drive it). */
  register(key: string, round: LiveRound, ownerClientId: string): void;
  unregister(key: string): void;
}
