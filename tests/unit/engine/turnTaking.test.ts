import { describe, expect, it } from 'vitest';
import { millis } from '../../../src/core/units';
import { FakeClock } from '../../../src/engine/testing/fakeClock';
import {
  SPEECH_END_REPORT_LAG_MS,
  TurnTaking,
  type CandidateTurnSpan,
  type FloorState,
} from '../../../src/engine/turnTaking';
import type { TurnEnding } from '../../../src/engine/turnCompletion';

const SILENCE_MS = 1200;

interface Harness {
  clock: FakeClock;
  floor: TurnTaking;
  states: FloorState[];
  spans: CandidateTurnSpan[];
  bargeIns: number[];
  resumes: number;
}

function setup(options: { allowInterruptions?: boolean } = {}): Harness {
  const clock = new FakeClock();
  const h: Harness = {
    clock,
    floor: undefined as unknown as TurnTaking,
    states: [],
    spans: [],
    bargeIns: [],
    resumes: 0,
  };
  h.floor = new TurnTaking({
    clock,
    endOfTurnSilenceMs: millis(SILENCE_MS),
    allowInterruptions: options.allowInterruptions ?? true,
    onStateChange: (s) => h.states.push(s),
    onEndOfTurn: (span) => h.spans.push(span),
    onBargeIn: (at) => h.bargeIns.push(at),
    onResume: () => h.resumes++,
  });
  return h;
}

/** Opening spoken and heard: the floor is the candidate's. */
function listening(options: { allowInterruptions?: boolean } = {}): Harness {
  const h = setup(options);
  h.floor.interviewerStarted();
  h.floor.interviewerFinished();
  expect(h.floor.state).toBe('listening');
  h.states.length = 0;
  return h;
}

describe('TurnTaking: end of turn by silence', () => {
  it('ends the turn only once the full silence window has passed', () => {
    const h = listening();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(4000));
    h.clock.advance(SILENCE_MS - 1);
    expect(h.spans).toEqual([]);
    expect(h.floor.state).toBe('candidate-speaking');
    h.clock.advance(1);
    expect(h.spans).toEqual([{ startMs: 1000, endMs: 4000, empty: false }]);
    expect(h.floor.state).toBe('thinking');
  });

  it('does not end the turn while the candidate is still speaking, however long', () => {
    const h = listening();
    h.floor.speechStart(millis(0));
    h.clock.advance(60_000);
    expect(h.spans).toEqual([]);
    expect(h.floor.state).toBe('candidate-speaking');
  });

  it('speech resuming inside the window cancels it; the window restarts at the next pause', () => {
    const h = listening();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(2000));
    h.clock.advance(SILENCE_MS - 200);
    h.floor.speechStart(millis(2900));
    h.clock.advance(SILENCE_MS * 5);
    expect(h.spans).toEqual([]);
    h.floor.speechEnd(millis(9000));
    h.clock.advance(SILENCE_MS - 1);
    expect(h.spans).toEqual([]);
    h.clock.advance(1);
    // One turn from the first word to the last.
    expect(h.spans).toEqual([{ startMs: 1000, endMs: 9000, empty: false }]);
  });

  it('leaves no timer running once the turn has ended', () => {
    const h = listening();
    h.floor.speechStart(millis(0));
    h.floor.speechEnd(millis(500));
    h.clock.advance(SILENCE_MS);
    expect(h.clock.pendingTimers()).toBe(0);
    h.clock.advance(SILENCE_MS * 3);
    expect(h.spans).toHaveLength(1);
  });
});

describe('TurnTaking: "I\'m done"', () => {
  it('mid-speech ends the turn at once at the moment pressed', () => {
    const h = listening();
    h.floor.speechStart(millis(1000));
    h.floor.done(millis(3500));
    expect(h.spans).toEqual([{ startMs: 1000, endMs: 3500, empty: false }]);
    expect(h.floor.state).toBe('thinking');
    // No silence window left over to fire a second end of turn.
    h.floor.speechEnd(millis(3600));
    h.clock.advance(SILENCE_MS * 2);
    expect(h.spans).toHaveLength(1);
  });

  it('after speech ends the turn at the last speech end, not at the press', () => {
    const h = listening();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(3000));
    h.clock.advance(300);
    h.floor.done(millis(3300));
    expect(h.spans).toEqual([{ startMs: 1000, endMs: 3000, empty: false }]);
    h.clock.advance(SILENCE_MS * 2);
    expect(h.spans).toHaveLength(1);
  });

  it('while listening with no speech gives an empty span at the press', () => {
    const h = listening();
    h.floor.done(millis(7000));
    expect(h.spans).toEqual([{ startMs: 7000, endMs: 7000, empty: true }]);
    expect(h.floor.state).toBe('thinking');
  });

  it('is ignored while the interviewer holds the floor or is thinking', () => {
    const h = setup();
    h.floor.done(millis(10)); // thinking (opening being prepared)
    h.floor.interviewerStarted();
    h.floor.done(millis(20));
    expect(h.spans).toEqual([]);
    expect(h.floor.state).toBe('interviewer-speaking');
  });
});

