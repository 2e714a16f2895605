/**
 * Linear-interpolation resampling of mono 16-bit PCM. Meant for bringing the offline
 * voice's 8/16 kHz output up to the app's 24 kHz: upsampling speech this way sounds fine.
 * It has no anti-aliasing filter: to go down, use `downsampleForSpeech`.
 */
export function resampleLinear(input: Int16Array, fromRate: number, toRate: number): Int16Array {
  checkRates(fromRate, toRate);
  if (fromRate === toRate) return input.slice();
  return interpolate(input, fromRate, toRate);
}

/** Linear interpolation of `samples` (int16 values, or filtered ones that may overshoot
 * slightly — Gibbs ripple — hence the clamp) at the new rate. */
function interpolate(samples: ArrayLike<number>, fromRate: number, toRate: number): Int16Array {
  const outputLength = Math.round((samples.length * toRate) / fromRate);
  const output = new Int16Array(outputLength);
  if (samples.length === 0) return output;
  const step = fromRate / toRate;
  const last = samples.length - 1;
  for (let i = 0; i < outputLength; i++) {
    const position = i * step;
    const left = Math.min(Math.floor(position), last);
    const right = Math.min(left + 1, last);
    const a = samples[left] ?? 0;
    const b = samples[right] ?? 0;
    output[i] = Math.max(-32768, Math.min(32767, Math.round(a + (b - a) * (position - left))));
  }
  return output;
}

/** Half the low-pass kernel's length, in input samples: 32 taps each side is well over
 * 60 dB of rejection with a Blackman window, at a cost that stays small for a turn. */
const HALF_TAPS = 32;

/**
 * Downsampling for speech recognition (the app's 24 kHz to whisper's 16 kHz). Resampling
 * straight down would fold everything between the new and the old Nyquist frequency
 * (8–12 kHz: the hiss of "s", "f", "th") back into 4–8 kHz, where the recogniser listens
 * for exactly those sounds. A windowed-sinc low-pass at 90% of the new Nyquist frequency
 * removes that band first; the filtered signal is then interpolated like `resampleLinear`.
 */
export function downsampleForSpeech(
  input: Int16Array,
  fromRate: number,
  toRate: number,
): Int16Array {
  checkRates(fromRate, toRate);
  if (toRate >= fromRate) return resampleLinear(input, fromRate, toRate);
  return interpolate(lowPass(input, (0.45 * toRate) / fromRate), fromRate, toRate);
}

/** `cutoff` in cycles per input sample (0.5 is the input's Nyquist frequency). */
function lowPass(input: Int16Array, cutoff: number): Float32Array {
  const kernel = new Float32Array(2 * HALF_TAPS + 1);
  let sum = 0;
  for (let k = 0; k < kernel.length; k++) {
    const x = k - HALF_TAPS;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const phase = (2 * Math.PI * k) / (kernel.length - 1);
    const blackman = 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase);
    kernel[k] = sinc * blackman;
    sum += kernel[k] ?? 0;
  }
  // Unity gain at 0 Hz.
  for (let k = 0; k < kernel.length; k++) kernel[k] = (kernel[k] ?? 0) / sum;

  const output = new Float32Array(input.length);
  const last = input.length - 1;
  const taps = kernel.length;
  for (let n = 0; n < input.length; n++) {
    let acc = 0;
    const start = n - HALF_TAPS;
    if (start >= 0 && start + taps - 1 <= last) {
      for (let k = 0; k < taps; k++) acc += kernel[k]! * input[start + k]!;
    } else {
      // Edges repeat the nearest sample, so a turn's first and last words are not faded.
      for (let k = 0; k < taps; k++) {
        acc += kernel[k]! * input[Math.min(last, Math.max(0, start + k))]!;
      }
    }
    output[n] = acc;
  }
  return output;
}

function checkRates(fromRate: number, toRate: number): void {
  if (!(fromRate > 0) || !(toRate > 0) || !Number.isFinite(fromRate + toRate)) {
    throw new RangeError(`cannot resample from ${fromRate} Hz to ${toRate} Hz`);
  }
}
