// The cascade voice beneath RoundConversation (roundConversation.ts): turn-taking,
// speech-to-text, the interviewer and text-to-speech. A little over ~400 lines on purpose:
// drafts at pauses and the utterance they speak share one generation counter and must be
// read together to see that a thrown-away draft is never heard.
import { SAMPLE_RATE } from '../core/audioFormat';
import { textPlayedUpTo, type SpokenSentence } from '../core/playedText';
import type { Turn } from '../core/transcript';
import { millis, type Millis } from '../core/units';
import type {
  Interviewer,
  InterviewerReply,
  LiveTranscriber,
  RoundPhase,
  TextToSpeech,
} from '../providers/types';
import { CandidateAudio } from './candidateAudio';
import type { RoundEndReason, RoundEvent } from './events';
import { speakReply } from './interviewerSpeech';
import { RoundConversation, type ConversationDeps } from './roundConversation';
import { judgeTurnEnding } from './turnCompletion';
import { TurnTaking, type CandidateTurnSpan, type FloorState } from './turnTaking';
import { TurnTranscript } from './turnTranscript';

export type { RoundJournal, RoundRecorder } from './roundConversation';

/** The cascade's voice: speech-to-text, the interviewer, text-to-speech, turn-taking. */
export interface LiveRoundDeps extends Omit<ConversationDeps, 'workspaceView'> {
  /** Hears the candidate piece by piece; null: no transcript (offline without a recogniser). */
  stt: LiveTranscriber | null;
  interviewer: Interviewer;
  tts: TextToSpeech;
  endOfTurnSilenceMs: Millis;
  /** The end-of-turn window after an unfinished sentence (needs a transcript). */
  unfinishedSilenceMs?: Millis;
  allowInterruptions: boolean;
  /** How long speech under the interviewer must last to interrupt it (backchannels don't). */
  bargeInConfirmMs?: Millis;
}

export type PlaybackReport =
  | { utteranceId: string; event: 'started'; atMs: Millis }
  | { utteranceId: string; event: 'ended' | 'interrupted'; atMs: Millis; playedSamples: number };

interface Utterance {
  id: string;
  phase: RoundPhase;
  questionId?: string;
  startedAtMs?: Millis;
  /** Sentences sent so far with their length in samples; grows while audio streams. */
  sentences: SpokenSentence[];
  committed: boolean;
  /** Some of its audio has gone to the renderer (so a stop needs a flush). */
  emitted: boolean;
}

/**
 * The reply prepared for one pause of the candidate's: from the turn's words (heard while
 * they spoke, or transcribed as the newest piece ends), the interviewer and speech, whose
 * audio is held back until the turn is final. If they go on talking it is thrown away.
 */
interface Draft {
  span: CandidateTurnSpan;
  generation: number;
  controller: AbortController;
  /** Words to draft from are in (or there are none to wait for). */
  transcribed: boolean;
  /** They are the final transcript, not interim text: the reply may be heard. */
  settled: boolean;
  text: string | null;
  replyStarted: boolean;
  /** The turn is over: the reply may be heard. */
  final: boolean;
  /** Speech events made before the turn was final, in order. */
  held: RoundEvent[];
}

/**
 * One live round: turn-taking, the interviewer's replies spoken sentence by sentence,
 * the time plan, and the turns committed as they happen. All I/O is behind the ports it
 * is handed, so tests run it with fakes and a fake clock.
 */
export class LiveRound {
  private readonly talk: RoundConversation;
  private readonly floor: TurnTaking;
  private readonly audio = new CandidateAudio(SAMPLE_RATE * 60 * 10);
  private readonly transcript: TurnTranscript | null;
  private generation = 0;
  private inFlight: AbortController | null = null;
  private utterance: Utterance | null = null;
  private draft: Draft | null = null;
  private pendingCandidate: Turn | null = null;
  private utteranceCount = 0;
  private turnCount = 0;

