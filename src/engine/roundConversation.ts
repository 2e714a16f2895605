import { recognizeQuestion } from '../core/conceptCoverage';
import {
  missingConceptsNow,
  noteAnswer,
  storyPartsMissingNow,
  type InterviewerNote,
} from '../core/interviewerNotes';
import type { RoundPack } from '../core/roundPack';
import { computeRoundSummary, type RoundSummary } from '../core/summary';
import type { Turn } from '../core/transcript';
import type { Millis } from '../core/units';
import type { WorkspaceView } from '../core/workspace';
import { ProviderError, type InterviewContext, type RoundPhase } from '../providers/types';
import type { Clock, TimerHandle } from './clock';
import type { RoundEndReason, RoundEvent } from './events';
import { RoundTimePlan } from './roundTimePlan';
import type { FloorState } from './turnTaking';

/** Where the round's audio and turns go; storage implements these. */
export interface RoundRecorder {
  write(stereoFrames: Int16Array): void;
  close(): Promise<{ durationMs: number }>;
}

export interface RoundJournal {
  appendTurn(turn: Turn): Promise<void>;
  appendNotes?(notes: readonly InterviewerNote[]): Promise<void>;
}

export type RoundFinished = (result: {
  reason: RoundEndReason;
  summary: RoundSummary;
  turns: Turn[];
}) => Promise<void>;

/** What every round is given, whichever voice runs it. */
export interface ConversationDeps {
  pack: RoundPack;
  clock: Clock;
  recorder: RoundRecorder;
  journal: RoundJournal;
  emit(event: RoundEvent): void;
  /** What the candidate said in earlier rounds of the same loop, for the interviewer. */
  memory?: readonly string[];
  /**
   * A resumed round (see backend/resumeRound.ts) starts this far into its time plan, so
   * the clock, the closing phase and time-up continue from where it was cut off.
   */
  elapsedOffsetMs?: Millis;
  /** Coding and design rounds: the pad or board as the interviewer should see it now. */
  workspaceView?: (turns: readonly Turn[]) => WorkspaceView;
  onFinished: RoundFinished;
}

/** What the voice tells the conversation about the floor, for the screen. */
export interface FloorView {
  floor: FloorState;
  holding: boolean;
}

/**
 * The conversation of a round, whichever voice carries it — the cascade
 * (`LiveRound`: speech-to-text → interviewer → text-to-speech) or speech-to-speech
 * (`RealtimeRound`): the committed turns and their hidden notes, written to the journal in
 * order; the time plan and its phases; what the interviewer is told each turn; errors as
 * notices; and the end of the round (summary, `ended`). The voices decide who has the
 * floor and what was heard; they hand the conversation finished turns.
 */
export class RoundConversation {
  readonly turns: Turn[] = [];
  readonly notes: InterviewerNote[] = [];
  readonly time: RoundTimePlan;
  private readonly timers: TimerHandle[] = [];
  private journalWrites: Promise<void> = Promise.resolve();
  private wrapUpReason: RoundEndReason | null = null;
  private finishing: Promise<void> | null = null;

  constructor(
    private readonly deps: ConversationDeps,
    private readonly floorView: () => FloorView,
    /** How a failed journal write is reported (the voice's own notice). */
    private readonly reportError: (error: unknown) => void = (error) => this.notice(error),
  ) {
    this.time = new RoundTimePlan(deps.pack, deps.clock, deps.elapsedOffsetMs ?? 0);
  }

  get pack(): RoundPack {
    return this.deps.pack;
  }

  get finished(): boolean {
    return this.finishing !== null;
  }

  /** Timers count from now (a resumed round has already used part of its plan). */
  start(on: { timeUp(): void; overtimeOver(): void }): void {
    this.timers.push(...this.time.schedule({ closing: () => this.emitState(), ...on }));
    this.emitState();
  }

  /** A timer of the voice's own, cancelled with the round's. */
  after(ms: Millis, run: () => void): void {
    this.timers.push(this.deps.clock.after(ms, run));
  }

