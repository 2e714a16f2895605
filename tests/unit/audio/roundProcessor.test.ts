import { describe, expect, it } from 'vitest';
import { loadRoundWorklet } from '../../support/roundWorklet';

/**
 * The player/recorder worklet, run in Node with the two globals an AudioWorklet scope
 * gives it. Each `render` is one 128-frame quantum; the right channel of what it records
 * is exactly what it played, so the checks read the recording as the benchmark does.
 */

const tone = (n: number) => Int16Array.from({ length: n }, (_, i) => (i % 2 ? 16000 : -16000));

describe('roundProcessor worklet', () => {
  it('starts an utterance once the jitter buffer holds 40 ms, not on a first sliver', () => {
    const w = loadRoundWorklet();
    w.send({ type: 'start' });
    w.send({ type: 'enqueue', id: 'u1', pcm: tone(240), last: false }); // 10 ms
    w.render(4);
    expect(w.ofType('started')).toEqual([]);
    w.send({ type: 'enqueue', id: 'u1', pcm: tone(2400), last: false });
    w.render(1);
    expect(w.ofType('started')).toHaveLength(1);
  });

  it('a short last utterance plays at once, without waiting to fill the buffer', () => {
    const w = loadRoundWorklet();
    w.send({ type: 'start' });
    w.send({ type: 'enqueue', id: 'u1', pcm: tone(200), last: true });
    w.render(3);
    expect(w.ofType('started')).toHaveLength(1);
    expect(w.ofType('ended')).toEqual([expect.objectContaining({ id: 'u1', played: 200 })]);
  });

  it('flush silences at once and reports the samples actually played', () => {
    const w = loadRoundWorklet();
    w.send({ type: 'start' });
    w.send({ type: 'enqueue', id: 'u1', pcm: tone(24_000), last: true });
    w.render(10);
    w.send({ type: 'flush' });
    const before = w.played.length;
    w.render(2);
    expect(w.played.slice(before).every((s) => s === 0)).toBe(true);
    const [report] = w.ofType('interrupted');
    expect(report).toMatchObject({ id: 'u1', played: 1280, frame: 1280 });
  });

  it('hold fades out within 4 ms, keeps its place, and resumes where it stopped', () => {
    const w = loadRoundWorklet();
    w.send({ type: 'start' });
    w.send({ type: 'enqueue', id: 'u1', pcm: tone(4800), last: true });
    w.render(5);
    w.send({ type: 'hold', on: true });
    const at = w.played.length;
    w.render(10);
    const after = w.played.slice(at);
    const firstSilent = after.findIndex((s) => s === 0);
    expect(firstSilent).toBeLessThanOrEqual(96);
    expect(after.slice(firstSilent).every((s) => s === 0)).toBe(true);
    w.send({ type: 'hold', on: false });
    w.render(40);
    // Every sample of the utterance still played: nothing was dropped by the stop.
    expect(w.ofType('ended')).toEqual([expect.objectContaining({ id: 'u1', played: 4800 })]);
  });

  it('a flush after a hold dates the interruption from when the sound stopped', () => {
    const w = loadRoundWorklet();
    w.send({ type: 'start' });
    w.send({ type: 'enqueue', id: 'u1', pcm: tone(24_000), last: true });
    w.render(10); // 1280 frames
    w.send({ type: 'duck', on: true });
    w.render(10);
    w.send({ type: 'flush' });
    const [report] = w.ofType('interrupted');
    expect(report).toMatchObject({ id: 'u1', frame: 1280 });
    // Played up to the stop plus the fade: what the transcript keeps.
    expect(report?.played).toBeGreaterThanOrEqual(1280);
    expect(report?.played).toBeLessThanOrEqual(1280 + 96);
  });

  it('records the microphone left and exactly what was played right', () => {
    const w = loadRoundWorklet();
    w.send({ type: 'start' });
    w.send({ type: 'enqueue', id: 'u1', pcm: tone(2400), last: true });
    w.render(19, 0.25); // 2432 frames: one full recording batch
    const [batch] = w.ofType('frames') as unknown as { stereo: Int16Array }[];
    expect(batch?.stereo.length).toBe(4800);
    expect(batch?.stereo[0]).toBe(Math.round(0.25 * 32767));
    const right = Array.from({ length: 2400 }, (_, i) => batch!.stereo[i * 2 + 1]);
    expect(right.filter((s) => Math.abs(s!) > 15000)).toHaveLength(2400);
    expect(w.ofType('mic').length).toBeGreaterThanOrEqual(3); // 32 ms detector frames
  });
});
