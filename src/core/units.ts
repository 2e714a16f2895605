/**
 * Units as branded types: a bare number cannot be passed where milliseconds or sample
 * indices are expected, so mixing clocks is a compile error rather than a timing bug.
 */
export type Millis = number & { readonly __unit: 'ms' };
export type Seconds = number & { readonly __unit: 's' };
export type SampleIndex = number & { readonly __unit: 'sample' };

export const millis = (n: number): Millis => n as Millis;
export const seconds = (n: number): Seconds => n as Seconds;
export const sampleIndex = (n: number): SampleIndex => n as SampleIndex;

export function samplesToMillis(samples: SampleIndex, sampleRate: number): Millis {
  return millis((samples / sampleRate) * 1000);
}

export function millisToSamples(ms: Millis, sampleRate: number): SampleIndex {
  return sampleIndex(Math.round((ms / 1000) * sampleRate));
}

export function minutesToMillis(minutes: number): Millis {
  return millis(minutes * 60_000);
}
