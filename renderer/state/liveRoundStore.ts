import { create } from 'zustand';
import type { ApiClient } from '../../src/api/client';
import type { ApiEvent, ApiResponses } from '../../src/api/contract';
import type { RoundSummary } from '../../src/core/summary';
import type { UsageSummary } from '../../src/core/usage';
import type { Turn } from '../../src/core/transcript';
import type { RoundEvent } from '../../src/engine/events';
import type { FloorState } from '../../src/engine/turnTaking';
import type { RoundPhase, Stage } from '../../src/providers/types';
import { RealtimeCallRelay } from '../audio/realtimeCall';
import { RoundAudio } from '../audio/roundAudio';

export type RoundStatus = 'idle' | 'preparing' | 'running' | 'ending' | 'ended' | 'failed';

interface Notice {
  id: number;
  level: 'error' | 'warning' | 'info';
  message: string;
}

interface LiveRoundState {
  status: RoundStatus;
  sessionId: string | null;
  started: ApiResponses['round.start'] | null;
  floor: FloorState;
  phase: RoundPhase;
  /** performance.now() at which the round's time budget runs out. */
  deadline: number | null;
  holding: boolean;
  turns: Turn[];
  liveTranscript: string;
  notices: Notice[];
  level: number;
  /** Stages that are retrying right now ("Reconnecting to the interviewer…"). */
  reconnecting: Partial<Record<Stage, string>>;
  /** Usage and estimated cost so far (model providers only). */
  usage: UsageSummary | null;
  summary: RoundSummary | null;
  error: string | null;
  /** `begin` replaces round.start, e.g. to start an answer-again attempt instead. */
  start(
    api: ApiClient,
    roundId: string,
    begin?: (api: ApiClient) => Promise<ApiResponses['round.start']>,
  ): Promise<void>;
  done(): void;
  hold(on: boolean): void;
  end(): Promise<void>;
  dismissNotice(id: number): void;
  reset(): void;
}

let audio: RoundAudio | null = null;
/** A realtime round over WebRTC: the call, held here for the backend (realtimeCall.ts). */
let relay: RealtimeCallRelay | null = null;
let api: ApiClient | null = null;

/** Now on the round's recording clock (ms), while the round's audio runs; else null. */
export function roundClockMs(): number | null {
  return audio ? audio.nowMs() : null;
}
let unsubscribe: (() => void) | null = null;
let noticeId = 0;

const initial = {
  status: 'idle' as RoundStatus,
  sessionId: null,
  started: null,
  floor: 'thinking' as FloorState,
  phase: 'questions' as RoundPhase,
  deadline: null,
  holding: false,
  turns: [],
  liveTranscript: '',
  notices: [],
  level: 0,
  reconnecting: {},
  usage: null,
  summary: null,
  error: null,
};

