import type { Figure } from './stats';

/** What every benchmark section gets and gives back (index.ts runs them). */
export interface SectionContext {
  runs: number;
  log(line: string): void;
}

export interface SectionResult {
  figures: Record<string, Figure>;
  /** How the figures were measured, in a sentence or two (kept in the JSON). */
  notes: string;
}

export type Section = (context: SectionContext) => Promise<SectionResult>;
