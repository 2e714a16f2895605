// The round's audio clock. One processor both plays the interviewer and records the
// round, so the recording holds exactly what was played (right channel) sample-aligned
// with the microphone (left channel), and every time the app reports is a frame count
// on this one clock. Plain JS: it is loaded as-is by audioWorklet.addModule.

const BATCH_FRAMES = 2400; // 100 ms at 24 kHz: the recording goes to the backend in these
// The speech detector gets the microphone in its own frame size (Silero: 32 ms), so an
// interruption is heard one frame after it starts, not after a whole recording batch.
const MIC_FRAMES = 768;
// Playback of an utterance starts once this much is queued (or all of it is): a small
// jitter buffer so chunks arriving a little apart do not play as gaps.
const JITTER_FRAMES = 960; // 40 ms
// Stopping or resuming ramps the gain over this long: a hard cut clicks.
const FADE_FRAMES = 96; // 4 ms

class RoundProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.recording = false;
    this.frame = 0; // frames recorded since the round started
    this.queue = []; // { id, pcm: Float32Array, offset } chunks waiting to play
    this.queued = 0; // samples in the queue
    this.current = null; // { id, played }
    this.utterances = new Map(); // id -> { last: boolean }
    this.buffering = true; // waiting for the jitter buffer to fill
    // Playback stops (fading out, keeping its place) while the candidate may be cutting in:
    // `hold` is the page's own fast guess at a speech onset, `duck` the backend's confirm.
    this.hold = false;
    this.duck = false;
    this.gain = 1;
    this.stoppedAt = -1; // frame at which the last stop began; -1 while playing
    this.batchStereo = new Int16Array(BATCH_FRAMES * 2);
    this.batchFill = 0;
    this.batchStart = 0;
    this.micBuf = new Float32Array(MIC_FRAMES);
    this.playedBuf = new Float32Array(MIC_FRAMES);
    this.micFill = 0;
    this.micStart = 0;
    // Realtime over WebRTC: the model's voice arrives on input 1 as a live track, not as
    // queued chunks. The page marks each reply's start and end from the call's events
    // (`remote-start` / `remote-end`); a cut silences the track until the next reply,
    // so what the server had already sent does not play on after an interruption.
    this.remote = null; // { id, played } while a reply is being heard
    this.remoteMuted = false;
    this.port.onmessage = (e) => this.onMessage(e.data);
  }

  get paused() {
    return this.hold || this.duck;
  }

  onMessage(msg) {
    if (msg.type === 'start') {
      this.recording = true;
      this.frame = 0;
    } else if (msg.type === 'duck') {
      this.duck = msg.on;
    } else if (msg.type === 'hold') {
      this.hold = msg.on;
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
        this.queued += f.length;
      } else if (msg.last && !this.queue.some((c) => c.id === msg.id)) {
        this.maybeEnd(msg.id);
      }
    } else if (msg.type === 'remote-start') {
      if (this.remote && this.remote.id !== msg.id) this.endRemote('ended', this.frame);
      if (!this.remote) {
        this.remote = { id: msg.id, played: 0 };
        this.port.postMessage({ type: 'started', id: msg.id, frame: this.frame });
      }
      this.remoteMuted = false;
    } else if (msg.type === 'remote-end') {
      if (this.remote && this.remote.id === msg.id) this.endRemote('ended', this.frame);
    } else if (msg.type === 'remote-cut') {
      this.cutRemote();
    } else if (msg.type === 'flush') {
      this.cutRemote();
      // Barge-in: drop everything queued now, not after queued nodes drain. The turn
      // ended when the candidate stopped hearing it: at the stop, if playback had stopped.
      if (this.current) {
        this.port.postMessage({
          type: 'interrupted',
          id: this.current.id,
          frame: this.stoppedAt >= 0 ? this.stoppedAt : this.frame,
          played: this.current.played,
        });
      }
      this.queue = [];
      this.queued = 0;
      this.current = null;
      this.utterances.clear();
      this.buffering = true;
      this.hold = false;
      this.duck = false;
      this.gain = 1;
      this.stoppedAt = -1;
    }
  }

  cutRemote() {
    this.remoteMuted = true;
    if (this.remote)
      this.endRemote('interrupted', this.stoppedAt >= 0 ? this.stoppedAt : this.frame);
  }

  endRemote(type, frame) {
    const { id, played } = this.remote;
    this.remote = null;
    this.port.postMessage({ type, id, frame, played });
  }

  /** One sample of the live remote voice, under the same stop/resume fade as the queue. */
  remoteSample(s) {
    if (this.remoteMuted) return 0;
    // Position in the reply (what the server counts), paused stretches included.
    if (this.remote) this.remote.played++;
    return s * this.gain;
  }

  maybeEnd(id) {
    const info = this.utterances.get(id);
    if (!info || !info.last) return;
    if (this.queue.some((c) => c.id === id)) return;
    const played = this.current && this.current.id === id ? this.current.played : 0;
    this.port.postMessage({ type: 'ended', id, frame: this.frame, played });
    this.utterances.delete(id);
    if (this.current && this.current.id === id) this.current = null;
    this.buffering = true;
  }

  /** Whether the head utterance may play: enough is queued, or all of it is. */
  ready() {
    const head = this.queue[0];
    if (!head) return false;
    if (!this.buffering) return true;
    const info = this.utterances.get(head.id);
    if (this.queued >= JITTER_FRAMES || (info && info.last)) this.buffering = false;
    return !this.buffering;
  }

  nextSample() {
    // Fade towards silence while stopped; keep the place so a backchannel can resume it.
    const target = this.paused ? 0 : 1;
    if (this.gain !== target) {
      if (target === 0 && this.stoppedAt < 0 && (this.current || this.remote))
        this.stoppedAt = this.frame;
      const step = 1 / FADE_FRAMES;
      this.gain =
        target > this.gain ? Math.min(1, this.gain + step) : Math.max(0, this.gain - step);
    }
    if (this.gain === 0) return 0;
    if (target === 1) this.stoppedAt = -1;
    if (!this.ready()) {
      // Ran dry in the middle of an utterance: refill the jitter buffer before going on.
      if (this.current && this.queue.length === 0) this.buffering = true;
      return 0;
    }
    const head = this.queue[0];
    if (!this.current || this.current.id !== head.id) {
      this.current = { id: head.id, played: 0 };
      this.port.postMessage({ type: 'started', id: head.id, frame: this.frame });
    }
    const s = head.pcm[head.offset++];
    this.queued--;
    this.current.played++;
    if (head.offset >= head.pcm.length) {
      this.queue.shift();
      this.maybeEnd(head.id);
    }
    return s * this.gain;
  }

  flushBatch() {
    if (this.micFill > 0) {
      const mic = this.micBuf.slice(0, this.micFill);
      const played = this.playedBuf.slice(0, this.micFill);
      this.port.postMessage({ type: 'mic', start: this.micStart, mic, played }, [
        mic.buffer,
        played.buffer,
      ]);
      this.micFill = 0;
    }
    if (this.batchFill === 0) return;
    const stereo = this.batchStereo.slice(0, this.batchFill * 2);
    this.port.postMessage({ type: 'frames', start: this.batchStart, stereo }, [stereo.buffer]);
    this.batchFill = 0;
  }

  process(inputs, outputs) {
    const mic = inputs[0] && inputs[0][0];
    const remote = inputs[1] && inputs[1][0];
    const out = outputs[0] && outputs[0][0];
    const n = out ? out.length : 128;
    for (let i = 0; i < n; i++) {
      let played = this.recording ? this.nextSample() : 0;
      if (remote && this.recording) played += this.remoteSample(remote[i]);
      if (out) out[i] = played;
      if (!this.recording) continue;
      const m = mic ? mic[i] : 0;
      if (this.batchFill === 0) this.batchStart = this.frame;
      const k = this.batchFill * 2;
      this.batchStereo[k] = Math.max(-32768, Math.min(32767, Math.round(m * 32767)));
      this.batchStereo[k + 1] = Math.max(-32768, Math.min(32767, Math.round(played * 32767)));
      this.batchFill++;
      if (this.micFill === 0) this.micStart = this.frame;
      this.micBuf[this.micFill] = m;
      this.playedBuf[this.micFill] = played;
      this.micFill++;
      this.frame++;
      if (this.micFill === MIC_FRAMES) {
        const micOut = this.micBuf.slice();
        const playedOut = this.playedBuf.slice();
        this.port.postMessage(
          { type: 'mic', start: this.micStart, mic: micOut, played: playedOut },
          [micOut.buffer, playedOut.buffer],
        );
        this.micFill = 0;
      }
      if (this.batchFill === BATCH_FRAMES) {
        const stereo = this.batchStereo.slice(0, this.batchFill * 2);
        this.port.postMessage({ type: 'frames', start: this.batchStart, stereo }, [stereo.buffer]);
        this.batchFill = 0;
      }
    }
    // Copy to any extra output channels so stereo outputs play on both ears.
    if (outputs[0]) for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(outputs[0][0]);
    return true;
  }
}

registerProcessor('mockloop-round', RoundProcessor);
