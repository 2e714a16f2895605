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
  in: 'questions' | 'rubric';
}

/** One round's rows: topic → patterns that must all match one question (or criterion). */
function rows(
  loop: string,
  title: string,
  topics: Record<string, RegExp[]>,
  where: Coverage['in'] = 'questions',
): Coverage[] {
  return Object.entries(topics).map(([topic, match]) => ({
    loop,
    round: title,
    topic,
    match,
    in: where,
  }));
}

const COVERAGE: Coverage[] = [
  ...rows(ENGINEERING, 'Recruiter screen', {
    'background with Kafka': [/background/i, /kafka|event streaming/i],
    'hands-on Kafka experience': [/kafka/i, /built or ran|worked with/i],
    'event streaming': [/event streaming/i],
    'distributed logs': [/distributed logs?|log-based/i],
    motivation: [/why confluent|motivation/i],
  }),
  ...rows(ENGINEERING, 'Coding', {
    'log-structured data': [/\blog\b/i, /segment|compact/i],
    'partition management': [/assigns? partitions|partition assignment/i],
    'stream processing': [/stream/i, /window/i, /late/i],
  }),
  ...rows(ENGINEERING, 'System design', {
    'distributed commit log with replication': [/commit log/i, /replicat/i],
    'exactly-once pipeline': [/exactly[- ]once/i, /pipeline/i],
    'stream-processing topology with stateful windowed aggregation': [
      /topology/i,
      /window/i,
      /state/i,
    ],
    'multi-tenant Kafka cloud with per-tenant isolation': [
      /multi-tenant|tenants/i,
      /isolat|noisy/i,
    ],
    'active-active geo-replication for disaster recovery': [
      /active-active/i,
      /region/i,
      /disaster recovery/i,
    ],
    'schema registry with compatibility rules': [/schema registry/i, /compatib/i],
    'streaming SQL engine': [/\bSQL\b/i, /continuous quer|streaming/i],
    'monitoring UI for cluster health and consumer lag': [
      /monitor/i,
      /cluster health/i,
      /consumer lag/i,
    ],
    'rebalancing protocol that minimizes downtime': [
      /rebalanc/i,
      /protocol/i,
      /stop-the-world|downtime|keeps consumers processing/i,
    ],
  }),
  ...rows(ENGINEERING, 'Kafka internals deep dive', {
    'log segments and indexes': [/segment/i, /index/i],
    'ISR and high watermark': [/ISR|in-sync replica/i, /high watermark/i],
    'leader election': [/leader election|new leader/i],
    'group coordinator and rebalancing': [/group coordinator/i, /rebalanc/i],
    'idempotent producers and transactions': [/idempoten/i, /transaction/i],
    'delivery semantics': [/at[- ]least[- ]once/i, /at[- ]most[- ]once/i, /exactly[- ]once/i],
    'compaction versus retention': [/compact/i, /retention/i],
    'KRaft versus ZooKeeper': [/KRaft/i, /ZooKeeper/i],
    'watermarks and late data': [/watermark/i, /window/i, /late/i],
  }),
  ...rows(ENGINEERING, 'Behavioral', {
    'operating a high-throughput pipeline in production': [
      /high-throughput|volume/i,
      /pipeline/i,
      /production/i,
    ],
    'depth over surface': [/source code|internals/i, /dig|deep/i],
  }),

  ...rows(PRODUCT, 'Recruiter screen', {
    'product management background': [/background/i, /product manager/i],
    'why Confluent': [/confluent/i, /draws you|why confluent/i],
    'interest in real-time data streaming': [/real-time data streaming/i],
  }),
  ...rows(PRODUCT, 'Hiring manager', {
    'past product decisions': [/product decision/i, /you made|did you decide/i],
    'product sense for the developer experience of stream processing': [
      /developer/i,
      /stream processing|kafka streams/i,
      /design a tool|tooling/i,
    ],
    'technical follow-ups on Kafka': [
      /rebalanc|in-sync replica|idempotent/i,
      /partition|consumer/i,
    ],
    // Question types from the PM guide.
    'trade-off and prioritization: pick one roadmap item': [
      /roadmap/i,
      /pick one|prioriti/i,
      /technical debt/i,
    ],
    'Kafka deep dive: exactly-once semantics': [/exactly[- ]once/i, /idempotent|transaction/i],
    'Kafka deep dive: partitions and consumer groups': [/consumer group/i, /partition/i],
  }),
  ...rows(PRODUCT, 'Technical', {
    'streaming design: fraud detection': [/fraud/i, /design/i],
    'streaming design: ride-sharing pipeline at 100K events/s': [
      /ride-sharing/i,
      /hundred thousand events per second|100K|100,000/i,
    ],
    'latency debugging in a SaaS control plane': [/control plane/i, /slow|latenc/i, /cause|debug/i],
    'Kafka versus a message queue': [/kafka/i, /message queue|rabbitmq/i],
    'consistency versus latency': [/consistency (versus|vs\.?) latency/i],
    'cloud versus on-premises': [/cloud/i, /on[- ]prem/i],
    // Question types from the PM guide.
    'Kafka deep dive: durability and broker failure': [
      /acknowledged|durab/i,
      /broker (dies|fails|failure)/i,
      /in-sync replica/i,
    ],
    'Kafka deep dive: compacted versus non-compacted topics': [
      /compacted/i,
      /non-compacted|time-retained/i,
    ],
  }),
  ...rows(PRODUCT, 'Product case', {
    'monitoring dashboard for financial-services clusters': [
      /monitoring dashboard/i,
      /bank|financial/i,
    ],
    'real-time inventory sync for retail': [/inventory/i, /retail/i, /real[- ]time/i],
    'security model for multi-tenant clusters': [/security/i, /multi-tenant/i],
    'debugging tools for stream processing': [
      /debugg/i,
      /stream processing|flink|ksqldb|kafka streams/i,
    ],
  }),
  ...rows(
    PRODUCT,
    'Product case',
    {
      scoping: [/scoping/i],
      prioritization: [/prioriti/i],
      feasibility: [/feasibility/i],
      'go-to-market': [/go-to-market/i],
    },
    'rubric',
  ),
  ...rows(PRODUCT, 'Executive', {
    'five-year view of data infrastructure': [/five years|five-year/i, /data infrastructure/i],
    'roadmap under constrained capacity': [/roadmap/i, /capacity/i],
    'influence without authority': [/influence/i, /without authority|reported to you/i],
    // Question type from the PM guide.
    'trade-off and prioritization: technical debt versus innovation': [
      /roadmap/i,
      /technical debt/i,
      /innovation/i,
    ],
  }),
];

