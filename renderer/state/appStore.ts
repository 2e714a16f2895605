import { create } from 'zustand';
import type { ApiClient } from '../../src/api/client';
import type { RoundInfo, SettingsView } from '../../src/api/contract';
import type { RoundPackProblem } from '../../src/core/roundPack';
import type { SessionListItem } from '../../src/core/session';
import { connectApi } from '../api/apiClient';
import { screenFromHash, syncHash, type Screen } from './screenRoute';

export type { Screen } from './screenRoute';

interface AppState {
  api: ApiClient;
  screen: Screen;
  connectionLost: boolean;
  rounds: RoundInfo[];
  roundProblems: RoundPackProblem[];
  selectedRoundId: string | null;
  sessions: SessionListItem[];
  sessionProblems: string[];
  settings: SettingsView | null;
  loading: boolean;
  error: string | null;
  go(screen: Screen): void;
  selectRound(id: string): void;
  refresh(): Promise<void>;
  setSettings(view: SettingsView): void;
}

export const useApp = create<AppState>((set, get) => ({
  api: connectApi(() => set({ connectionLost: true })),
  screen: screenFromHash(location.hash),
  connectionLost: false,
  rounds: [],
  roundProblems: [],
  selectedRoundId: null,
  sessions: [],
  sessionProblems: [],
  settings: null,
  loading: true,
  error: null,
  go: (screen) => {
    syncHash(screen);
    set({ screen });
    if (screen.name === 'home') void get().refresh();
  },
  selectRound: (id) => set({ selectedRoundId: id }),
  setSettings: (view) => set({ settings: view }),
  refresh: async () => {
    const { api } = get();
    set({ loading: true });
    try {
      const [rounds, sessions, settings] = await Promise.all([
        api.call('rounds.list', {}),
        api.call('sessions.list', {}),
        api.call('settings.get', {}),
      ]);
      set({
        rounds: rounds.rounds,
        roundProblems: rounds.problems,
        sessions: sessions.sessions,
        sessionProblems: sessions.problems,
        settings,
        loading: false,
        error: null,
      });
    } catch (error) {
      set({ loading: false, error: error instanceof Error ? error.message : String(error) });
    }
  },
}));