  phase(): RoundPhase {
    return this.time.phase();
  }

  /** What the interviewer is told for its next move; `pending`: a turn not yet committed. */
  context(pending: Turn | null = null): InterviewContext {
    const turns = pending ? [...this.turns, pending] : [...this.turns];
    const { pack, memory, workspaceView } = this.deps;
    return {
      pack,
      turns,
      missingConcepts: missingConceptsNow(pack, turns),
      storyMissing: storyPartsMissingNow(pack, turns),
      ...(memory ? { memory } : {}),
      ...(workspaceView ? { workspace: workspaceView(turns) } : {}),
      phase: this.phase(),
      elapsedMs: this.time.elapsed(),
      remainingMs: this.time.remaining(),
    };
  }

  emitState(): void {
    const { floor, holding } = this.floorView();
    this.deps.emit({
      type: 'state',
      floor,
      phase: this.phase(),
      remainingMs: this.time.remaining(),
      holding,
    });
  }

  /** Time is up: the interviewer wraps up at the next chance it gets. */
  markTimeUp(): void {
    this.time.markTimeUp();
    this.emitState();
  }

  /**
   * Ask the interviewer to wrap up politely (e.g. the cost budget is spent): its next
   * reply is the farewell, after which the round ends. False once the round is over.
   */
  wrapUp(message: string): boolean {
    if (this.finished) return false;
    this.wrapUpReason = 'budget';
    this.time.advance('farewell');
    this.deps.emit({ type: 'notice', level: 'info', message });
    this.emitState();
    return true;
  }

  /** Why the round ends after the interviewer's farewell. */
  farewellReason(): RoundEndReason {
    return this.wrapUpReason ?? (this.time.timeUp ? 'time-up' : 'candidate-ended');
  }

  /**
   * An interviewer turn as heard: a model does not say which bank question it asks, so it
   * is recognised, and notes, replay and scoring see the round question by question.
   */
  interviewerTurn(turn: Omit<Turn, 'speaker'>): Turn {
    const questionId =
      turn.questionId ??
      (turn.text ? recognizeQuestion(this.deps.pack.questions, turn.text) : undefined);
    return { ...turn, speaker: 'interviewer', ...(questionId !== undefined ? { questionId } : {}) };
  }

  /** The turn counts at once; its write to the journal follows in order, off the floor's path. */
  commit(turn: Turn): void {
    this.turns.push(turn);
    this.deps.emit({ type: 'turn', turn });
    // Hidden notes: never emitted during the round, only kept.
    const notes = turn.speaker === 'candidate' ? noteAnswer(this.deps.pack, this.turns, turn) : [];
    this.notes.push(...notes);
    this.journalWrites = this.journalWrites
      .then(async () => {
        await this.deps.journal.appendTurn(turn);
        if (notes.length > 0) await this.deps.journal.appendNotes?.(notes);
      })
      .catch((error: unknown) => this.reportError(error));
  }

  /** An error the candidate should know about, with the stage it came from. */
  notice(error: unknown, stage?: 'stt' | 'interviewer' | 'tts'): void {
    const message = error instanceof Error ? error.message : String(error);
    const errorStage = error instanceof ProviderError ? error.stage : stage;
    this.deps.emit({
      type: 'notice',
      level: 'error',
      ...(errorStage ? { stage: errorStage } : {}),
      message,
    });
  }

  /**
   * Ends the round once: the voice stops what it has going (`stopVoice`, which may
   * commit the turns it still holds), then the journal is flushed, the recording closed
   * and the summary handed over.
   */
  finish(reason: RoundEndReason, stopVoice: () => void): Promise<void> {
    this.finishing ??= (async () => {
      this.timers.forEach((t) => t.cancel());
      stopVoice();
      await this.journalWrites;
      const { durationMs } = await this.deps.recorder.close();
      const summary = computeRoundSummary(this.turns, durationMs);
      await this.deps.onFinished({ reason, summary, turns: this.turns });
      this.deps.emit({ type: 'ended', reason, summary });
    })();
    return this.finishing;
  }
}
