import { z } from 'zod';

/**
 * What a round cost: usage per stage as the providers report it (tokens, audio seconds,
 * characters) priced from a table the user can edit in settings.json. Prices are
 * estimates; a model missing from the table has usage but no cost (never a guess).
 */
export type UsageStage = 'stt' | 'interviewer' | 'tts';

export interface UsageRecord {
  stage: UsageStage;
  model: string;
  inputTokens?: number;
  outputTokens?: number;
  audioSeconds?: number;
  characters?: number;
  /** Speech-to-speech models bill audio tokens apart from text tokens. */
  audioInputTokens?: number;
  audioOutputTokens?: number;
}

export const priceSchema = z
  .object({
    inputPerMillionTokens: z.number().nonnegative(),
    outputPerMillionTokens: z.number().nonnegative(),
    perAudioMinute: z.number().nonnegative(),
    perMillionCharacters: z.number().nonnegative(),
    audioInputPerMillionTokens: z.number().nonnegative(),
    audioOutputPerMillionTokens: z.number().nonnegative(),
  })
  .partial()
  .strict();
export type Price = z.infer<typeof priceSchema>;

/** US dollars, as published for these models when this table was written; edit in settings.json. */
export const DEFAULT_PRICES: Record<string, Price> = {
  'gpt-4o-transcribe': { perAudioMinute: 0.006 },
  'gpt-4o-mini-transcribe': { perAudioMinute: 0.003 },
  'whisper-1': { perAudioMinute: 0.006 },
  'gpt-4.1': { inputPerMillionTokens: 2, outputPerMillionTokens: 8 },
  'gpt-4.1-mini': { inputPerMillionTokens: 0.4, outputPerMillionTokens: 1.6 },
  'gpt-4o-mini': { inputPerMillionTokens: 0.15, outputPerMillionTokens: 0.6 },
  'gpt-4o-mini-tts': { perAudioMinute: 0.015 },
  'tts-1': { perMillionCharacters: 15 },
  'tts-1-hd': { perMillionCharacters: 30 },
  // Realtime: text tokens at the plain rates, audio tokens at their own.
  'gpt-realtime': {
    inputPerMillionTokens: 4,
    outputPerMillionTokens: 16,
    audioInputPerMillionTokens: 32,
    audioOutputPerMillionTokens: 64,
  },
  'gpt-realtime-mini': {
    inputPerMillionTokens: 0.6,
    outputPerMillionTokens: 2.4,
    audioInputPerMillionTokens: 10,
    audioOutputPerMillionTokens: 20,
  },
};

export interface StageUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  audioSeconds: number;
  characters: number;
  /** Only speech-to-speech stages report these. */
  audioInputTokens?: number;
  audioOutputTokens?: number;
  /** null when the model has no price in the table. */
  costUsd: number | null;
}

export interface UsageSummary {
  stages: Partial<Record<UsageStage, StageUsage>>;
  /** Sum of the stages that have a price. */
  costUsd: number;
  /** Some usage could not be priced. */
  unpriced: boolean;
}

export function priceOf(
  usage: Omit<StageUsage, 'costUsd' | 'model'>,
  price: Price | undefined,
): number | null {
  if (!price) return null;
  return (
    (usage.inputTokens / 1e6) * (price.inputPerMillionTokens ?? 0) +
    (usage.outputTokens / 1e6) * (price.outputPerMillionTokens ?? 0) +
    (usage.audioSeconds / 60) * (price.perAudioMinute ?? 0) +
    (usage.characters / 1e6) * (price.perMillionCharacters ?? 0) +
    ((usage.audioInputTokens ?? 0) / 1e6) * (price.audioInputPerMillionTokens ?? 0) +
    ((usage.audioOutputTokens ?? 0) / 1e6) * (price.audioOutputPerMillionTokens ?? 0)
  );
}

/** Adds up usage per stage and prices it. */
export class UsageMeter {
  private readonly stages = new Map<UsageStage, Omit<StageUsage, 'costUsd'>>();

  constructor(private readonly prices: Record<string, Price>) {}

  add(record: UsageRecord): void {
    const s = this.stages.get(record.stage) ?? {
      model: record.model,
      inputTokens: 0,
      outputTokens: 0,
      audioSeconds: 0,
      characters: 0,
    };
    s.inputTokens += record.inputTokens ?? 0;
    s.outputTokens += record.outputTokens ?? 0;
    s.audioSeconds += record.audioSeconds ?? 0;
    s.characters += record.characters ?? 0;
    if (record.audioInputTokens !== undefined || record.audioOutputTokens !== undefined) {
      s.audioInputTokens = (s.audioInputTokens ?? 0) + (record.audioInputTokens ?? 0);
      s.audioOutputTokens = (s.audioOutputTokens ?? 0) + (record.audioOutputTokens ?? 0);
    }
    this.stages.set(record.stage, s);
  }

  summary(): UsageSummary {
    const stages: UsageSummary['stages'] = {};
    let costUsd = 0;
    let unpriced = false;
    for (const [stage, s] of this.stages) {
      const cost = priceOf(s, this.prices[s.model]);
      stages[stage] = { ...s, costUsd: cost };
      if (cost === null) unpriced = true;
      else costUsd += cost;
    }
    return { stages, costUsd, unpriced };
  }
}