describe('TurnTaking: hold to think', () => {
  it('keeps the floor through a long pause and re-arms the window on release', () => {
    const h = listening();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(2000));
    h.floor.hold(true);
    expect(h.floor.isHolding).toBe(true);
    h.clock.advance(30_000);
    expect(h.spans).toEqual([]);
    expect(h.floor.state).toBe('candidate-speaking');

    h.floor.hold(false);
    expect(h.floor.isHolding).toBe(false);
    h.clock.advance(SILENCE_MS - 1);
    expect(h.spans).toEqual([]);
    h.clock.advance(1);
    expect(h.spans).toEqual([{ startMs: 1000, endMs: 2000, empty: false }]);
  });

  it('a pause that starts while holding still needs a full window after release', () => {
    const h = listening();
    h.floor.speechStart(millis(1000));
    h.floor.hold(true);
    h.floor.speechEnd(millis(2500));
    h.clock.advance(30_000);
    expect(h.spans).toEqual([]);
    h.floor.hold(false);
    h.clock.advance(SILENCE_MS);
    expect(h.spans).toEqual([{ startMs: 1000, endMs: 2500, empty: false }]);
  });

  it('releasing while the candidate is speaking does not start the window', () => {
    const h = listening();
    h.floor.speechStart(millis(1000));
    h.floor.hold(true);
    h.floor.hold(false);
    h.clock.advance(SILENCE_MS * 3);
    expect(h.spans).toEqual([]);
  });

  it('"I\'m done" still ends a held turn', () => {
    const h = listening();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(2000));
    h.floor.hold(true);
    h.floor.done(millis(20_000));
    expect(h.spans).toEqual([{ startMs: 1000, endMs: 2000, empty: false }]);
  });
});

describe('TurnTaking: barge-in', () => {
  it('speech while the interviewer talks takes the floor and calls onBargeIn', () => {
    const h = setup({ allowInterruptions: true });
    h.floor.interviewerStarted();
    h.floor.speechStart(millis(4200));
    expect(h.bargeIns).toEqual([4200]);
    expect(h.floor.state).toBe('candidate-speaking');
    h.floor.speechEnd(millis(6000));
    h.clock.advance(SILENCE_MS);
    // The candidate's turn starts at the barge-in.
    expect(h.spans).toEqual([{ startMs: 4200, endMs: 6000, empty: false }]);
  });

  it('is ignored when interruptions are not allowed', () => {
    const h = setup({ allowInterruptions: false });
    h.floor.interviewerStarted();
    h.floor.speechStart(millis(4200));
    h.floor.speechEnd(millis(5000));
    h.clock.advance(SILENCE_MS * 3);
    expect(h.bargeIns).toEqual([]);
    expect(h.spans).toEqual([]);
    expect(h.floor.state).toBe('interviewer-speaking');
    // The interviewer finishes normally and the floor passes as usual.
    h.floor.interviewerFinished();
    expect(h.floor.state).toBe('listening');
    h.floor.speechStart(millis(7000));
    h.floor.speechEnd(millis(8000));
    h.clock.advance(SILENCE_MS);
    expect(h.spans).toEqual([{ startMs: 7000, endMs: 8000, empty: false }]);
  });
});

describe('TurnTaking: resuming while the interviewer is thinking', () => {
  it('speech after a candidate turn calls onResume and returns to candidate-speaking', () => {
    const h = listening();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(2000));
    h.clock.advance(SILENCE_MS);
    expect(h.floor.state).toBe('thinking');

    h.floor.speechStart(millis(3500));
    expect(h.resumes).toBe(1);
    expect(h.floor.state).toBe('candidate-speaking');
    h.floor.speechEnd(millis(5000));
    h.clock.advance(SILENCE_MS);
    // The resumed turn is one turn from the first word.
    expect(h.spans).toEqual([
      { startMs: 1000, endMs: 2000, empty: false },
      { startMs: 1000, endMs: 5000, empty: false },
    ]);
  });

  it('speech while the opening is prepared is not a resume', () => {
    const h = setup();
    expect(h.floor.state).toBe('thinking');
    h.floor.speechStart(millis(100));
    expect(h.resumes).toBe(0);
    expect(h.floor.state).toBe('thinking');
  });
});

