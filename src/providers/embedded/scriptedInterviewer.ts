import {
  scheduledQuestion,
  STAR_PARTS,
  type FollowUp,
  type Persona,
  type Question,
} from '../../core/roundPack';
import { conceptKeywords, stem } from '../../core/conceptCoverage';
import { missingConceptsNow, storyPartsMissingNow } from '../../core/interviewerNotes';
import { STAR_PROBE_ORDER } from '../../core/storyParts';
import type { Turn } from '../../core/transcript';
import { textStream } from '../textStream';
import type { InterviewContext, Interviewer, InterviewerReply } from '../types';

/** Answers shorter than this get a probe for depth; longer ones get a stress test. */
const SHORT_ANSWER_MS = 20_000;
const DEPTH_PROBES: FollowUp['kind'][] = ['clarify', 'example', 'why'];
const STRESS_PROBES: FollowUp['kind'][] = ['failure', 'scale', 'tradeoff'];
const TRANSITIONS = ["Okay, let's move on.", 'Good. Next topic.', 'Alright, switching gears.'];

/**
 * The offline interviewer: runs the round pack's question plan without any model. It
 * does not understand the answers, so it chooses probes from what it can measure — how
 * long the candidate spoke and, when there is a transcript (local speech recognition or
 * a server), which STAR part a story left out and which strong-answer concept the answer
 * missed — in the persona's own style (which probes it reaches for, how many), keeps to the
 * time plan, and never pretends to more.
 */
export class ScriptedInterviewer implements Interviewer {
  readonly info = { kind: 'embedded', model: 'scripted plan' };
  private questionIndex = 0;
  private followUpsAsked = 0;
  private invited = false;
  private readonly asked = new Set<string>();

  /**
   * Take over a round another interviewer started (it failed): continue after the last
   * question of the pack that was asked, treating it as already probed.
   */
  resumeFrom(context: InterviewContext): void {
    const asked = [...context.turns]
      .reverse()
      .find((t) => t.speaker === 'interviewer' && t.questionId !== undefined);
    const index = context.pack.questions.findIndex((q) => q.id === asked?.questionId);
    this.questionIndex = Math.max(0, index);
    this.followUpsAsked = index >= 0 ? 1 : 0;
  }

  open(context: InterviewContext): InterviewerReply {
    const first = context.pack.questions[0];
    return this.say(`${context.pack.opening} ${first?.prompt ?? ''}`, first?.id);
  }

  reply(context: InterviewContext): InterviewerReply {
    const { pack } = context;
    if (context.phase === 'farewell') return this.say(pack.closing.farewell, undefined, 'farewell');
    if (context.phase === 'closing') return this.close(context);

    const question = pack.questions[this.questionIndex];
    // Cut off before the question itself was heard: finish asking it first.
    if (question && questionWasCutOff(question, context.turns)) {
      return this.say(`Let me finish the question. ${question.prompt}`, question.id);
    }
    const answer = lastCandidateTurn(context.turns);
    // Behind the time plan: no more probing on this question.
    const behind = scheduledQuestion(pack, context.elapsedMs).index > this.questionIndex;
    const { maxFollowUps } = pack.persona.probing;
    if (question && answer && !behind && this.followUpsAsked < maxFollowUps) {
      const probe =
        storyProbe(question, context, this.asked) ??
        conceptProbe(question, context, this.asked) ??
        pickFollowUp(question, answer.endMs - answer.startMs, pack.persona, this.asked);
      if (probe) {
        this.followUpsAsked++;
        this.asked.add(probe.prompt);
        return this.say(probe.prompt, question.id);
      }
    }
    this.questionIndex++;
    this.followUpsAsked = 0;
    const next = pack.questions[this.questionIndex];
    if (!next) return this.close(context);
    const transition = TRANSITIONS[this.questionIndex % TRANSITIONS.length] ?? '';
    return this.say(`${transition} ${next.prompt}`, next.id);
  }

  private close(context: InterviewContext): InterviewerReply {
    const { closing } = context.pack;
    if (!this.invited) {
      this.invited = true;
      return this.say(closing.invite, undefined, 'closing');
    }
    return this.say(
      `Thanks for asking. I can't answer questions offline, so note that one for your real interviewer. ${closing.farewell}`,
      undefined,
      'farewell',
    );
  }

