import { roundPackSchema, type RoundPack } from '../../../src/core/roundPack';
import type { Turn } from '../../../src/core/transcript';
import { millis } from '../../../src/core/units';
import type { InterviewContext, RoundPhase } from '../../../src/providers/types';

/** A small valid round pack for provider tests (validated, so it tracks the schema). */
export const samplePack: RoundPack = roundPackSchema.parse({
  schemaVersion: 1,
  id: 'acme-system-design',
  company: 'Acme',
  loop: { id: 'acme-swe', title: 'Acme software engineer loop' },
  title: 'System design',
  summary: 'Design a service end to end.',
  persona: {
    name: 'Dana Okafor',
    role: 'staff engineer on the storage team',
    temperament: 'warm but exacting',
    speakingStyle: 'short, plain sentences',
    voice: { openai: 'cedar', embedded: 'slt', instructions: 'Calm, friendly, unhurried.' },
  },
  plan: [
    { phase: 'intro', minutes: 2, goal: 'Set the stage.' },
    { phase: 'questions', minutes: 20, goal: 'Work through the design.' },
    { phase: 'candidate-questions', minutes: 5, goal: 'Answer their questions.' },
  ],
  opening: 'Hi, I am Dana. Today we will design a URL shortener together.',
  questions: [
    {
      id: 'url-shortener',
      topic: 'API and storage',
      prompt: 'How would you design a URL shortener?',
      strongAnswer: [
        { label: 'SECRET-HASHING-SCHEME', text: 'SECRET-HASHING-SCHEME' },
        { label: 'read-heavy caching', text: 'read-heavy caching' },
      ],
      followUps: [
        { kind: 'why', prompt: 'Why that key scheme?' },
        { kind: 'scale', prompt: 'What changes at 10x the traffic?' },
      ],
    },
    {
      id: 'analytics',
      topic: 'Click analytics',
      prompt: 'How would you count clicks per link?',
      strongAnswer: [{ label: 'async event pipeline', text: 'async event pipeline' }],
      followUps: [{ kind: 'failure', prompt: 'What if the pipeline falls behind?' }],
    },
  ],
  rubric: [
    {
      id: 'design',
      name: 'Design',
      descriptors: { 1: 'weak', 2: 'fair', 3: 'good', 4: 'great' },
    },
    {
      id: 'curiosity',
      name: 'Curiosity',
      descriptors: { 1: 'weak', 2: 'fair', 3: 'good', 4: 'great' },
    },
  ],
  closing: {
    invite: 'We have a few minutes left. What would you like to ask me?',
    farewell: 'Thanks for your time today. Goodbye!',
    criterion: 'curiosity',
  },
});

export function turn(
  id: string,
  speaker: Turn['speaker'],
  text: string | null,
  startMs: number,
  endMs: number,
  extra: Partial<Turn> = {},
): Turn {
  return { id, speaker, text, startMs: millis(startMs), endMs: millis(endMs), ...extra };
}

export function contextWith(
  turns: Turn[],
  phase: RoundPhase = 'questions',
  elapsedMinutes = 5,
): InterviewContext {
  return {
    pack: samplePack,
    turns,
    phase,
    elapsedMs: millis(elapsedMinutes * 60_000),
    remainingMs: millis((27 - elapsedMinutes) * 60_000),
  };
}

/** A behavioral round with one story question (STAR follow-ups) and one plain question. */
export const storyPack: RoundPack = roundPackSchema.parse({
  ...samplePack,
  id: 'acme-behavioral',
  title: 'Behavioral',
  questions: [
    {
      id: 'lag-incident',
      topic: 'A production incident you owned',
      prompt: 'Tell me about a production incident you owned from start to finish.',
      story: true,
      strongAnswer: [
        { label: 'own role', text: 'a clear personal role distinct from the team' },
        { label: 'root cause', text: 'the root cause explained at the mechanism level' },
      ],
      followUps: [
        { kind: 'why', prompt: 'Why did you pick that fix?' },
        { kind: 'situation', prompt: 'Set the scene: where were you and what was going on?' },
        { kind: 'task', prompt: 'What exactly were you on the hook for?' },
        { kind: 'action', prompt: 'What did you do yourself, not the team?' },
        { kind: 'result', prompt: 'What was the result, in numbers?' },
      ],
    },
    samplePack.questions[1],
  ],
});

/** A story told up to the action: situation, task and the candidate's own action, no result. */
export const STORY_WITHOUT_RESULT =
  'At my last company we ran the payments pipeline on Kafka. I was responsible for consumer lag during the holiday peak. I traced the lag to rebalance storms and I moved the consumers to cooperative rebalancing.';