export const useLiveRound = create<LiveRoundState>((set, get) => {
  /** Fire-and-forget calls still surface their errors to the user. */
  const send = (promise: Promise<unknown>) =>
    promise.catch((error: unknown) =>
      addNotice('error', error instanceof Error ? error.message : String(error)),
    );

  const addNotice = (level: Notice['level'], message: string) =>
    set((s) => ({ notices: [...s.notices.slice(-4), { id: ++noticeId, level, message }] }));

  const onEvent = (event: RoundEvent) => {
    switch (event.type) {
      case 'state':
        set({
          floor: event.floor,
          phase: event.phase,
          holding: event.holding,
          deadline: performance.now() + event.remainingMs,
        });
        if (event.floor === 'candidate-speaking' || event.floor === 'listening') return;
        set({ liveTranscript: '' });
        return;
      case 'speech':
        audio?.enqueue(event.utteranceId, event.pcm, event.last);
        return;
      case 'flush':
        audio?.flush();
        return;
      case 'usage':
        set({ usage: event.usage });
        return;
      case 'duck':
        audio?.duck(event.on);
        return;
      case 'transcript-delta':
        set({ liveTranscript: event.text });
        return;
      case 'turn':
        set((s) => ({ turns: [...s.turns, event.turn] }));
        return;
      case 'notice':
        addNotice(event.level, event.message);
        return;
      case 'provider-status':
        set((s) => {
          const reconnecting = { ...s.reconnecting };
          if (event.state === 'reconnecting') reconnecting[event.stage] = event.message;
          else delete reconnecting[event.stage];
          return { reconnecting };
        });
        if (event.state === 'fallback') addNotice('warning', event.message);
        return;
      case 'realtime-relay':
        relay?.handle(event.relay);
        return;
      case 'ended':
        set({ summary: event.summary, status: 'ended' });
        void closeAudio();
        return;
    }
  };

  const closeAudio = async () => {
    relay?.close();
    relay = null;
    const a = audio;
    audio = null;
    await a?.close().catch(() => undefined);
  };

  return {
    ...initial,
    reset: () => {
      unsubscribe?.();
      unsubscribe = null;
      void closeAudio();
      set({ ...initial });
    },
    dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),

    start: async (client, roundId, begin) => {
      get().reset();
      api = client;
      set({ status: 'preparing' });
      let sessionId: string | null = null;
      // Frames recorded before the backend has named the session wait here, so the
      // recording on disk starts at frame 0 like the round clock.
      const early: Int16Array[] = [];
      const sendFrames = (id: string, stereo: Int16Array) =>
        send(
          client.call('round.audio', {
            sessionId: id,
            pcm: new Uint8Array(stereo.buffer, stereo.byteOffset, stereo.byteLength),
          }),
        );
      try {
        audio = await RoundAudio.open({
          onFrames: (stereo) => {
            if (sessionId) sendFrames(sessionId, stereo);
            else early.push(stereo);
          },
          onSpeechStart: (atMs) =>
            sessionId && send(client.call('round.vad', { sessionId, type: 'speech-start', atMs })),
          onSpeechEnd: (atMs) =>
            sessionId && send(client.call('round.vad', { sessionId, type: 'speech-end', atMs })),
          onPlayback: (report) => {
            // Over WebRTC the engine must have the call's events up to this point first.
            relay?.flush();
            if (sessionId) send(client.call('round.playback', { sessionId, ...report }));
          },
          onLevel: (level) => set({ level }),
        });
        const roundAudio = audio;
        relay = new RealtimeCallRelay({
          createPeer: () => new RTCPeerConnection(),
          fetch: (input, init) => fetch(input, init),
          audio: roundAudio,
          report: (report) =>
            sessionId
              ? client.call('realtime.events', {
                  sessionId,
                  ...report,
                  events: [...report.events],
                })
              : Promise.resolve(null),
        });
        // The interviewer may start speaking before round.start has answered.
        const earlyEvents: ApiEvent[] = [];
        unsubscribe = client.onEvent((e) => {
          if (sessionId === null) earlyEvents.push(e);
          else if (e.sessionId === sessionId) onEvent(e.event);
        });
        // The recording's frame 0 and the round's start are the same moment.
        audio.startRecording();
        const started = await (begin ? begin(client) : client.call('round.start', { roundId }));
        sessionId = started.sessionId;
        audio.setInterruptible(started.allowInterruptions);
        for (const frames of early.splice(0)) sendFrames(started.sessionId, frames);
        set({
          status: 'running',
          sessionId,
          started,
          deadline: performance.now() + started.budgetMs,
        });
        for (const e of earlyEvents.splice(0)) if (e.sessionId === sessionId) onEvent(e.event);
      } catch (error) {
        await closeAudio();
        set({ status: 'failed', error: error instanceof Error ? error.message : String(error) });
      }
    },

    done: () => {
      const { sessionId, status } = get();
      if (!sessionId || !audio || status !== 'running') return;
      send(api!.call('round.control', { sessionId, action: 'done', atMs: audio.nowMs() }));
    },

    hold: (on) => {
      const { sessionId, status, holding } = get();
      if (!sessionId || !audio || status !== 'running' || holding === on) return;
      set({ holding: on });
      send(
        api!.call('round.control', {
          sessionId,
          action: on ? 'hold-start' : 'hold-end',
          atMs: audio.nowMs(),
        }),
      );
    },

    end: async () => {
      const { sessionId, status } = get();
      if (!sessionId || status !== 'running') return;
      set({ status: 'ending' });
      // Close the audio first so its last frames reach the backend before the end.
      await closeAudio();
      try {
        const { summary } = await api!.call('round.end', { sessionId });
        set({ status: 'ended', summary });
      } catch (error) {
        set({ status: 'failed', error: error instanceof Error ? error.message : String(error) });
      }
    },
  };
});
