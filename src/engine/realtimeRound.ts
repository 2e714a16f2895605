// The speech-to-speech voice beneath RoundConversation (roundConversation.ts). Longer than
// our ~400 lines on purpose: the connection, the replies in flight and the candidate's
// speech are one state machine over one session (a reply's audio, truncation and the
// ledger all move together); split apart, each part would need the others' state.
import { CANDIDATE_CHANNEL, RECORDING_CHANNELS, SAMPLE_RATE } from '../core/audioFormat';
import { textPlayedUpTo, type SpokenSentence } from '../core/playedText';
import type { Turn } from '../core/transcript';
import { millis, type Millis } from '../core/units';
import type { UsageRecord } from '../core/usage';
import type {
  RealtimeRelayInbox,
  RealtimeRelayReport,
  RealtimeSession,
  RealtimeVoice,
  RealtimeVoiceEvent,
  VoiceMove,
} from '../providers/realtimeVoice';
import { withRetries, type RetryPolicy } from '../providers/resilience/retryPolicy';
import { ProviderError, type RoundPhase } from '../providers/types';
import type { TimerHandle } from './clock';
import type { RoundEndReason } from './events';
import type { PlaybackReport } from './liveRound';
import type { RoundController } from './roundController';
import { RoundConversation, type ConversationDeps } from './roundConversation';
import { TurnLedger } from './turnLedger';
import type { FloorState } from './turnTaking';

/** The speech-to-speech voice: one Realtime model hears, thinks and speaks. */
export interface RealtimeRoundDeps extends ConversationDeps {
  voice: RealtimeVoice;
  allowInterruptions: boolean;
  /** Reconnecting after a refused or dropped connection (backoff, retry-after). */
  retryPolicy: RetryPolicy;
  /** A reply that sends nothing for this long counts as a lost connection. */
  responseStallMs: Millis;
  onUsage(usage: UsageRecord): void;
  /** A resumed round: what was said before it was cut off, recapped to the model. */
  priorTurns?: readonly Turn[];
  /** WebRTC: where the renderer's reports from its call go (the relay voice). */
  relay?: RealtimeRelayInbox;
}

/** One interviewer reply, from response.create until the renderer has played it. */
interface Reply {
  utteranceId: string;
  phase: RoundPhase;
  questionId?: string;
  responseId?: string;
  itemId?: string;
  seq: number;
  /** Audio samples received (and sent to the renderer) so far. */
  samples: number;
  transcript: string;
  /** The server is still producing it. */
  generating: boolean;
  /** The renderer has started playing it. */
  started: boolean;
  cutOff: boolean;
  settled: boolean;
  /** All of it arrived (response.done completed). */
  complete: boolean;
}

interface CandidateSpeech {
  itemId: string;
  /** This connection's input-audio clock starts at this round time. */
  offsetMs: number;
  ended: boolean;
  transcript: string;
}

/** A transcript that has not come by then is saved as missing rather than hold up the turns. */
const TRANSCRIPT_WAIT_MS = millis(15_000);
/**
 * Characters per second of speech until a complete reply of this round has measured the
 * voice's own pace: a typical conversational English rate (~150 words a minute).
 */
const DEFAULT_CHARS_PER_SECOND = 14;
/** Without a playback report by then, a cut-off reply was never heard at all. */
const UNHEARD_TRUNCATE_MS = millis(500);

/**
 * A live round with one speech-to-speech model (OpenAI Realtime) in place of the cascade.
 * The renderer side is unchanged: its stereo frames are recorded and the candidate's
 * channel streams to the model; the model's audio goes out as `speech` events that the
 * renderer plays and records; what was actually played decides what an interrupted turn
 * says. The model's own voice detection decides turns (hold-to-think and "I'm done" still
 * apply); the time plan, notes and usage work as in `LiveRound`.
 */
export class RealtimeRound implements RoundController {
  private readonly talk: RoundConversation;
  private readonly ledger: TurnLedger<string>;
  private readonly lifetime = new AbortController();
  private readonly replies = new Map<string, Reply>();
  private session: RealtimeSession | null = null;
  private connecting: Promise<boolean> | null = null;
  private connection = 0;
  /** Round time at which the current session's input audio starts. */
  private sessionOffsetMs = 0;
  private candidateSamples = 0;
  private floor: FloorState = 'thinking';
  private holding = false;
  private ducked = false;
  private reply: Reply | null = null;
  private speech: CandidateSpeech | null = null;
  /** The candidate finished a turn that has no answer yet (holding, or the line was down). */
  private replyOwed = false;
  /** Responses asked for that the server has not finished (a cancelled one included). */
  private serverResponses = 0;
  /** Asked for while a cancelled response was still winding down on the server. */
  private deferredMove: VoiceMove | null = null;
  /** Replies asked for whose response.created has not come yet, oldest first. */
  private awaitingStart: Reply[] = [];
  private utteranceCount = 0;
  private turnCount = 0;
  private stallTimer: TimerHandle | null = null;
  /** The voice's pace, measured on complete replies: characters and samples. */
  private paceChars = 0;
  private paceSamples = 0;

