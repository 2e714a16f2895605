import { roundPackSchema, type RoundPack } from '../../../src/core/roundPack';

/**
 * A small valid round pack for engine tests: 4 minutes in all, the last one reserved
 * for the candidate's questions (so closing starts at 3:00 and time is up at 4:00).
 * Parsed with the real schema so it tracks the contract.
 */
export function testPack(overrides: Partial<Record<keyof RoundPack, unknown>> = {}): RoundPack {
  return roundPackSchema.parse({
    schemaVersion: 1,
    id: 'acme-backend',
    company: 'Acme',
    loop: { id: 'acme-swe', title: 'Acme software engineer loop' },
    title: 'Backend deep dive',
    summary: 'Storage and queues.',
    persona: {
      name: 'Dana Okafor',
      role: 'Staff engineer',
      temperament: 'calm',
      speakingStyle: 'brief',
      voice: { openai: 'cedar', embedded: 'slt', instructions: 'Speak calmly.' },
    },
    plan: [
      { phase: 'intro', minutes: 1, goal: 'Set the stage.' },
      { phase: 'questions', minutes: 2, goal: 'Work through the questions.' },
      { phase: 'candidate-questions', minutes: 1, goal: 'Answer their questions.' },
    ],
    opening: 'Hi, I am Dana. Thanks for joining today.',
    questions: [
      {
        id: 'log-storage',
        topic: 'Storage',
        prompt: 'How does a log segment get written to disk?',
        strongAnswer: [
          { label: 'append-only segments', text: 'append-only segments' },
          { label: 'page cache', text: 'page cache' },
        ],
        followUps: [
          { kind: 'scale', prompt: 'What happens at ten times the write rate?' },
          { kind: 'failure', prompt: 'What if the broker crashes mid-write?' },
          { kind: 'example', prompt: 'Can you walk me through a concrete write?' },
          { kind: 'clarify', prompt: 'What exactly do you mean by flushed?' },
        ],
      },
      {
        id: 'consumer-groups',
        topic: 'Consumers',
        prompt: 'How does a consumer group rebalance?',
        strongAnswer: [{ label: 'group coordinator', text: 'group coordinator' }],
        followUps: [
          { kind: 'why', prompt: 'Why does the coordinator own that decision?' },
          { kind: 'scale', prompt: 'How does that behave with a thousand consumers?' },
        ],
      },
    ],
    rubric: [
      { id: 'depth', name: 'Depth', descriptors: { 1: 'a', 2: 'b', 3: 'c', 4: 'd' } },
      { id: 'curiosity', name: 'Curiosity', descriptors: { 1: 'a', 2: 'b', 3: 'c', 4: 'd' } },
    ],
    closing: {
      invite: 'We have a few minutes left. What would you like to ask me?',
      farewell: 'Thanks for your time today. Goodbye!',
      criterion: 'curiosity',
    },
    ...overrides,
  });
}

/** Budget and closing time of testPack(), in ms from round start. */
export const TEST_PACK_BUDGET_MS = 4 * 60_000;
export const TEST_PACK_CLOSING_AT_MS = 3 * 60_000;