  constructor(private readonly deps: LiveRoundDeps) {
    this.talk = new RoundConversation(
      deps,
      () => ({ floor: this.floor.state, holding: this.floor.isHolding }),
      (error) => this.talk.notice(error),
    );
    this.floor = new TurnTaking({
      clock: deps.clock,
      endOfTurnSilenceMs: deps.endOfTurnSilenceMs,
      // Thinking never gets less time than a finished answer.
      ...(deps.unfinishedSilenceMs !== undefined
        ? {
            unfinishedSilenceMs: millis(
              Math.max(deps.unfinishedSilenceMs, deps.endOfTurnSilenceMs),
            ),
          }
        : {}),
      recordingNowMs: () => this.lastAudioMs(),
      allowInterruptions: deps.allowInterruptions,
      onStateChange: () => this.talk.emitState(),
      onPause: (span) => this.startDraft(span, false),
      onEndOfTurn: (span) => this.candidateTurnEnded(span),
      onBargeIn: () => this.bargeIn(),
      ...(deps.bargeInConfirmMs !== undefined ? { bargeInConfirmMs: deps.bargeInConfirmMs } : {}),
      onDuck: (on) => this.deps.emit({ type: 'duck', on }),
      onResume: () => this.dropDraft(),
      onCandidateSpeechStart: (atMs, newTurn) => this.transcript?.speechStarted(atMs, newTurn),
      onCandidateSpeechEnd: (atMs) => this.transcript?.speechEnded(atMs),
    });
    this.transcript = deps.stt
      ? new TurnTranscript({
          transcriber: deps.stt,
          audio: this.audio,
          onText: (text) => this.deps.emit({ type: 'transcript-delta', text }),
          onError: (error) => this.talk.notice(error, 'stt'),
        })
      : null;
  }

  get floorState(): FloorState {
    return this.floor.state;
  }

  get committedTurns(): readonly Turn[] {
    return this.talk.turns;
  }

  start(): void {
    this.talk.start({
      timeUp: () => this.onTimeUp(),
      overtimeOver: () => void this.finish('time-up'),
    });
    this.deps.stt?.open?.();
    void this.respond('open');
  }

  /** Interleaved stereo frames from the renderer's recorder, in order. */
  audioFrames(stereo: Int16Array): void {
    if (this.talk.finished) return;
    this.deps.recorder.write(stereo);
    this.audio.pushStereo(stereo);
    this.transcript?.feed();
  }

  speechStart(atMs: Millis): void {
    this.floor.speechStart(atMs);
  }

  speechEnd(atMs: Millis): void {
    this.floor.speechEnd(atMs);
  }

  done(atMs: Millis): void {
    this.floor.done(atMs);
  }

  hold(on: boolean): void {
    this.floor.hold(on);
    this.talk.emitState();
  }

  playback(report: PlaybackReport): void {
    const u = this.utterance;
    if (!u || u.id !== report.utteranceId) return;
    if (report.event === 'started') {
      u.startedAtMs = report.atMs;
      // The reply is now being heard: the candidate's turn it answers is final.
      this.commitPendingCandidate();
      this.floor.interviewerStarted();
      return;
    }
    void this.commitUtterance(
      u,
      report.atMs,
      report.event === 'interrupted' ? report.playedSamples : null,
    );
  }

  end(): Promise<void> {
    return this.finish('candidate-ended');
  }

  /**
   * Ask the interviewer to wrap up politely (e.g. the cost budget is spent): its next
   * reply is the farewell, after which the round ends.
   */
  wrapUp(message: string): void {
    if (!this.talk.wrapUp(message)) return;
    // Nobody is talking: the interviewer says goodbye now.
    if (this.floor.state === 'listening') this.floor.done(this.lastAudioMs());
  }

  /** The screen running the round went away; keep what was recorded. */
  disconnect(): Promise<void> {
    return this.finish('disconnected');
  }

  private onTimeUp(): void {
    this.talk.markTimeUp();
    // Silence on the candidate's side: the interviewer wraps up now.
    if (this.floor.state === 'listening') this.floor.done(this.lastAudioMs());
  }

  private lastAudioMs(): Millis {
    return millis((this.audio.totalSamples / SAMPLE_RATE) * 1000);
  }

  /** The turn is over: use the draft made for this pause, or start one that plays at once. */
  private candidateTurnEnded(span: CandidateTurnSpan): void {
    const d = this.draft;
    if (d && d.generation === this.generation && sameSpan(d.span, span)) {
      d.final = true;
      if (d.transcribed) this.replyToDraft(d);
      return;
    }
    this.startDraft(span, true);
  }

  private startDraft(span: CandidateTurnSpan, final: boolean, knownText?: string | null): void {
    if (this.talk.finished) return;
    this.abandonDraft();
    const d: Draft = {
      span,
      generation: ++this.generation,
      controller: new AbortController(),
      transcribed: false,
      settled: false,
      text: null,
      replyStarted: false,
      final,
      held: [],
    };
    this.draft = d;
    this.inFlight = d.controller;
    if (knownText !== undefined) this.draftFrom(d, knownText, true);
    else void this.transcribeDraft(d);
  }

