/**
 * Linear-interpolation resampling of mono 16-bit PCM. Meant for bringing the offline
 * voice's 8/16 kHz output up to the app's 24 kHz: upsampling speech this way sounds fine.
 * It has no anti-aliasing filter, so it is not suitable for downsampling music.
 */
export function resampleLinear(input: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (!(fromRate > 0) || !(toRate > 0) || !Number.isFinite(fromRate + toRate)) {
    throw new RangeError(`cannot resample from ${fromRate} Hz to ${toRate} Hz`);
  }
  if (fromRate === toRate) return input.slice();
  const outputLength = Math.round((input.length * toRate) / fromRate);
  const output = new Int16Array(outputLength);
  if (input.length === 0) return output;
  const step = fromRate / toRate;
  const last = input.length - 1;
  for (let i = 0; i < outputLength; i++) {
    const position = i * step;
    const left = Math.min(Math.floor(position), last);
    const right = Math.min(left + 1, last);
    const fraction = position - left;
    const a = input[left] ?? 0;
    const b = input[right] ?? 0;
    // Interpolating between two int16 values cannot leave the int16 range.
    output[i] = Math.round(a + (b - a) * fraction);
  }
  return output;
}