  private say(
    text: string,
    questionId?: string,
    phaseAfter?: InterviewerReply['phaseAfter'],
  ): InterviewerReply {
    return {
      text: textStream(text.trim()),
      ...(questionId !== undefined ? { questionId } : {}),
      ...(phaseAfter !== undefined ? { phaseAfter } : {}),
    };
  }
}

/** The question was started but cut off before its end, and never heard in full since. */
export function questionWasCutOff(question: Question, turns: readonly Turn[]): boolean {
  const ending = question.prompt
    .split(/\s+/)
    .slice(-4)
    .join(' ')
    .replace(/[.?!…]+$/, '');
  const asked = turns.filter((t) => t.speaker === 'interviewer' && t.questionId === question.id);
  const heard = (t: Turn) => !t.interrupted || (t.text ?? '').includes(ending);
  return asked.length > 0 && !asked.some(heard);
}

function lastCandidateTurn(turns: readonly Turn[]): Turn | undefined {
  const last = turns[turns.length - 1];
  return last?.speaker === 'candidate' ? last : undefined;
}

/**
 * A story question whose answers (transcribed) leave out a STAR part: the pack's
 * follow-up for that part — the measured result and the candidate's own action first.
 */
export function storyProbe(
  question: Question,
  context: InterviewContext,
  alreadyAsked: ReadonlySet<string> = new Set(),
): FollowUp | undefined {
  if (!question.story) return undefined;
  const missing = storyPartsMissingNow(context.pack, context.turns);
  const fresh = question.followUps.filter((f) => !alreadyAsked.has(f.prompt));
  for (const part of STAR_PROBE_ORDER) {
    const probe = missing.includes(part) ? fresh.find((f) => f.kind === part) : undefined;
    if (probe) return probe;
  }
  return undefined;
}

/**
 * With a transcript, an answer that missed strong-answer concepts gets the pack's
 * follow-up closest to one of them (the most shared keywords), instead of a probe chosen
 * by length alone. None when no follow-up touches a missed concept.
 */
export function conceptProbe(
  question: Question,
  context: InterviewContext,
  alreadyAsked: ReadonlySet<string> = new Set(),
): FollowUp | undefined {
  const missing = missingConceptsNow(context.pack, context.turns);
  if (missing.length === 0) return undefined;
  const stems = (text: string) => new Set(conceptKeywords(text).map(stem));
  const missed = missing.map(stems);
  let best: { probe: FollowUp; score: number } | undefined;
  for (const probe of question.followUps) {
    if (alreadyAsked.has(probe.prompt) || isStarPart(probe.kind)) continue;
    const words = stems(probe.prompt);
    const score = Math.max(...missed.map((m) => [...m].filter((w) => words.has(w)).length));
    if (score > (best?.score ?? 0)) best = { probe, score };
  }
  return best?.probe;
}

function isStarPart(kind: FollowUp['kind']): boolean {
  return (STAR_PARTS as readonly string[]).includes(kind);
}

/**
 * A short answer gets a probe for depth, a long one a stress test — each in the order
 * this persona prefers; a follow-up already asked is not asked again.
 */
export function pickFollowUp(
  question: Question,
  answerMs: number,
  persona?: Persona,
  alreadyAsked: ReadonlySet<string> = new Set(),
): FollowUp | undefined {
  const suits = answerMs < SHORT_ANSWER_MS ? DEPTH_PROBES : STRESS_PROBES;
  const prefer = persona?.probing.prefer ?? suits;
  // The persona's taste decides among the probes that suit the answer; any other probe
  // is a fallback, in the persona's order.
  const order = [...prefer.filter((k) => suits.includes(k)), ...suits, ...prefer];
  const fresh = question.followUps.filter((f) => !alreadyAsked.has(f.prompt));
  // STAR probes are asked for a part heard missing (storyProbe), not by answer length.
  for (const kind of order) {
    const match = fresh.find((f) => f.kind === kind);
    if (match) return match;
  }
  return fresh.find((f) => !isStarPart(f.kind));
}