  private async transcribeDraft(d: Draft): Promise<void> {
    const transcript = this.transcript;
    if (d.span.empty || !transcript) return this.draftFrom(d, null, true);
    // A transcriber that hears as audio arrives already has the words: draft from them
    // at once, and check them against the final text when it comes.
    const early = transcript.provisional();
    if (early !== null) this.draftFrom(d, early, false);
    const text = await transcript.settled();
    if (this.draft !== d || d.generation !== this.generation || this.talk.finished) return;
    if (early !== null && !sameWords(early, text)) {
      // The draft is not from what was said: draft again from the final words.
      this.startDraft(d.span, d.final, text);
      return;
    }
    this.draftFrom(d, text, true);
  }

  /** The draft's words are in (`settled`: final), or final ones confirm them. */
  private draftFrom(d: Draft, text: string | null, settled: boolean): void {
    if (this.draft !== d || this.talk.finished) return;
    const firstWords = !d.transcribed;
    d.transcribed = true;
    d.text = text;
    d.settled = settled;
    if (this.pendingCandidate && d.replyStarted) this.pendingCandidate.text = text;
    // Thinking ("…and", "um") waits longer; with no transcript nothing tells, so the
    // ordinary window applies (hold-to-think and "I'm done" are there for the rest).
    const ending = this.transcript && !d.span.empty ? judgeTurnEnding(text) : 'unknown';
    this.floor.judge(ending, d.span.endMs);
    if (this.draft !== d) return;
    if (!firstWords) {
      // The final words confirm the draft: it may now be heard once the turn is over.
      if (d.final && d.replyStarted) this.replyToDraft(d);
      return;
    }
    if (d.replyStarted) return;
    // An unfinished sentence will most likely go on: no model call until the turn ends.
    // Nor without a transcript (nothing for a model to draft from) or with the embedded
    // interviewer: it answers at once, and it keeps its place in the plan itself, so a
    // draft thrown away would move it on.
    const worthDrafting = ending === 'finished' && this.deps.interviewer.info.kind !== 'embedded';
    if (d.final || worthDrafting) this.replyToDraft(d);
  }

  /** Starts the reply for the draft if it has not started, and lets it be heard once final. */
  private replyToDraft(d: Draft): void {
    if (d.final && d.settled && d.held.length > 0) {
      // The held audio is the current utterance's: once sent, stopping it needs a flush.
      if (this.utterance) this.utterance.emitted = true;
      for (const event of d.held.splice(0)) this.deps.emit(event);
    }
    if (d.replyStarted) return;
    d.replyStarted = true;
    if (!d.span.empty) {
      this.turnCount = this.talk.turns.length;
      this.pendingCandidate = {
        id: `t${++this.turnCount}`,
        speaker: 'candidate',
        startMs: d.span.startMs,
        endMs: d.span.endMs,
        text: d.text,
      };
    }
    void this.respond('reply', d.generation, d.controller, d);
  }

  /** Drafts are a draft's to drop: stop its work; nothing of it was heard. */
  private abandonDraft(): void {
    const d = this.draft;
    if (!d) return;
    this.draft = null;
    d.controller.abort();
  }

