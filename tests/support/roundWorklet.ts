import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The player/recorder worklet (renderer/audio/roundProcessor.worklet.js) run in Node with
 * the two globals an AudioWorklet scope gives it. Each `render` is one 128-frame quantum:
 * the microphone at `mic`, and, when given, a WebRTC call's remote voice at `remote`.
 */
export type WorkletMessage = Record<string, unknown> & { type: string };

interface Processor {
  port: { postMessage(msg: WorkletMessage): void; onmessage: (e: { data: unknown }) => void };
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
}

export function loadRoundWorklet() {
  let Ctor: (new () => Processor) | null = null;
  class FakeProcessorBase {
    port = {
      postMessage: (_msg: WorkletMessage) => undefined,
      onmessage: (_e: { data: unknown }) => {},
    };
  }
  const source = readFileSync(
    join(import.meta.dirname, '..', '..', 'renderer', 'audio', 'roundProcessor.worklet.js'),
    'utf8',
  );
  new Function('AudioWorkletProcessor', 'registerProcessor', source)(
    FakeProcessorBase,
    (_name: string, ctor: new () => Processor) => (Ctor = ctor),
  );
  const node = new Ctor!();
  const posted: WorkletMessage[] = [];
  node.port.postMessage = (msg) => void posted.push(msg);
  const played: number[] = [];
  const quantum = (level: number) => new Float32Array(128).fill(level);
  return {
    posted,
    played,
    send: (msg: WorkletMessage) => node.port.onmessage({ data: msg }),
    render(quanta = 1, mic = 0, remote?: number) {
      for (let q = 0; q < quanta; q++) {
        const out = new Float32Array(128);
        const inputs =
          remote === undefined ? [[quantum(mic)]] : [[quantum(mic)], [quantum(remote)]];
        node.process(inputs, [[out]]);
        played.push(...out);
      }
    },
    ofType: (type: string) => posted.filter((m) => m.type === type),
    /** The stereo frames it recorded, in order. */
    recorded(): Int16Array {
      const parts = posted.filter((m) => m.type === 'frames').map((m) => m['stereo'] as Int16Array);
      return Int16Array.from(parts.flatMap((p) => [...p]));
    },
  };
}
