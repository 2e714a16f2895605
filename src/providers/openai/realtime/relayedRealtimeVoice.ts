import type { RealtimeRelayMessage } from '../../../engine/events';
import type { Turn } from '../../../core/transcript';
import type {
  RealtimeConnectOptions,
  RealtimeRelayInbox,
  RealtimeRelayReport,
  RealtimeSession,
  RealtimeVoice,
  RealtimeVoiceEvent,
  VoiceMove,
} from '../../realtimeVoice';
import { ProviderError, type InterviewContext, type ProviderInfo } from '../../types';
import {
  connectionLost,
  connectTimedOut,
  unreachable,
  upgradeRefused,
} from './realtimeConnectErrors';
import { translateRealtimeEvent } from './realtimeEvents';
import { buildRealtimeInstructions } from './realtimeInstructions';

/**
 * OpenAI Realtime over WebRTC, with the call held by the renderer (the desktop window)
 * and the conversation driven from here. The backend mints an ephemeral client secret
 * (the API key never leaves it) and sends it with a `call` message; the renderer sets up
 * the peer, sends the microphone as a media track, plays and records the model's voice,
 * and relays data-channel events both ways: client events go out as `send` messages,
 * server events come back through `realtime.events` (`receive`) and are read by the same
 * `translateRealtimeEvent` as the WebSocket path.
 *
 * Audio never crosses this relay (`audioPath: 'media'`): `appendAudio` does nothing, and
 * there are no `audio` events; the renderer reports what it played by response id.
 */

export interface RelayCall {
  clientSecret: string;
  expiresAt: number;
  callsUrl: string;
  model: string;
}

export interface RelayedRealtimeVoiceOptions {
  model: string;
  transcriptionModel: string | null;
  /** The API server, for messages ("could not reach …"). */
  baseURL: string;
  /** Until the call is up and the session has said so. */
  connectTimeoutMs: number;
  /** A client secret for a call whose session starts with these instructions. */
  mintCall(instructions: string, signal?: AbortSignal): Promise<RelayCall>;
  /** To the renderer that holds the call. */
  send(message: RealtimeRelayMessage): void;
}

export class RelayedRealtimeVoice implements RealtimeVoice, RealtimeRelayInbox {
  readonly info: ProviderInfo;
  readonly transcriptionModel: string | null;
  readonly audioPath = 'media' as const;
  private connection = 0;
  private current: RelaySession | null = null;

  constructor(private readonly options: RelayedRealtimeVoiceOptions) {
    this.info = { kind: 'openai-realtime', model: options.model };
    this.transcriptionModel = options.transcriptionModel;
  }

  async connect(connect: RealtimeConnectOptions): Promise<RealtimeSession> {
    const o = this.options;
    // A call still up from an earlier attempt is replaced, never left running.
    this.current?.close();
    this.current = null;
    const id = ++this.connection;
    const move: VoiceMove = connect.context.turns.length > 0 ? 'reply' : 'open';
    const instructions = buildRealtimeInstructions(connect.context, move, connect.recap);
    const call = await o.mintCall(instructions, connect.signal);
    if (connect.signal?.aborted) throw aborted();
    const session = new RelaySession(id, o, connect.onEvent);
    this.current = session;
    // Listening before the renderer is asked to call, so no early answer is missed.
    const ready = session.opened(connect.signal);
    o.send({ action: 'call', connection: id, call });
    try {
      await ready;
    } catch (error) {
      session.close();
      if (this.current === session) this.current = null;
      throw error;
    }
    return session;
  }

  receive(report: RealtimeRelayReport): void {
    // A report from a call that was already replaced (or never ours) is stale.
    if (!this.current || report.connection !== this.current.id) return;
    this.current.receive(report);
  }
}

/** Client events whose errors are expected in ordinary use and never shown. */
const QUIET_EVENT = /^mockloop_quiet_/;

class RelaySession implements RealtimeSession {
  private ready = false;
  private closedByUs = false;
  private gone = false;
  private quietEvents = 0;
  /** Assistant items the server already truncated (WebRTC truncates on its own). */
  private readonly truncated = new Set<string>();
  private settle: ((error: ProviderError | null) => void) | null = null;
  inputClockStartMs?: number;

  constructor(
    readonly id: number,
    private readonly options: RelayedRealtimeVoiceOptions,
    private readonly onEvent: (event: RealtimeVoiceEvent) => void,
  ) {}