  constructor(private readonly deps: RealtimeRoundDeps) {
    this.talk = new RoundConversation(
      deps,
      () => ({ floor: this.floor, holding: this.holding }),
      (error) => this.notice(error),
    );
    this.ledger = new TurnLedger((turn) => this.commit(turn));
  }

  get committedTurns(): readonly Turn[] {
    return this.talk.turns;
  }

  get floorState(): FloorState {
    return this.floor;
  }

  start(): void {
    this.talk.start({
      timeUp: () => this.onTimeUp(),
      overtimeOver: () => void this.finish('time-up'),
    });
    void this.ensureSession(false).then((ok) => {
      if (ok) this.respond('open');
      else this.setFloor('listening');
    });
  }

  audioFrames(stereo: Int16Array): void {
    if (this.talk.finished) return;
    this.deps.recorder.write(stereo);
    const mono = new Int16Array(stereo.length / RECORDING_CHANNELS);
    for (let i = 0; i < mono.length; i++) {
      mono[i] = stereo[i * RECORDING_CHANNELS + CANDIDATE_CHANNEL] ?? 0;
    }
    this.candidateSamples += mono.length;
    // Over WebRTC the model hears the microphone as the call's own track, not from here.
    if (this.media) return;
    // While the line is down the model misses this audio; the recording does not.
    this.session?.appendAudio(mono);
  }

  /** The renderer's detector is quicker than the server's: turn the interviewer down at once. */
  speechStart(_atMs: Millis): void {
    if (this.reply?.started && !this.reply.cutOff && this.deps.allowInterruptions) this.duck(true);
  }

  speechEnd(_atMs: Millis): void {
    this.duck(false);
  }

  done(atMs: Millis): void {
    if (this.talk.finished) return;
    const speech = this.speech;
    if (speech && !speech.ended && this.session) {
      // End the turn now instead of waiting for the server's detector.
      this.session.commitAudio();
      this.candidateStopped(speech, atMs);
      return;
    }
    if (this.reply) return;
    // Nobody is talking: the candidate passes, or asks the interviewer to go on.
    // Before anything was said (the connection failed at the start) this is the opening.
    const move = this.talk.turns.length === 0 && this.utteranceCount === 0 ? 'open' : 'reply';
    if (this.session) this.respond(move);
    else {
      void this.ensureSession(true).then((ok) => {
        if (ok && !this.reply) this.respond(move);
      });
    }
  }

  hold(on: boolean): void {
    this.holding = on;
    this.talk.emitState();
    if (!on) this.answerIfOwed();
  }

  playback(report: PlaybackReport): void {
    const reply = this.replies.get(report.utteranceId) ?? this.byResponse(report.utteranceId);
    if (!reply || reply.settled) return;
    if (report.event === 'started') {
      reply.started = true;
      this.ledger.open(reply.utteranceId, {
        id: '',
        speaker: 'interviewer',
        startMs: report.atMs,
        endMs: report.atMs,
        text: null,
        ...(reply.questionId !== undefined ? { questionId: reply.questionId } : {}),
      });
      if (this.reply === reply && !reply.cutOff) this.setFloor('interviewer-speaking');
      return;
    }
    reply.settled = true;
    this.replies.delete(reply.utteranceId);
    if (report.event === 'interrupted') {
      this.heardUpTo(reply, report.playedSamples, report.atMs);
      // WebRTC: the renderer stopped the voice itself (the server cleared its buffer).
      if (this.media && this.reply === reply) this.cutOff();
      return;
    }
    // WebRTC: how long the reply lasted is only known once it has been played.
    if (this.media && report.playedSamples > 0) reply.samples = report.playedSamples;
    if (this.media && reply.complete) {
      this.paceChars += reply.transcript.trim().length;
      this.paceSamples += reply.samples;
    }
    this.ledger.complete(reply.utteranceId, { endMs: report.atMs, text: reply.transcript.trim() });
    if (this.reply !== reply) return;
    this.reply = null;
    this.duck(false);
    if (reply.phase === 'farewell') {
      void this.finish(this.talk.farewellReason());
      return;
    }
    this.setFloor('listening');
    if (this.talk.time.timeUp) this.respond('reply');
    else this.answerIfOwed();
  }