describe('TurnTaking: state reports', () => {
  it('reports each change once, in order, through a whole exchange', () => {
    const h = setup();
    h.floor.interviewerStarted();
    h.floor.interviewerStarted(); // no change, no report
    h.floor.interviewerFinished();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(2000));
    h.clock.advance(SILENCE_MS);
    h.floor.interviewerStarted();
    h.floor.speechStart(millis(9000)); // barge-in
    h.floor.end();
    expect(h.states).toEqual([
      'interviewer-speaking',
      'listening',
      'candidate-speaking',
      'thinking',
      'interviewer-speaking',
      'candidate-speaking',
      'ended',
    ]);
  });

  it('nothing moves the floor once ended', () => {
    const h = listening();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(2000));
    h.floor.end();
    h.clock.advance(SILENCE_MS * 2);
    h.floor.interviewerStarted();
    h.floor.speechStart(millis(5000));
    h.floor.done(millis(6000));
    expect(h.spans).toEqual([]);
    expect(h.floor.state).toBe('ended');
    expect(h.states).toEqual(['candidate-speaking', 'ended']);
  });
});

describe('TurnTaking: backchannels under the interviewer', () => {
  function confirming(confirmMs = 350) {
    const clock = new FakeClock();
    const ducks: boolean[] = [];
    const bargeIns: number[] = [];
    const spans: CandidateTurnSpan[] = [];
    const floor = new TurnTaking({
      clock,
      endOfTurnSilenceMs: millis(SILENCE_MS),
      allowInterruptions: true,
      bargeInConfirmMs: millis(confirmMs),
      onDuck: (on) => ducks.push(on),
      onStateChange: () => undefined,
      onEndOfTurn: (span) => spans.push(span),
      onBargeIn: (at) => bargeIns.push(at),
      onResume: () => undefined,
    });
    floor.interviewerStarted();
    return { clock, floor, ducks, bargeIns, spans };
  }

  it('an "mm-hm" shorter than the confirm window ducks the interviewer, then lets it go on', () => {
    const h = confirming();
    h.floor.speechStart(millis(5000));
    expect(h.ducks).toEqual([true]);
    h.clock.advance(200);
    h.floor.speechEnd(millis(5200));
    expect(h.ducks).toEqual([true, false]);
    h.clock.advance(5000);
    expect(h.bargeIns).toEqual([]);
    expect(h.floor.state).toBe('interviewer-speaking');
  });

  it('speech that lasts past the window interrupts, from when it began', () => {
    const h = confirming();
    h.floor.speechStart(millis(5000));
    // An end could still be on its way until the detector's report lag has passed too.
    h.clock.advance(349 + SPEECH_END_REPORT_LAG_MS);
    expect(h.bargeIns).toEqual([]);
    h.clock.advance(1);
    expect(h.bargeIns).toEqual([5000]);
    expect(h.floor.state).toBe('candidate-speaking');
    expect(h.ducks).toEqual([true, false]);
    h.floor.speechEnd(millis(8000));
    h.clock.advance(SILENCE_MS);
    expect(h.spans).toEqual([{ startMs: 5000, endMs: 8000, empty: false }]);
  });

  it('speech reported ended after the window, but longer than it, still interrupts', () => {
    const h = confirming();
    h.floor.speechStart(millis(5000));
    h.clock.advance(300);
    h.floor.speechEnd(millis(5400)); // 400 ms of speech: more than a backchannel
    expect(h.bargeIns).toEqual([5000]);
    expect(h.floor.state).toBe('candidate-speaking');
    h.clock.advance(SILENCE_MS);
    expect(h.spans).toEqual([{ startMs: 5000, endMs: 5400, empty: false }]);
  });

  it('when the interviewer finishes during the window, the candidate’s speech becomes their turn', () => {
    const h = confirming();
    h.floor.speechStart(millis(5000));
    h.clock.advance(100);
    h.floor.interviewerFinished();
    expect(h.bargeIns).toEqual([]);
    expect(h.floor.state).toBe('candidate-speaking');
    h.floor.speechEnd(millis(9000));
    h.clock.advance(SILENCE_MS);
    expect(h.spans).toEqual([{ startMs: 5000, endMs: 9000, empty: false }]);
  });
});

