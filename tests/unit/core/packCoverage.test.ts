import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  roundDurationMinutes,
  roundPackSchema,
  type Question,
  type RoundPack,
} from '../../../src/core/roundPack';
import { loadRoundPacks } from '../../../src/storage/roundPackLoader';

/**
 * The shipped round packs against the product issue: both Confluent loops, every round,
 * and every topic the issue lists, each in the round it belongs to. A failure names the
 * round and the missing topic, so the fix is to add a question or follow-up to that pack.
 */

const promptsDir = join(import.meta.dirname, '../../../prompts');
const { packs, problems } = await loadRoundPacks(promptsDir);

const ENGINEERING = 'confluent-engineering';
const PRODUCT = 'confluent-product';

const LOOP_ROUNDS: Record<string, string[]> = {
  [ENGINEERING]: [
    'Recruiter screen',
    'Coding',
    'System design',
    'Kafka internals deep dive',
    'Behavioral',
  ],
  [PRODUCT]: ['Recruiter screen', 'Hiring manager', 'Technical', 'Product case', 'Executive'],
};

/** Spoken aloud, so no markdown, bullets, numbered lists or brackets. */
const NOT_SPEAKABLE = /[*_#`~|<>[\]{}()•]|(^|\n)\s*([-+]|\d+[.)])\s/;
const MAX_OPENING_CHARS = 300;

interface Coverage {
  loop: string;
  round: string;
  topic: string;
  /** Every pattern must match the same question (or, for `rubric`, the same criterion). */
  match: RegExp[];
  in?: 'questions' | 'rubric';
}

const COVERAGE: Coverage[] = [
  // Engineering — recruiter screen.
  { loop: ENGINEERING, round: 'Recruiter screen', topic: 'background with Kafka', match: [/background/i, /kafka|event streaming/i] },
  { loop: ENGINEERING, round: 'Recruiter screen', topic: 'hands-on Kafka experience', match: [/kafka/i, /built or ran|worked with/i] },
  { loop: ENGINEERING, round: 'Recruiter screen', topic: 'event streaming', match: [/event streaming/i] },
  { loop: ENGINEERING, round: 'Recruiter screen', topic: 'distributed logs', match: [/distributed logs?|log-based/i] },
  { loop: ENGINEERING, round: 'Recruiter screen', topic: 'motivation', match: [/why confluent|motivation/i] },
  // Engineering — coding.
  { loop: ENGINEERING, round: 'Coding', topic: 'log-structured data', match: [/\blog\b/i, /segment|compact/i] },
  { loop: ENGINEERING, round: 'Coding', topic: 'partition management', match: [/assigns? partitions|partition assignment/i] },
  { loop: ENGINEERING, round: 'Coding', topic: 'stream processing', match: [/stream/i, /window/i, /late/i] },
  // Engineering — system design.
  { loop: ENGINEERING, round: 'System design', topic: 'distributed commit log with replication', match: [/commit log/i, /replicat/i] },
  { loop: ENGINEERING, round: 'System design', topic: 'exactly-once pipeline', match: [/exactly[- ]once/i, /pipeline/i] },
  { loop: ENGINEERING, round: 'System design', topic: 'stateful windowed aggregation topology', match: [/topology/i, /window/i, /state/i] },
  { loop: ENGINEERING, round: 'System design', topic: 'multi-tenant Kafka cloud with per-tenant isolation', match: [/multi-tenant|tenants/i, /isolat|noisy/i] },
  { loop: ENGINEERING, round: 'System design', topic: 'active-active geo-replication for disaster recovery', match: [/active-active/i, /region/i, /disaster recovery/i] },
  { loop: ENGINEERING, round: 'System design', topic: 'schema registry with compatibility rules', match: [/schema registry/i, /compatib/i] },
  { loop: ENGINEERING, round: 'System design', topic: 'streaming SQL engine', match: [/\bSQL\b/i, /continuous quer|streaming/i] },
  { loop: ENGINEERING, round: 'System design', topic: 'monitoring UI for cluster health and consumer lag', match: [/monitor/i, /cluster health/i, /consumer lag/i] },
  { loop: ENGINEERING, round: 'System design', topic: 'rebalancing protocol that minimizes downtime', match: [/rebalanc/i, /protocol/i, /stop-the-world|downtime|keeps consumers processing/i] },
  // Engineering — Kafka internals deep dive.
  { loop: ENGINEERING, round: 'Kafka internals deep dive', topic: 'log segments and indexes', match: [/segment/i, /index/i] },
  { loop: ENGINEERING, round: 'Kafka internals deep dive', topic: 'ISR and high watermark', match: [/ISR|in-sync replica/i, /high watermark/i] },
  { loop: ENGINEERING, round: 'Kafka internals deep dive', topic: 'leader election', match: [/leader election|new leader/i] },
  { loop: ENGINEERING, round: 'Kafka internals deep dive', topic: 'group coordinator and rebalancing', match: [/group coordinator/i, /rebalanc/i] },
  { loop: ENGINEERING, round: 'Kafka internals deep dive', topic: 'idempotent producers and transactions', match: [/idempoten/i, /transaction/i] },
  { loop: ENGINEERING, round: 'Kafka internals deep dive', topic: 'delivery semantics', match: [/at[- ]least[- ]once/i, /at[- ]most[- ]once/i, /exactly[- ]once/i] },
  { loop: ENGINEERING, round: 'Kafka internals deep dive', topic: 'compaction versus retention', match: [/compact/i, /retention/i] },
  { loop: ENGINEERING, round: 'Kafka internals deep dive', topic: 'KRaft versus ZooKeeper', match: [/KRaft/i, /ZooKeeper/i] },
  { loop: ENGINEERING, round: 'Kafka internals deep dive', topic: 'watermarks and late data', match: [/watermark/i, /window/i, /late/i] },
  // Engineering — behavioral.
  { loop: ENGINEERING, round: 'Behavioral', topic: 'operating a high-throughput pipeline in production', match: [/high-throughput|volume/i, /pipeline/i, /production/i] },
  { loop: ENGINEERING, round: 'Behavioral', topic: 'depth over surface', match: [/source code|internals/i, /dig|deep/i] },

  // Product management — recruiter screen.
  { loop: PRODUCT, round: 'Recruiter screen', topic: 'product management background', match: [/background/i, /product manager/i] },
  { loop: PRODUCT, round: 'Recruiter screen', topic: 'why Confluent', match: [/confluent/i, /draws you|why confluent/i] },
  { loop: PRODUCT, round: 'Recruiter screen', topic: 'interest in real-time data streaming', match: [/real-time data streaming/i] },
  // Product management — hiring manager.
  { loop: PRODUCT, round: 'Hiring manager', topic: 'past product decisions', match: [/product decision/i, /you made|did you decide/i] },
  { loop: PRODUCT, round: 'Hiring manager', topic: 'product sense for the developer experience of stream processing', match: [/developer/i, /stream processing|kafka streams/i, /design a tool|tooling/i] },
  { loop: PRODUCT, round: 'Hiring manager', topic: 'technical follow-ups on Kafka', match: [/rebalanc|in-sync replica|idempotent/i, /partition|consumer/i] },
  // Product management — technical.
  { loop: PRODUCT, round: 'Technical', topic: 'streaming system design: fraud detection', match: [/fraud/i, /design/i] },
  { loop: PRODUCT, round: 'Technical', topic: 'streaming system design: ride-sharing pipeline at 100K events/s', match: [/ride-sharing/i, /hundred thousand events per second|100K|100,000/i] },
  { loop: PRODUCT, round: 'Technical', topic: 'latency debugging in a SaaS control plane', match: [/control plane/i, /slow|latenc/i, /cause|debug/i] },
  { loop: PRODUCT, round: 'Technical', topic: 'Kafka versus a message queue', match: [/kafka/i, /message queue|rabbitmq/i] },
  { loop: PRODUCT, round: 'Technical', topic: 'consistency versus latency', match: [/consistency (versus|vs\.?) latency/i] },
  { loop: PRODUCT, round: 'Technical', topic: 'cloud versus on-premises', match: [/cloud/i, /on[- ]prem/i] },
  // Product management — product case.
  { loop: PRODUCT, round: 'Product case', topic: 'monitoring dashboard for financial-services clusters', match: [/monitoring dashboard/i, /bank|financial/i] },
  { loop: PRODUCT, round: 'Product case', topic: 'real-time inventory sync for retail', match: [/inventory/i, /retail/i, /real[- ]time/i] },
  { loop: PRODUCT, round: 'Product case', topic: 'security model for multi-tenant clusters', match: [/security/i, /multi-tenant/i] },
  { loop: PRODUCT, round: 'Product case', topic: 'debugging tools for stream processing', match: [/debugg/i, /stream processing|flink|ksqldb|kafka streams/i] },
  { loop: PRODUCT, round: 'Product case', topic: 'rubric: scoping', in: 'rubric', match: [/scoping/i] },
  { loop: PRODUCT, round: 'Product case', topic: 'rubric: prioritization', in: 'rubric', match: [/prioriti/i] },
  { loop: PRODUCT, round: 'Product case', topic: 'rubric: feasibility', in: 'rubric', match: [/feasibility/i] },
  { loop: PRODUCT, round: 'Product case', topic: 'rubric: go-to-market', in: 'rubric', match: [/go-to-market/i] },
  // Product management — executive.
  { loop: PRODUCT, round: 'Executive', topic: 'five-year view of data infrastructure', match: [/five years|five-year/i, /data infrastructure/i] },
  { loop: PRODUCT, round: 'Executive', topic: 'roadmap under constrained capacity', match: [/roadmap/i, /capacity/i] },
  { loop: PRODUCT, round: 'Executive', topic: 'influence without authority', match: [/influence/i, /without authority|reported to you/i] },
  // Product management — the question types the PM guide lists.
  { loop: PRODUCT, round: 'Hiring manager', topic: 'trade-off and prioritization: roadmap pick', match: [/roadmap/i, /pick one|prioriti/i, /technical debt/i] },
  { loop: PRODUCT, round: 'Executive', topic: 'trade-off and prioritization: technical debt versus innovation', match: [/roadmap/i, /technical debt/i, /innovation/i] },
  { loop: PRODUCT, round: 'Technical', topic: 'Kafka deep dive: durability and broker failure', match: [/acknowledged|durab/i, /broker (dies|fails|failure)/i, /in-sync replica/i] },
  { loop: PRODUCT, round: 'Technical', topic: 'Kafka deep dive: compacted versus non-compacted topics', match: [/compacted/i, /non-compacted|time-retained/i] },
  { loop: PRODUCT, round: 'Hiring manager', topic: 'Kafka deep dive: exactly-once semantics', match: [/exactly[- ]once/i, /idempotent|transaction/i] },
  { loop: PRODUCT, round: 'Hiring manager', topic: 'Kafka deep dive: partitions and consumer groups', match: [/consumer group/i, /partition/i] },
];

function findRound(loop: string, round: string): RoundPack | undefined {
  return packs.find((p) => p.loop.id === loop && p.title === round);
}

function questionText(q: Question): string {
  return [q.topic, q.prompt, ...q.strongAnswer, ...q.followUps.map((f) => f.prompt)].join('\n');
}

function searchable(pack: RoundPack, where: Coverage['in']): { id: string; text: string }[] {
  if (where === 'rubric') {
    return pack.rubric.map((c) => ({
      id: c.id,
      text: [c.id, c.name, ...Object.values(c.descriptors), ...c.evidence].join('\n'),
    }));
  }
  return pack.questions.map((q) => ({ id: q.id, text: questionText(q) }));
}

/** Every spoken field of a pack, named by its path in the YAML. */
function spokenTexts(pack: RoundPack): [string, string][] {
  return [
    ['opening', pack.opening],
    ...pack.questions.flatMap((q, i): [string, string][] => [
      [`questions.${i}.prompt`, q.prompt],
      ...q.followUps.map((f, j): [string, string] => [`questions.${i}.followUps.${j}.prompt`, f.prompt]),
    ]),
    ['closing.invite', pack.closing.invite],
    ['closing.farewell', pack.closing.farewell],
  ];
}

function firstWords(text: string, count: number): string {
  return text.toLowerCase().replace(/[^a-z' ]/g, ' ').split(/\s+/).filter(Boolean).slice(0, count).join(' ');
}

describe('shipped round packs', () => {
  it('load without problems', () => {
    expect(problems).toEqual([]);
    expect(packs.length).toBeGreaterThan(0);
  });

  it('are all valid against the schema', () => {
    const invalid = packs.filter((p) => !roundPackSchema.safeParse(p).success).map((p) => p.id);
    expect(invalid).toEqual([]);
  });

  it.each(Object.entries(LOOP_ROUNDS))('offer the %s loop with its rounds', (loop, rounds) => {
    const titles = packs.filter((p) => p.loop.id === loop).map((p) => p.title);
    expect([...titles].sort()).toEqual([...rounds].sort());
  });
});

describe('topic coverage from the product issue', () => {
  it.each(COVERAGE)('$loop › $round covers $topic', ({ loop, round, topic, match, in: where }) => {
    const pack = findRound(loop, round);
    expect(pack, `no "${round}" round in the ${loop} loop`).toBeDefined();
    if (!pack) return;
    const hits = searchable(pack, where)
      .filter(({ text }) => match.every((re) => re.test(text)))
      .map(({ id }) => id);
    expect(hits, `${pack.id} has no ${where ?? 'question'} about "${topic}"`).not.toEqual([]);
  });

  it('runs the recruiter screens for 30 minutes and coding for 60', () => {
    const minutes = (loop: string, round: string) => {
      const pack = findRound(loop, round);
      return pack ? roundDurationMinutes(pack) : undefined;
    };
    expect(minutes(ENGINEERING, 'Recruiter screen')).toBe(30);
    expect(minutes(PRODUCT, 'Recruiter screen')).toBe(30);
    expect(minutes(ENGINEERING, 'Coding')).toBe(60);
  });
});

describe.each(packs.map((p) => [p.id, p] as const))('pack %s', (_id, pack) => {
  it('probes every question with at least one why and one failure follow-up', () => {
    const missing = pack.questions.flatMap((q) =>
      (['why', 'failure'] as const)
        .filter((kind) => !q.followUps.some((f) => f.kind === kind))
        .map((kind) => `${q.id}: no ${kind} follow-up`),
    );
    expect(missing).toEqual([]);
  });

  it('scores the closing with a rubric criterion', () => {
    expect(pack.rubric.map((c) => c.id)).toContain(pack.closing.criterion);
  });

  it(`opens in at most ${MAX_OPENING_CHARS} characters`, () => {
    expect(pack.opening.length).toBeLessThanOrEqual(MAX_OPENING_CHARS);
  });

  it('does not end the opening with the words the first question starts with', () => {
    const sentences = pack.opening.split(/(?<=[.!?])\s+/);
    const last = firstWords(sentences[sentences.length - 1] ?? '', 2);
    const first = firstWords(pack.questions[0]?.prompt ?? '', 2);
    expect(last).not.toBe(first);
  });

  it('keeps spoken text free of markdown, bullets and brackets', () => {
    const unspeakable = spokenTexts(pack)
      .filter(([, text]) => NOT_SPEAKABLE.test(text))
      .map(([field, text]) => `${field}: ${text}`);
    expect(unspeakable).toEqual([]);
  });
});