  end(): Promise<void> {
    return this.finish('candidate-ended');
  }

  wrapUp(message: string): void {
    if (!this.talk.wrapUp(message)) return;
    if (this.floor === 'listening' && !this.reply) this.respond('reply');
  }

  disconnect(): Promise<void> {
    return this.finish('disconnected');
  }

  /** WebRTC: what the renderer's call received and what became of it. */
  realtimeEvents(report: RealtimeRelayReport): void {
    if (!this.talk.finished) this.deps.relay?.receive(report);
  }

  // --- the connection -------------------------------------------------------------

  /** Connects (with visible retries) unless a session is up; false when it gave up. */
  private ensureSession(afterLoss: boolean): Promise<boolean> {
    if (this.session) return Promise.resolve(true);
    this.connecting ??= this.connect(afterLoss).finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(afterLoss: boolean): Promise<boolean> {
    const signal = this.lifetime.signal;
    let retried = afterLoss;
    if (afterLoss) this.status('reconnecting', 'Reconnecting to the interviewer…');
    try {
      const id = ++this.connection;
      this.awaitingStart = [];
      this.serverResponses = 0;
      const session = await withRetries(
        'interviewer',
        () =>
          this.deps.voice.connect({
            persona: this.deps.pack.persona,
            context: this.talk.context(),
            recap: [...(this.deps.priorTurns ?? []), ...this.talk.turns],
            signal,
            onEvent: (event) => {
              if (id === this.connection && !this.talk.finished) this.onVoiceEvent(event);
            },
          }),
        this.deps.retryPolicy,
        (status) => {
          if (status.state !== 'reconnecting') return;
          retried = true;
          this.status('reconnecting', status.message);
        },
        signal,
      );
      if (this.talk.finished) {
        session.close();
        return false;
      }
      this.session = session;
      this.sessionOffsetMs =
        session.inputClockStartMs ?? (this.candidateSamples / SAMPLE_RATE) * 1000;
      if (retried) this.status('recovered', 'Reconnected to the interviewer.');
      return true;
    } catch (error) {
      if (this.talk.finished) return false;
      this.notice(error);
      // The round goes on (and is recorded); "I'm done" tries to connect again.
      if (retried) this.status('recovered', 'Stopped reconnecting to the interviewer.');
      return false;
    }
  }

  private lost(error: ProviderError | null): void {
    this.session?.close();
    this.session = null;
    this.clearStall();
    const reply = this.reply;
    if (reply?.generating) {
      reply.generating = false;
      this.replyOwed = true;
      if (this.media && reply.started) {
        // The call's voice stopped with the call: the renderer reports what was heard.
        reply.cutOff = true;
        this.reply = null;
      } else if (!this.media && reply.samples > 0) this.closeUtterance(reply);
      else {
        this.replies.delete(reply.utteranceId);
        this.reply = null;
      }
    }
    // Speech the old session was hearing: its transcript will never come.
    const speech = this.speech;
    if (speech) {
      if (!speech.ended) this.candidateStopped(speech, millis(this.audioMs()), false);
      this.ledger.complete(speech.itemId);
      this.speech = null;
    }
    if (error && this.floor !== 'interviewer-speaking') this.setFloor('thinking');
    void this.ensureSession(true).then((ok) => {
      if (!ok) {
        if (!this.reply) this.setFloor('listening');
        return;
      }
      this.answerIfOwed();
    });
  }

  // --- what the model says ----------------------------------------------------------

  private onVoiceEvent(event: RealtimeVoiceEvent): void {
    switch (event.type) {
      case 'closed':
        return this.lost(event.error);
      case 'error':
        return this.notice(event.error);
      case 'speech-started':
        return this.candidateStarted(event.itemId, event.audioMs);
      case 'speech-stopped': {
        const speech = this.speech;
        if (speech && speech.itemId === event.itemId && !speech.ended) {
          this.candidateStopped(speech, millis(speech.offsetMs + event.audioMs));
        }
        return;
      }
      case 'input-transcript-delta': {
        const speech = this.speech;
        if (speech?.itemId === event.itemId && this.ledger.get(event.itemId)) {
          speech.transcript += event.delta;
          this.deps.emit({ type: 'transcript-delta', text: speech.transcript });
        }
        return;
      }
      case 'input-transcript': {
        const turn = this.ledger.get(event.itemId);
        if (!turn) return;
        const seconds = Math.max(0, (turn.endMs - turn.startMs) / 1000);
        this.deps.onUsage(
          event.usage ?? { stage: 'stt', model: this.transcriber(), audioSeconds: seconds },
        );
        if (this.speech?.itemId === event.itemId) this.speech.transcript = event.text;
        this.candidateText(event.itemId, event.text);
        return;
      }
      case 'input-transcript-failed':
        return this.candidateText(event.itemId, null);
      case 'response-started': {
        // Responses start in the order they were asked for, cut-off ones included.
        const reply = this.awaitingStart.shift();
        if (reply) reply.responseId = event.responseId;
        if (reply === this.reply) this.armStall();
        return;
      }
      case 'audio':
      case 'transcript-delta':
      case 'transcript-done': {
        const reply = this.reply;
        if (!reply || reply.cutOff || !this.ours(reply, event.responseId)) return;
        this.armStall();
        reply.itemId ??= event.itemId;
        if (event.type === 'transcript-delta') reply.transcript += event.delta;
        else if (event.type === 'transcript-done') reply.transcript = event.text;
        else if (event.pcm.length > 0) {
          reply.samples += event.pcm.length;
          const pcm = event.pcm;
          this.deps.emit({
            type: 'speech',
            utteranceId: reply.utteranceId,
            seq: reply.seq++,
            pcm: new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength),
            last: false,
          });
        }
        return;
      }
      case 'response-done': {
        if (event.usage) this.deps.onUsage(event.usage);
        this.serverResponses = Math.max(0, this.serverResponses - 1);
        this.replyDone(event.responseId, event.status);
        const deferred = this.deferredMove;
        if (deferred && this.serverResponses === 0) {
          this.deferredMove = null;
          this.respond(deferred);
        }
        return;
      }
    }
  }