  /** Resolves when the call is up and the server has announced the session. */
  opened(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle?.(connectTimedOut(hostOf(this.options.baseURL))),
        this.options.connectTimeoutMs,
      );
      const onAbort = () => this.settle?.(aborted());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.settle = (error) => {
        this.settle = null;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else {
          this.ready = true;
          resolve();
        }
      };
    });
  }

  receive(report: RealtimeRelayReport): void {
    if (this.gone) return;
    if (report.mediaStartedAtMs !== undefined && this.inputClockStartMs === undefined) {
      this.inputClockStartMs = report.mediaStartedAtMs;
    }
    for (const text of report.events) this.onServerEvent(text);
    if (report.closed) this.onClosed(report.closed);
  }

  private onServerEvent(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return; // a malformed frame is dropped, not fatal
    }
    const e = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
    const type = e['type'];
    if (type === 'session.created' || type === 'session.updated') {
      this.settle?.(null);
      return;
    }
    if (type === 'conversation.item.truncated' && typeof e['item_id'] === 'string') {
      this.truncated.add(e['item_id']);
      return;
    }
    if (type === 'error') {
      const error = (e['error'] ?? {}) as Record<string, unknown>;
      const cause = error['event_id'];
      if (typeof cause === 'string' && QUIET_EVENT.test(cause)) return;
    }
    const event = translateRealtimeEvent(parsed, {
      model: this.options.model,
      transcriptionModel: this.options.transcriptionModel,
    });
    if (!event) return;
    // An error before the session is up (e.g. unknown model) fails the connect.
    if (this.settle && event.type === 'error') return this.settle(event.error);
    if (this.ready) this.onEvent(event);
  }

  private onClosed(closed: NonNullable<RealtimeRelayReport['closed']>): void {
    this.gone = true;
    const host = hostOf(this.options.baseURL);
    if (this.settle) {
      this.settle(callRefused(closed, this.options));
      return;
    }
    if (this.closedByUs) return;
    this.ready = false;
    this.onEvent({ type: 'closed', error: connectionLost(host) });
  }

  /** The microphone reaches the model as the call's own media track. */
  appendAudio(): void {}

  commitAudio(): void {
    this.send({ type: 'input_audio_buffer.commit' });
  }

  respond(context: InterviewContext, move: VoiceMove, recap: readonly Turn[]): void {
    this.send({
      type: 'session.update',
      session: { type: 'realtime', instructions: buildRealtimeInstructions(context, move, recap) },
    });
    this.send({ type: 'response.create' });
  }

  cancelResponse(): void {
    // The server paces the voice out in real time and holds the rest in its output
    // buffer: cancelling the response alone would let buffered audio play on.
    this.send(this.quiet({ type: 'response.cancel' }));
    this.send(this.quiet({ type: 'output_audio_buffer.clear' }));
  }

  truncate(itemId: string, audioEndMs: number): void {
    // Already cut to what was played by the server itself (its own barge-in handling).
    if (this.truncated.has(itemId)) return;
    this.truncated.add(itemId);
    this.send(
      this.quiet({
        type: 'conversation.item.truncate',
        item_id: itemId,
        content_index: 0,
        audio_end_ms: Math.max(0, Math.floor(audioEndMs)),
      }),
    );
  }

  close(): void {
    if (this.closedByUs) return;
    this.closedByUs = true;
    this.ready = false;
    this.settle?.(aborted());
    this.options.send({ action: 'hangup', connection: this.id });
  }

  /**
   * Tags a control event whose failure is expected (nothing left to cancel, clear or
   * truncate, when the server got there first) so its error event is dropped.
   */
  private quiet(event: Record<string, unknown>): Record<string, unknown> {
    return { ...event, event_id: `mockloop_quiet_${this.id}_${++this.quietEvents}` };
  }

  private send(event: object): void {
    if (this.closedByUs || this.gone || !this.ready) return;
    this.options.send({ action: 'send', connection: this.id, events: [JSON.stringify(event)] });
  }
}

/** Why the call could not be set up, from the renderer's report (status only). */
function callRefused(
  closed: NonNullable<RealtimeRelayReport['closed']>,
  options: RelayedRealtimeVoiceOptions,
): ProviderError {
  const host = hostOf(options.baseURL);
  if (closed.reason !== 'refused' || !closed.status) {
    return closed.reason === 'refused' ? unreachable(options.baseURL) : connectionLost(host);
  }
  if (closed.status === 401) {
    // The secret lives two minutes: a slow setup may outlive it. A new one is minted.
    return new ProviderError(
      'interviewer',
      'auth',
      'The realtime call was refused (401): its client secret expired or was rejected.',
      true,
    );
  }
  return upgradeRefused(closed.status, {}, { model: options.model, host });
}

function aborted(): ProviderError {
  return new ProviderError('interviewer', 'aborted', 'The realtime session was cancelled.');
}

function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}