describe('TurnTaking: adaptive end of turn and drafts', () => {
  const FINISHED_MS = 500;
  const UNFINISHED_MS = 4000;

  function adaptive(options: { recordingNowMs?: () => number; judgeAtOnce?: TurnEnding } = {}) {
    const clock = new FakeClock();
    const spans: CandidateTurnSpan[] = [];
    const pauses: CandidateTurnSpan[] = [];
    let resumes = 0;
    const floor: TurnTaking = new TurnTaking({
      clock,
      endOfTurnSilenceMs: millis(FINISHED_MS),
      unfinishedSilenceMs: millis(UNFINISHED_MS),
      ...(options.recordingNowMs
        ? { recordingNowMs: () => millis(options.recordingNowMs?.() ?? 0) }
        : {}),
      allowInterruptions: true,
      onStateChange: () => undefined,
      onPause: (span) => {
        pauses.push(span);
        if (options.judgeAtOnce) floor.judge(options.judgeAtOnce, span.endMs);
      },
      onEndOfTurn: (span) => spans.push(span),
      onBargeIn: () => undefined,
      onResume: () => resumes++,
    });
    floor.interviewerStarted();
    floor.interviewerFinished();
    return { clock, floor, spans, pauses, resumes: () => resumes };
  }

  it('a finished sentence ends the turn after the ordinary window', () => {
    const h = adaptive();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(3000));
    expect(h.pauses).toEqual([{ startMs: 1000, endMs: 3000, empty: false }]);
    h.floor.judge('finished', millis(3000));
    h.clock.advance(FINISHED_MS - 1);
    expect(h.spans).toEqual([]);
    h.clock.advance(1);
    expect(h.spans).toEqual([{ startMs: 1000, endMs: 3000, empty: false }]);
  });

  it('a 3 s pause after an unfinished sentence does not end the turn; the words go on', () => {
    const h = adaptive();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(3000));
    h.floor.judge('unfinished', millis(3000));
    h.clock.advance(3000);
    expect(h.spans).toEqual([]);
    expect(h.floor.state).toBe('candidate-speaking');
    h.floor.speechStart(millis(6000));
    expect(h.resumes()).toBe(1); // the draft made at the pause is dropped
    h.floor.speechEnd(millis(7000));
    h.floor.judge('finished', millis(7000));
    h.clock.advance(FINISHED_MS);
    expect(h.spans).toEqual([{ startMs: 1000, endMs: 7000, empty: false }]);
  });

  it('an unfinished sentence still ends the turn once the longer window has passed', () => {
    const h = adaptive();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(3000));
    h.floor.judge('unfinished', millis(3000));
    h.clock.advance(UNFINISHED_MS - 1);
    expect(h.spans).toEqual([]);
    h.clock.advance(1);
    expect(h.spans).toHaveLength(1);
  });

  it('waits for the transcript past the window, and ends as soon as it says finished', () => {
    const h = adaptive();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(3000));
    h.clock.advance(FINISHED_MS * 3);
    expect(h.spans).toEqual([]);
    h.floor.judge('finished', millis(3000));
    expect(h.spans).toHaveLength(1);
  });

  it('a late judgement of an earlier pause is ignored', () => {
    const h = adaptive();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(2000));
    h.floor.speechStart(millis(2400));
    h.floor.speechEnd(millis(3000));
    h.floor.judge('finished', millis(2000));
    h.clock.advance(FINISHED_MS * 4);
    expect(h.spans).toEqual([]);
    h.floor.judge('unfinished', millis(3000));
    h.clock.advance(UNFINISHED_MS);
    expect(h.spans).toEqual([{ startMs: 1000, endMs: 3000, empty: false }]);
  });

  it('with no transcript (judged unknown) the ordinary window applies', () => {
    const h = adaptive({ judgeAtOnce: 'unknown' });
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(3000));
    h.clock.advance(FINISHED_MS);
    expect(h.spans).toHaveLength(1);
  });

  it('counts the window from the end of speech on the recording clock, not the late report', () => {
    let recordingNow = 0;
    const h = adaptive({ recordingNowMs: () => recordingNow, judgeAtOnce: 'finished' });
    h.floor.speechStart(millis(1000));
    recordingNow = 3200; // the report of an end at 3000 arrives 200 ms later
    h.floor.speechEnd(millis(3000));
    h.clock.advance(FINISHED_MS - 200 - 1);
    expect(h.spans).toEqual([]);
    h.clock.advance(1);
    expect(h.spans).toHaveLength(1);
  });

  it('"I\'m done" in a pause ends the turn on the drafted span; mid-word it drops the draft', () => {
    const h = adaptive();
    h.floor.speechStart(millis(1000));
    h.floor.speechEnd(millis(3000));
    h.floor.done(millis(3100));
    expect(h.spans).toEqual([{ startMs: 1000, endMs: 3000, empty: false }]);
    expect(h.resumes()).toBe(0);

    const g = adaptive();
    g.floor.speechStart(millis(1000));
    g.floor.speechEnd(millis(2000));
    g.floor.speechStart(millis(2300)); // resumed: the first draft is dropped here
    g.floor.done(millis(2600));
    expect(g.resumes()).toBe(1);
    expect(g.spans).toEqual([{ startMs: 1000, endMs: 2600, empty: false }]);
  });
});