  private replyDone(responseId: string, status: string): void {
    const reply = this.reply;
    if (!reply || !this.ours(reply, responseId) || !reply.generating) return;
    reply.generating = false;
    this.clearStall();
    if (status === 'cancelled' || reply.cutOff) return;
    // Over WebRTC no audio passes through here: a reply with words (or already playing) spoke.
    const silent = this.media
      ? !reply.started && reply.transcript.trim() === ''
      : reply.samples === 0;
    if (status === 'failed' || silent) {
      if (status === 'failed') {
        this.notice(
          new ProviderError(
            'interviewer',
            'server',
            'The interviewer could not answer. Press "I\'m done" to ask again.',
            true,
          ),
        );
      }
      this.replies.delete(reply.utteranceId);
      this.reply = null;
      this.setFloor('listening');
      return;
    }
    reply.complete = true;
    // WebRTC: the renderer ends the utterance when the server's output buffer drains.
    if (this.media) return;
    this.paceChars += reply.transcript.trim().length;
    this.paceSamples += reply.samples;
    this.closeUtterance(reply);
  }

  /** WebRTC playback reports name the response (the renderer never sees our ids). */
  private byResponse(responseId: string): Reply | undefined {
    for (const reply of this.replies.values()) if (reply.responseId === responseId) return reply;
    return undefined;
  }

  /** The model's audio travels as WebRTC media, not through this engine. */
  private get media(): boolean {
    return this.deps.voice.audioPath === 'media';
  }

  private ours(reply: Reply, responseId: string): boolean {
    if (reply.responseId === undefined) return this.awaitingStart.length === 0;
    return responseId === '' || reply.responseId === responseId;
  }

  private respond(move: VoiceMove): void {
    if (this.talk.finished) return;
    const session = this.session;
    if (!session) {
      this.replyOwed = true;
      return;
    }
    this.replyOwed = false;
    if (this.reply?.generating) this.cutOff();
    // The server allows one response at a time: wait for a cancelled one to wind down.
    if (this.serverResponses > 0) {
      this.deferredMove = move;
      this.setFloor('thinking');
      return;
    }
    const context = this.talk.context();
    const reply: Reply = {
      utteranceId: `u${++this.utteranceCount}`,
      phase: context.phase,
      seq: 0,
      samples: 0,
      transcript: '',
      generating: true,
      started: false,
      cutOff: false,
      settled: false,
      complete: false,
      // The opening asks the first question; later questions are the model's choice.
      ...(move === 'open' && this.deps.pack.questions[0]
        ? { questionId: this.deps.pack.questions[0].id }
        : {}),
    };
    this.reply = reply;
    this.replies.set(reply.utteranceId, reply);
    this.awaitingStart.push(reply);
    this.serverResponses++;
    this.setFloor('thinking');
    // Turns that began before this session started listening were said to an earlier one.
    // A resumed round's earlier part was said to another session altogether.
    const recap = [
      ...(this.deps.priorTurns ?? []),
      ...this.talk.turns.filter((t) => t.startMs < this.sessionOffsetMs),
    ];
    session.respond(context, move, recap);
    this.armStall();
  }

