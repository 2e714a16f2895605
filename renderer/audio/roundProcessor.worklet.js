// The round's audio clock. One processor both plays the interviewer and records the
// round, so the recording holds exactly what was played (right channel) sample-aligned
// with the microphone (left channel), and every time the app reports is a frame count
// on this one clock. Plain JS: it is loaded as-is by audioWorklet.addModule.

const BATCH_FRAMES = 2400; // 100 ms at 24 kHz

class RoundProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.recording = false;
    this.frame = 0; // frames recorded since the round started
    this.queue = []; // { id, pcm: Float32Array, offset } chunks waiting to play
    this.current = null; // { id, played, started, last }
    this.utterances = new Map(); // id -> { last: boolean }
    this.batchStereo = new Int16Array(BATCH_FRAMES * 2);
    this.batchMic = new Float32Array(BATCH_FRAMES);
    this.batchFill = 0;
    this.batchStart = 0;
    this.gain = 1; // lowered while a possible interruption is being confirmed
    this.port.onmessage = (e) => this.onMessage(e.data);
  }

  onMessage(msg) {
    if (msg.type === 'start') {
      this.recording = true;
      this.frame = 0;
    } else if (msg.type === 'duck') {
      this.gain = msg.on ? 0.3 : 1;
    } else if (msg.type === 'stop') {
      this.flushBatch();
      this.recording = false;
    } else if (msg.type === 'enqueue') {
      const info = this.utterances.get(msg.id) ?? { last: false };
      info.last = info.last || msg.last;
      this.utterances.set(msg.id, info);
      if (msg.pcm.length > 0) {
        const f = new Float32Array(msg.pcm.length);
        for (let i = 0; i < f.length; i++) f[i] = msg.pcm[i] / 32768;
        this.queue.push({ id: msg.id, pcm: f, offset: 0 });
      } else if (msg.last && !this.queue.some((c) => c.id === msg.id)) {
        this.maybeEnd(msg.id);
      }
    } else if (msg.type === 'flush') {
      // Barge-in: drop everything queued now, not after queued nodes drain.
      if (this.current && this.current.started) {
        this.port.postMessage({
          type: 'interrupted',
          id: this.current.id,
          frame: this.frame,
          played: this.current.played,
        });
      }
      this.queue = [];
      this.current = null;
      this.utterances.clear();
    }
  }

  maybeEnd(id) {
    const info = this.utterances.get(id);
    if (!info || !info.last) return;
    if (this.queue.some((c) => c.id === id)) return;
    const played = this.current && this.current.id === id ? this.current.played : 0;
    this.port.postMessage({ type: 'ended', id, frame: this.frame, played });
    this.utterances.delete(id);
    if (this.current && this.current.id === id) this.current = null;
  }

  nextSample() {
    const head = this.queue[0];
    if (!head) return 0;
    if (!this.current || this.current.id !== head.id) {
      this.current = { id: head.id, played: 0, started: true };
      this.port.postMessage({ type: 'started', id: head.id, frame: this.frame });
    }
    const s = head.pcm[head.offset++];
    this.current.played++;
    if (head.offset >= head.pcm.length) {
      this.queue.shift();
      this.maybeEnd(head.id);
    }
    return s;
  }

  flushBatch() {
    if (this.batchFill === 0) return;
    const stereo = this.batchStereo.slice(0, this.batchFill * 2);
    const mic = this.batchMic.slice(0, this.batchFill);
    this.port.postMessage({ type: 'frames', start: this.batchStart, stereo, mic }, [
      stereo.buffer,
      mic.buffer,
    ]);
    this.batchFill = 0;
  }

  process(inputs, outputs) {
    const mic = inputs[0] && inputs[0][0];
    const out = outputs[0] && outputs[0][0];
    const n = out ? out.length : 128;
    for (let i = 0; i < n; i++) {
      const played = this.recording ? this.nextSample() * this.gain : 0;
      if (out) out[i] = played;
      if (!this.recording) continue;
      const m = mic ? mic[i] : 0;
      if (this.batchFill === 0) this.batchStart = this.frame;
      const k = this.batchFill * 2;
      this.batchStereo[k] = Math.max(-32768, Math.min(32767, Math.round(m * 32767)));
      this.batchStereo[k + 1] = Math.max(-32768, Math.min(32767, Math.round(played * 32767)));
      this.batchMic[this.batchFill] = m;
      this.batchFill++;
      this.frame++;
      if (this.batchFill === BATCH_FRAMES) this.flushBatch();
    }
    // Copy to any extra output channels so stereo outputs play on both ears.
    if (outputs[0]) for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(outputs[0][0]);
    return true;
  }
}

registerProcessor('mockloop-round', RoundProcessor);