  private async respond(
    kind: 'open' | 'reply',
    generation = ++this.generation,
    controller = new AbortController(),
    draft: Draft | null = null,
  ): Promise<void> {
    this.inFlight = controller;
    const context = this.talk.context(this.pendingCandidate);
    const utterance: Utterance = {
      id: `u${++this.utteranceCount}`,
      phase: context.phase,
      sentences: [],
      committed: false,
      emitted: false,
    };
    this.utterance = utterance;
    let seq = 0;
    // A draft's audio waits for the end of the turn; then it streams as it comes.
    const send = (event: Extract<RoundEvent, { type: 'speech' }>) => {
      if (draft && !(draft.final && draft.settled)) {
        draft.held.push(event);
      } else {
        utterance.emitted = true;
        this.deps.emit(event);
      }
    };
    try {
      const reply: InterviewerReply =
        kind === 'open'
          ? this.deps.interviewer.open(context, controller.signal)
          : this.deps.interviewer.reply(context, controller.signal);
      // Read late: a resilient interviewer only knows which model answered once text flows.
      const noteQuestion = () => {
        if (utterance.questionId === undefined && reply.questionId !== undefined) {
          utterance.questionId = reply.questionId;
        }
      };
      await speakReply(
        reply.text,
        this.deps.pack.persona,
        this.deps.tts,
        {
          sentence: (text) => {
            noteQuestion();
            utterance.sentences.push({ text, samples: 0 });
          },
          chunk: (pcm) => {
            const current = utterance.sentences[utterance.sentences.length - 1];
            if (current) current.samples += pcm.length;
            send({
              type: 'speech',
              utteranceId: utterance.id,
              seq: seq++,
              pcm: new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength),
              last: false,
            });
          },
        },
        controller.signal,
      );
      noteQuestion();
      if (reply.phaseAfter) this.talk.time.advance(reply.phaseAfter);
      if (controller.signal.aborted || generation !== this.generation) return;
      send({
        type: 'speech',
        utteranceId: utterance.id,
        seq: seq++,
        pcm: new Uint8Array(0),
        last: true,
      });
    } catch (error) {
      if (controller.signal.aborted || generation !== this.generation) return;
      if (draft && !(draft.final && draft.settled)) {
        // Not heard and the turn may yet go on: the end of the turn tries again afresh.
        this.abandonDraft();
        this.utterance = null;
        this.pendingCandidate = null;
        this.turnCount = this.talk.turns.length;
        return;
      }
      // Stop sentences already queued for speech: nothing may play after the floor is given back.
      controller.abort();
      this.talk.notice(error, 'interviewer');
      this.utterance = null;
      if (utterance.emitted) this.deps.emit({ type: 'flush', utteranceId: utterance.id });
      // Give the floor back so the candidate can press "I'm done" to ask again.
      this.floor.interviewerFinished();
      this.talk.emitState();
    }
  }

  private async commitUtterance(
    u: Utterance,
    endMs: Millis,
    playedSamples: number | null,
  ): Promise<void> {
    // Everything up to handing the floor over is synchronous: the candidate gets the
    // floor the moment playback ends, not after a disk write.
    if (u.committed) return;
    u.committed = true;
    if (this.utterance === u) this.utterance = null;
    const text =
      playedSamples === null
        ? u.sentences.map((s) => s.text).join(' ')
        : textPlayedUpTo(u.sentences, playedSamples);
    if (u.startedAtMs !== undefined && (playedSamples === null || playedSamples > 0)) {
      this.talk.commit(
        this.talk.interviewerTurn({
          id: `t${++this.turnCount}`,
          startMs: u.startedAtMs,
          endMs,
          text,
          ...(playedSamples !== null ? { interrupted: true } : {}),
          ...(u.questionId !== undefined ? { questionId: u.questionId } : {}),
        }),
      );
    }
    if (playedSamples !== null) return; // barge-in: the candidate already has the floor
    this.floor.interviewerFinished();
    if (u.phase === 'farewell') {
      await this.finish(this.talk.farewellReason());
    } else if (this.talk.time.timeUp && this.floor.state === 'listening') this.floor.done(endMs);
  }

  private bargeIn(): void {
    const u = this.utterance;
    this.inFlight?.abort();
    this.abandonDraft();
    this.generation++;
    if (u?.emitted) this.deps.emit({ type: 'flush', utteranceId: u.id });
  }

  /** The candidate went on talking after a pause, or while the reply was being prepared. */
  private dropDraft(): void {
    this.bargeIn();
    this.utterance = null;
    this.pendingCandidate = null;
    this.turnCount = this.talk.turns.length;
  }

  private commitPendingCandidate(): void {
    const turn = this.pendingCandidate;
    this.pendingCandidate = null;
    if (turn) this.talk.commit(turn);
  }

  private finish(reason: RoundEndReason): Promise<void> {
    return this.talk.finish(reason, () => {
      this.inFlight?.abort();
      this.abandonDraft();
      this.transcript?.close();
      this.generation++;
      if (this.utterance?.emitted) {
        this.deps.emit({ type: 'flush', utteranceId: this.utterance.id });
      }
      this.floor.end();
      this.commitPendingCandidate();
    });
  }
}

/** The same words, whatever the punctuation and case ("and so on" = "And so on."). */
function sameWords(a: string | null, b: string | null): boolean {
  const words = (text: string | null) => (text ?? '').toLowerCase().match(/[a-z0-9']+/g) ?? [];
  const x = words(a);
  const y = words(b);
  return x.length === y.length && x.every((w, i) => w === y[i]);
}

function sameSpan(a: CandidateTurnSpan, b: CandidateTurnSpan): boolean {
  return a.startMs === b.startMs && a.endMs === b.endMs && a.empty === b.empty;
}
