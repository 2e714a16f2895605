import workletUrl from './roundProcessor.worklet.js?url';
import { EchoGate } from './echoGate';
import { attachRemoteVoice, type RemoteVoiceMessage } from './remoteVoice';
import { SpeechDetector } from './speechDetector';

const SAMPLE_RATE = 24_000;

export interface RoundAudioEvents {
  onFrames(stereo: Int16Array): void;
  onSpeechStart(atMs: number): void;
  onSpeechEnd(atMs: number): void;
  onPlayback(report: {
    utteranceId: string;
    event: 'started' | 'ended' | 'interrupted';
    atMs: number;
    playedSamples: number;
  }): void;
  onLevel(level: number): void;
}

/**
 * How long after confirmed speech the backend has to take over a local pause (by ducking)
 * before the page lets the interviewer go on: it did not count the speech as an
 * interruption (interruptions are off, or its reply had already ended).
 */
const HANDOVER_MS = 250;

type WorkletMessage =
  | { type: 'frames'; start: number; stereo: Int16Array }
  | { type: 'mic'; start: number; mic: Float32Array; played: Float32Array }
  | { type: 'started'; id: string; frame: number }
  | { type: 'ended' | 'interrupted'; id: string; frame: number; played: number };

/**
 * The renderer's side of a live round: microphone in (echo cancellation and noise
 * suppression on), the interviewer out, the stereo recording and speech detection,
 * all on one AudioContext at the app's 24 kHz rate.
 */
export class RoundAudio {
  private recordedFrames = 0;
  private interruptible = true;
  /** An utterance is being heard (between the worklet's started and ended reports). */
  private playing = false;
  /** Paused locally at a speech onset, before the backend has judged it. */
  private holding = false;
  private ducked = false;
  private handover: ReturnType<typeof setTimeout> | null = null;

  private constructor(
    private readonly context: AudioContext,
    private readonly stream: MediaStream,
    private readonly node: AudioWorkletNode,
    private readonly player: HTMLAudioElement | null,
  ) {}

