import { describe, expect, it } from 'vitest';
import { loadRoundWorklet } from '../../support/roundWorklet';

/**
 * The round worklet's second input: a WebRTC call's remote voice. It must be played and
 * recorded on the interviewer (right) channel on the same frames as the microphone, with
 * playback reports under the response id, and stop at once when cut.
 */

describe('the worklet with a remote (WebRTC) voice', () => {
  it('plays and records it on the right channel, aligned with the mic, reported by response id', () => {
    const w = loadRoundWorklet();
    w.send({ type: 'start' });
    w.send({ type: 'remote-start', id: 'resp_1' });
    w.render(20, 0.1, 0.5);
    w.send({ type: 'remote-end', id: 'resp_1' });
    w.send({ type: 'stop' });
    expect(w.ofType('started')).toEqual([{ type: 'started', id: 'resp_1', frame: 0 }]);
    expect(w.ofType('ended')).toEqual([{ type: 'ended', id: 'resp_1', frame: 2560, played: 2560 }]);
    expect(w.played.every((s) => Math.abs(s - 0.5) < 1e-6)).toBe(true);
    const stereo = w.recorded();
    expect(stereo.length).toBe(2560 * 2);
    for (let i = 0; i < 2560; i++) {
      expect(stereo[i * 2]).toBe(Math.round(0.1 * 32767));
      expect(stereo[i * 2 + 1]).toBe(Math.round(0.5 * 32767));
    }
  });

  it('stops at once on a cut, reports what was played, and stays silent until the next reply', () => {
    const w = loadRoundWorklet();
    w.send({ type: 'start' });
    w.send({ type: 'remote-start', id: 'resp_1' });
    w.render(10, 0, 0.5);
    w.send({ type: 'flush' });
    expect(w.ofType('interrupted')).toEqual([
      { type: 'interrupted', id: 'resp_1', frame: 1280, played: 1280 },
    ]);
    w.render(5, 0, 0.5); // audio the server had already sent: not played
    expect(w.played.slice(1280).every((s) => s === 0)).toBe(true);
    w.send({ type: 'remote-start', id: 'resp_2' });
    w.render(1, 0, 0.5);
    expect(w.played.at(-1)).toBeCloseTo(0.5, 6);
    expect(w.ofType('started').map((m) => m['id'])).toEqual(['resp_1', 'resp_2']);
  });

  it('fades the remote voice out while the candidate may be cutting in', () => {
    const w = loadRoundWorklet();
    w.send({ type: 'start' });
    w.send({ type: 'remote-start', id: 'resp_1' });
    w.render(2, 0, 0.5);
    w.send({ type: 'hold', on: true });
    w.render(2, 0, 0.5);
    expect(w.played.at(-1)).toBe(0);
    w.send({ type: 'remote-cut' });
    // The turn ended where playback stopped, not where the cut arrived.
    expect(w.ofType('interrupted')[0]).toMatchObject({ id: 'resp_1', frame: 256 });
  });
});