function findRound(loop: string, round: string): RoundPack | undefined {
  return packs.find((p) => p.loop.id === loop && p.title === round);
}

function questionText(q: Question): string {
  return [
    q.topic,
    q.prompt,
    ...q.strongAnswer.map((c) => `${c.label}: ${c.text}`),
    ...q.followUps.map((f) => f.prompt),
  ].join('\n');
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
      ...q.followUps.map((f, j): [string, string] => [
        `questions.${i}.followUps.${j}.prompt`,
        f.prompt,
      ]),
    ]),
    ['closing.invite', pack.closing.invite],
    ['closing.farewell', pack.closing.farewell],
  ];
}

function firstWords(text: string, count: number): string {
  return text
    .toLowerCase()
    .replace(/[^a-z' ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, count)
    .join(' ');
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
  it.each(COVERAGE)(
    '$loop › $round covers $in: $topic',
    ({ loop, round, topic, match, in: where }) => {
      const pack = findRound(loop, round);
      expect(pack, `no "${round}" round in the ${loop} loop`).toBeDefined();
      if (!pack) return;
      const hits = searchable(pack, where)
        .filter(({ text }) => match.every((re) => re.test(text)))
        .map(({ id }) => id);
      expect(
        hits,
        `${pack.id} has no ${where === 'rubric' ? 'rubric criterion' : 'question'} about "${topic}"`,
      ).not.toEqual([]);
    },
  );

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
    expect(pack.opening.length, 'opening length in characters').toBeLessThanOrEqual(
      MAX_OPENING_CHARS,
    );
  });

  it('does not end the opening with the words the first question starts with', () => {
    const sentences = pack.opening.split(/(?<=[.!?])\s+/);
    const last = firstWords(sentences[sentences.length - 1] ?? '', 2);
    const first = firstWords(pack.questions[0]?.prompt ?? '', 2);
    expect(last, "the opening's last sentence repeats the first question's opening words").not.toBe(
      first,
    );
  });

  it('keeps spoken text free of markdown, bullets and brackets', () => {
    const unspeakable = spokenTexts(pack)
      .filter(([, text]) => NOT_SPEAKABLE.test(text))
      .map(([field, text]) => `${field}: ${text}`);
    expect(unspeakable).toEqual([]);
  });
});