  static async open(events: RoundAudioEvents): Promise<RoundAudio> {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          echoCancellation: true,
          noiseSuppression: true,
          // Gain control would lift the interviewer's residual echo, quiet while it talks,
          // to speech level, and the echo gate tells echo from the candidate by level. The
          // speech detector does not need it (Silero is level-robust).
          autoGainControl: false,
          channelCount: 1,
        },
      });
    } catch (error) {
      throw new Error(
        `Mockloop could not use the microphone (${error instanceof Error ? error.name : 'unknown error'}). Allow microphone access and try again.`,
        { cause: error },
      );
    }
    // The detector exists before the RoundAudio it reports to: reports go through this.
    let self: RoundAudio | null = null;
    const detector = await SpeechDetector.load({
      onSpeechOnset: () => self?.onsetHeard(),
      onMisfire: () => self?.release(),
      onSpeechStart: (atMs) => {
        self?.speechConfirmed();
        events.onSpeechStart(atMs);
      },
      onSpeechEnd: (atMs) => {
        self?.release();
        events.onSpeechEnd(atMs);
      },
    });
    const gate = new EchoGate();
    const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
    await context.audioWorklet.addModule(workletUrl);
    const node = new AudioWorkletNode(context, 'mockloop-round', {
      // Input 1: the model's voice when a realtime round runs over WebRTC (remoteVoice.ts).
      numberOfInputs: 2,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    context.createMediaStreamSource(stream).connect(node);

    // The interviewer goes out through a media element rather than straight to Web Audio's
    // destination. Chromium's echo canceller needs to hear what is played: with its
    // audio-service ("Chrome-wide") canceller, the default on Windows, macOS and Linux,
    // every output stream of the browser is its reference, so either path is cancelled;
    // the older in-renderer canceller (still used where the audio service runs in the
    // browser process, and behind echoCancellation "remote-only") only ever hears
    // WebRTC playout, so neither path is (crbug 687574). The media element is the path
    // that is right in the first case and no worse in the second; the echo gate below
    // covers what is left, and the app recommends headphones.
    let player: HTMLAudioElement | null = new Audio();
    const out = context.createMediaStreamDestination();
    node.connect(out);
    player.srcObject = out.stream;
    try {
      await player.play();
    } catch {
      node.disconnect(out);
      node.connect(context.destination);
      player = null;
    }
    await context.resume();

    const audio = new RoundAudio(context, stream, node, player);
    self = audio;
    let peak = 0;
    let peakFrames = 0;
    node.port.onmessage = (e: MessageEvent<WorkletMessage>) => {
      const msg = e.data;
      const toMs = (frame: number) => (frame / SAMPLE_RATE) * 1000;
      if (msg.type === 'frames') {
        audio.recordedFrames = msg.start + msg.stereo.length / 2;
        events.onFrames(msg.stereo);
      } else if (msg.type === 'mic') {
        // Only what is clearly louder than the interviewer's own echo reaches the detector.
        detector.push(gate.process(msg.mic, msg.played), SAMPLE_RATE, toMs(msg.start));
        for (const s of msg.mic) peak = Math.max(peak, Math.abs(s));
        peakFrames += msg.mic.length;
        if (peakFrames >= SAMPLE_RATE / 10) {
          events.onLevel(peak);
          peak = 0;
          peakFrames = 0;
        }
      } else if (msg.type === 'started') {
        audio.playing = true;
        events.onPlayback({
          utteranceId: msg.id,
          event: 'started',
          atMs: toMs(msg.frame),
          playedSamples: 0,
        });
      } else {
        audio.playing = false;
        audio.release();
        events.onPlayback({
          utteranceId: msg.id,
          event: msg.type,
          atMs: toMs(msg.frame),
          playedSamples: msg.played,
        });
      }
    };
    return audio;
  }

  /** The microphone, for a WebRTC call to send as its track. */
  get microphone(): MediaStream {
    return this.stream;
  }

  /** A WebRTC call's remote voice: played and recorded like queued speech. */
  attachRemoteVoice(stream: MediaStream): () => void {
    return attachRemoteVoice(
      { context: this.context, node: this.node, createSink: () => new Audio() },
      stream,
    );
  }

  remoteVoice(message: RemoteVoiceMessage): void {
    this.node.port.postMessage(message);
  }

  /** Round clock starts now: frame 0 of the recording. */
  startRecording(): void {
    this.node.port.postMessage({ type: 'start' });
  }

  /** Current position on the round clock, in ms. */
  nowMs(): number {
    return (this.recordedFrames / SAMPLE_RATE) * 1000;
  }

  enqueue(utteranceId: string, pcm: Uint8Array, last: boolean): void {
    // Copy into an aligned buffer: bytes from the transport may start at an odd offset.
    const samples = new Int16Array(pcm.byteLength / 2);
    new Uint8Array(samples.buffer).set(pcm.subarray(0, samples.length * 2));
    this.node.port.postMessage({ type: 'enqueue', id: utteranceId, pcm: samples, last }, [
      samples.buffer,
    ]);
  }

  flush(): void {
    this.clearHandover();
    this.holding = false;
    this.ducked = false;
    this.node.port.postMessage({ type: 'flush' });
  }

  /** With interruptions off (Settings), the candidate's speech never stops the interviewer. */
  setInterruptible(on: boolean): void {
    this.interruptible = on;
  }

  /**
   * The backend is judging a possible interruption (on) or has judged it a backchannel
   * (off): the interviewer stays stopped, keeping its place, until then.
   */
  duck(on: boolean): void {
    this.ducked = on;
    if (on) this.clearHandover();
    this.node.port.postMessage({ type: 'duck', on });
  }

  /**
   * Barge-in starts here, not at the backend: the first frame that sounds like speech
   * stops the interviewer within a frame, so the candidate is not talked over while the
   * speech is confirmed. A misfire or a backchannel resumes it where it stopped.
   */
  private onsetHeard(): void {
    if (!this.interruptible || !this.playing || this.holding) return;
    this.holding = true;
    this.node.port.postMessage({ type: 'hold', on: true });
  }

  private speechConfirmed(): void {
    if (!this.holding || this.ducked) return;
    this.clearHandover();
    this.handover = setTimeout(() => {
      this.handover = null;
      if (!this.ducked) this.release();
    }, HANDOVER_MS);
  }

  private release(): void {
    this.clearHandover();
    if (!this.holding) return;
    this.holding = false;
    this.node.port.postMessage({ type: 'hold', on: false });
  }

  private clearHandover(): void {
    if (this.handover) clearTimeout(this.handover);
    this.handover = null;
  }

  async close(): Promise<void> {
    // Flush first: the worklet reports how much of the interviewer's current line was
    // heard, so the transcript keeps exactly that when the round ends mid-sentence.
    this.node.port.postMessage({ type: 'flush' });
    this.node.port.postMessage({ type: 'stop' });
    // Let the worklet post its last partial batch before the graph goes away.
    await new Promise((r) => setTimeout(r, 150));
    this.stream.getTracks().forEach((t) => t.stop());
    this.player?.pause();
    await this.context.close();
  }
}