  private closeUtterance(reply: Reply): void {
    this.deps.emit({
      type: 'speech',
      utteranceId: reply.utteranceId,
      seq: reply.seq++,
      pcm: new Uint8Array(0),
      last: true,
    });
  }

  private answerIfOwed(): void {
    if (!this.replyOwed || this.holding || this.reply || !this.session) return;
    if (this.speech && !this.speech.ended) return;
    this.respond('reply');
  }

  // --- the candidate --------------------------------------------------------------

  private candidateStarted(itemId: string, audioMs: number): void {
    if (this.reply && !this.reply.cutOff) {
      if (!this.deps.allowInterruptions && this.reply.started) return;
      this.cutOff();
    }
    const offsetMs = this.sessionOffsetMs;
    const previous = this.speech;
    if (previous && !previous.ended) {
      this.candidateStopped(previous, millis(offsetMs + audioMs), false);
    }
    this.speech = { itemId, offsetMs, ended: false, transcript: '' };
    const startMs = millis(offsetMs + audioMs);
    this.ledger.open(itemId, {
      id: '',
      speaker: 'candidate',
      startMs,
      endMs: startMs,
      text: null,
    });
    this.setFloor('candidate-speaking');
  }

  private candidateStopped(speech: CandidateSpeech, endMs: Millis, answer = true): void {
    speech.ended = true;
    this.ledger.update(speech.itemId, { endMs });
    if (this.deps.voice.transcriptionModel === null) this.ledger.complete(speech.itemId);
    else {
      const itemId = speech.itemId;
      this.talk.after(TRANSCRIPT_WAIT_MS, () => this.candidateText(itemId, null));
    }
    if (!answer) return;
    this.replyOwed = true;
    this.setFloor(this.holding ? 'listening' : 'thinking');
    this.answerIfOwed();
  }

  private candidateText(itemId: string, text: string | null): void {
    const turn = this.ledger.get(itemId);
    if (!turn) return;
    // Text only counts once the turn has ended; a failure leaves it without a transcript.
    if (this.speech?.itemId === itemId && !this.speech.ended) {
      if (text !== null) this.ledger.update(itemId, { text });
      return;
    }
    this.ledger.complete(itemId, text !== null ? { text } : {});
  }

  /**
   * Barge-in: the renderer drops what is queued at once, the server stops producing,
   * and the model's memory of the reply is cut to what was heard once the renderer says
   * how much that was (see `heardUpTo`).
   */
  private cutOff(): void {
    const reply = this.reply;
    if (!reply) return;
    reply.cutOff = true;
    this.reply = null;
    this.clearStall();
    if (reply.generating) {
      reply.generating = false;
      this.session?.cancelResponse();
    }
    this.deps.emit({ type: 'flush', utteranceId: reply.utteranceId });
    this.duck(false);
    // A reply not yet playing gets no playback report: nothing of it was heard.
    this.talk.after(UNHEARD_TRUNCATE_MS, () => {
      if (reply.settled) return;
      reply.settled = true;
      this.replies.delete(reply.utteranceId);
      if (reply.started) this.ledger.discard(reply.utteranceId);
      if (reply.itemId && (reply.samples > 0 || this.media))
        this.session?.truncate(reply.itemId, 0);
    });
  }

  private heardUpTo(reply: Reply, playedSamples: number, atMs: Millis): void {
    // Over WebRTC the played count is all there is: the audio never passed through here.
    const played = this.media ? playedSamples : Math.min(playedSamples, reply.samples);
    if (reply.itemId) this.session?.truncate(reply.itemId, (played / SAMPLE_RATE) * 1000);
    if (played === 0) {
      this.ledger.discard(reply.utteranceId);
      return;
    }
    this.ledger.complete(reply.utteranceId, {
      endMs: atMs,
      text: heardText(reply.transcript, this.audioFor(reply), played, !reply.complete),
      interrupted: true,
    });
  }

