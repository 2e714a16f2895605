import { describe, expect, it } from 'vitest';
import { EchoGate } from '../../../renderer/audio/echoGate';

const RATE = 24_000;

/** A voiced, speech-like signal (harmonics of 140 Hz, syllable-rate envelope). */
function voice(n: number, level: number, seed = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = (i + seed) / RATE;
    const env = 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t);
    let s = 0;
    for (let h = 1; h <= 6; h++) s += Math.sin(2 * Math.PI * 140 * h * t) / h;
    out[i] = level * env * s * 0.5;
  }
  return out;
}

const energy = (x: Float32Array) => x.reduce((n, s) => n + s * s, 0);

describe('EchoGate', () => {
  it('passes the microphone untouched while the interviewer is silent', () => {
    const gate = new EchoGate();
    const mic = voice(2400, 0.05);
    expect(gate.process(mic, new Float32Array(2400))).toEqual(mic);
  });

  it('silences the interviewer leaking in at -25 dB, 30 ms late', () => {
    const gate = new EchoGate();
    const played = voice(24_000, 0.3);
    const echo = new Float32Array(played.length);
    const delay = 720;
    for (let i = delay; i < echo.length; i++) echo[i] = played[i - delay]! * 10 ** (-25 / 20);
    let passed = 0;
    for (let s = 0; s < played.length; s += 768) {
      passed += energy(gate.process(echo.subarray(s, s + 768), played.subarray(s, s + 768)));
    }
    expect(passed).toBe(0);
  });

  it('lets the candidate through when they talk over the interviewer', () => {
    const gate = new EchoGate();
    const played = voice(24_000, 0.3);
    const mic = new Float32Array(played.length);
    for (let i = 0; i < mic.length; i++) {
      mic[i] = played[i]! * 0.05 + (i > 12_000 ? voice(1, 0.3, i * 7)[0]! : 0);
    }
    const kept: number[] = [];
    for (let s = 12_000; s < played.length; s += 768) {
      const out = gate.process(mic.subarray(s, s + 768), played.subarray(s, s + 768));
      kept.push(energy(out) / Math.max(1e-12, energy(mic.subarray(s, s + 768))));
    }
    expect(kept.every((k) => k > 0.9)).toBe(true);
  });
});
