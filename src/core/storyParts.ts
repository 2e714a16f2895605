import { splitSentences } from './sentences';
import { STAR_PARTS, type StarPart } from './roundPack';

/**
 * Which parts of a story (STAR: situation, task, action, result) an answer tells, read
 * from its transcript by plain phrase patterns. It is what a listening interviewer
 * notices — "I never heard what came of it", "that was all 'we'" — not a grade: a
 * missing part is a prompt to ask, and the scorecard says it was missing.
 *
 * Stricter than the acronym on two points, as a demanding interviewer is: the action
 * must be the candidate's own ("I …", not only "we …"), and the result must be measured
 * (a number, a percentage, a before and after), not "it went well".
 */
export interface StoryCheck {
  /** Parts not heard, in STAR order. */
  missing: StarPart[];
  /** Sentences that said something the candidate did themselves. */
  ownActions: number;
  /** Sentences that told what the team did. */
  teamActions: number;
  /** An outcome was told, with or without a number. */
  outcomeTold: boolean;
}

const SITUATION =
  /\b(at (my|our|a|the) (previous|last|old|current|former|first)?\s*(company|job|employer|startup|team|role|bank|org)|when i (was|joined|worked|ran)|back (then|in|when)|(last|that) (year|quarter|summer|spring|winter|fall)|in (19|20)\d\d|years? ago|months? ago|we (were|had) (a|an|the|about|around|this)|our (team|company|customers?|platform|system|cluster|product) (was|were|had|ran|used)|the (context|situation|background) was|i was (working|an?|the) )/i;

const TASK =
  /\b(my (job|task|goal|role|responsibility|mandate|mission) (was|is)|i was (responsible|asked|tasked|on the hook|in charge|accountable|the owner|the one|assigned|leading|supposed)|i (owned|had to|needed to|was expected to|had the goal)|we (needed|had) to|the (goal|task|ask|challenge|problem) was|(needed|had) to (get|bring|cut|reduce|fix|ship|deliver|make|keep|find|decide|convince))\b/i;

/** "I" followed by a verb of doing: not thinking, hedging or being. */
const OWN_ACTION =
  /\bI\s+(?:(?:then|also|personally|first|eventually|finally|just|actually|quickly|immediately|myself)\s+)?(?!think\b|guess\b|mean\b|believe\b|feel\b|hope\b|suppose\b|was\b|am\b|would\b|could\b|should\b|might\b|don'?t\b|didn'?t\b|do\b|can\b|know\b|remember\b|like\b|love\b|have\b|had\b|'m\b|'d\b|'ve\b)([a-z]+ed|built|wrote|led|ran|drove|made|took|set|went|met|chose|sat|dug|found|got|brought|spent|began|gave|sent|split|cut|put|pushed|pulled|proposed|decided|rolled|called|owned|paired|reviewed|traced|measured|moved|tested|shipped|asked|talked|convinced|negotiated|escalated|started|designed|rewrote|added|removed|changed|fixed|argued|presented|pitched|interviewed|hired|mentored|coached|organized|scheduled|killed|dropped|rebuilt|profiled|instrumented|benchmarked|automated|documented|championed|wrote)\b/i;
const TEAM_ACTION =
  /\bwe\s+(?:then\s+|also\s+|eventually\s+|finally\s+)?(?!were\b|are\b|had\b|have\b|would\b|could\b|should\b|might\b|don'?t\b|didn'?t\b|do\b|can\b|know\b|think\b|'re\b|'d\b|'ve\b)[a-z]+/i;

const OUTCOME =
  /\b(result(ed|s)?|outcome|impact|in the end|end(ed)? up|as a result|afterwards|after (that|the (change|fix|launch|rollout))|which (cut|reduced|brought|took|saved|increased|improved|dropped)|(cut|reduced|lowered|dropped|fell|decreased|increased|improved|grew|raised|doubled|tripled|halved|saved|recovered|went (down|up)|brought (it |that )?(down|up))\b|shipped|launched|we (won|lost|hit|met|missed)|(hit|met|missed|beat) (the|our) (target|goal|deadline|slo))/i;
const MEASURE =
  /(\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred|thousand|million|billion|half|double|twice|triple)\b|percent|%|\bx\b|\bp9\d\b|\bfrom\b.+\bto\b)/i;

export function storyCheck(text: string): StoryCheck {
  const sentences = splitSentences(text);
  const ownActions = sentences.filter((s) => OWN_ACTION.test(s)).length;
  const teamActions = sentences.filter((s) => TEAM_ACTION.test(s)).length;
  const outcomes = sentences.filter((s) => OUTCOME.test(s));
  const measured = outcomes.some((s) => MEASURE.test(s));
  const heard: Record<StarPart, boolean> = {
    situation: SITUATION.test(text),
    task: TASK.test(text),
    action: ownActions > 0,
    result: measured,
  };
  return {
    missing: STAR_PARTS.filter((part) => !heard[part]),
    ownActions,
    teamActions,
    outcomeTold: outcomes.length > 0,
  };
}

/** What a coach would jot about a missing part. */
export function describeMissingPart(part: StarPart, check: StoryCheck): string {
  switch (part) {
    case 'situation':
      return 'no situation (where, when, what was going on)';
    case 'task':
      return 'no task (what they were on the hook for)';
    case 'action':
      return check.teamActions > 0
        ? 'team narrative: no action of their own ("we", never "I")'
        : 'no action of their own';
    case 'result':
      return check.outcomeTold ? 'result not measured (no number)' : 'no result';
  }
}

/**
 * Which missing part to ask about first: the result and the candidate's own action are
 * what separate a story from a narrative, so they come before the scene-setting parts.
 */
export const STAR_PROBE_ORDER: readonly StarPart[] = ['result', 'action', 'task', 'situation'];

export function firstPartToProbe(missing: readonly StarPart[]): StarPart | undefined {
  return STAR_PROBE_ORDER.find((part) => missing.includes(part));
}