  /**
   * How long the reply's transcript so far takes to say. Complete: the audio received. Cut
   * off while arriving: the transcript runs ahead of the audio, so its length is estimated
   * from the voice's measured pace.
   */
  private audioFor(reply: Reply): number {
    if (reply.complete && !this.media) return reply.samples;
    const samplesPerChar =
      this.paceChars > 0
        ? this.paceSamples / this.paceChars
        : SAMPLE_RATE / DEFAULT_CHARS_PER_SECOND;
    return Math.max(reply.samples, Math.round(reply.transcript.trim().length * samplesPerChar));
  }

  // --- the round ------------------------------------------------------------------

  private audioMs(): number {
    return (this.candidateSamples / SAMPLE_RATE) * 1000;
  }

  private transcriber(): string {
    return this.deps.voice.transcriptionModel ?? 'transcription';
  }

  private onTimeUp(): void {
    this.talk.markTimeUp();
    if (this.floor === 'listening' && !this.reply) this.respond('reply');
  }

  private setFloor(floor: FloorState): void {
    if (this.talk.finished) return;
    this.floor = floor;
    this.talk.emitState();
  }

  private duck(on: boolean): void {
    if (this.ducked === on) return;
    this.ducked = on;
    this.deps.emit({ type: 'duck', on });
  }

  private status(state: 'reconnecting' | 'recovered', message: string): void {
    this.deps.emit({ type: 'provider-status', stage: 'interviewer', state, message });
  }

  private armStall(): void {
    this.clearStall();
    this.stallTimer = this.deps.clock.after(this.deps.responseStallMs, () => {
      this.stallTimer = null;
      if (!this.reply?.generating || this.talk.finished) return;
      this.notice(
        new ProviderError(
          'interviewer',
          'timeout',
          'The interviewer stopped answering. Reconnecting.',
          true,
        ),
      );
      this.lost(null);
    });
  }

  private clearStall(): void {
    this.stallTimer?.cancel();
    this.stallTimer = null;
  }

  /** Turns get their ids in the order they are committed (the ledger keeps spoken order). */
  private commit(turn: Turn): void {
    this.talk.commit({ ...turn, id: `t${++this.turnCount}` });
    // Transcription runs after the turn ends, so the screen's live line is cleared here.
    if (turn.speaker === 'candidate') this.deps.emit({ type: 'transcript-delta', text: '' });
  }

  private notice(error: unknown): void {
    if (error instanceof ProviderError && error.code === 'aborted') return;
    this.talk.notice(error, 'interviewer');
  }

  private finish(reason: RoundEndReason): Promise<void> {
    return this.talk.finish(reason, () => {
      this.clearStall();
      this.lifetime.abort();
      this.session?.close();
      this.session = null;
      const reply = this.reply;
      if (reply && !reply.settled)
        this.deps.emit({ type: 'flush', utteranceId: reply.utteranceId });
      this.floor = 'ended';
      // What was said stands; a reply still playing keeps the words it had.
      const endMs = millis(this.audioMs());
      this.ledger.completeAll((turn, key) =>
        turn.speaker === 'interviewer'
          ? { endMs, text: this.replies.get(key)?.transcript.trim() ?? turn.text }
          : { endMs: turn.endMs > turn.startMs ? turn.endMs : endMs },
      );
    });
  }
}

/**
 * What was heard of a reply cut off after `played` of its `samples`. The model's transcript
 * has no timings, so each word gets audio in proportion to its length in characters;
 * `textPlayedUpTo` then keeps the words whose audio was played in full.
 */
export function heardText(
  transcript: string,
  samples: number,
  played: number,
  /** The reply had more to say than its transcript so far. */
  unfinished = false,
): string {
  const words = transcript.trim().split(/\s+/).filter(Boolean);
  // A word's share includes the pause (space) after it.
  const chars = words.reduce((n, w) => n + w.length + 1, 0);
  if (chars === 0) return '';
  let given = 0;
  const spoken: SpokenSentence[] = words.map((text, i) => {
    const share =
      i === words.length - 1 ? samples - given : Math.round((samples * (text.length + 1)) / chars);
    given += share;
    return { text, samples: share };
  });
  const heard = textPlayedUpTo(spoken, played);
  // Marked as cut whenever words of the reply were not heard.
  return heard && (unfinished || heard !== words.join(' ')) ? `${heard}…` : heard;
}

export type { RoundJournal, RoundRecorder } from './roundConversation';
