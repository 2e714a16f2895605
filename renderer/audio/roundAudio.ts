import workletUrl from './roundProcessor.worklet.js?url';
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

type WorkletMessage =
  | { type: 'frames'; start: number; stereo: Int16Array; mic: Float32Array }
  | { type: 'started'; id: string; frame: number }
  | { type: 'ended' | 'interrupted'; id: string; frame: number; played: number };

/**
 * The renderer's side of a live round: microphone in (echo cancellation and noise
 * suppression on), the interviewer out, the stereo recording and speech detection,
 * all on one AudioContext at the app's 24 kHz rate.
 */
export class RoundAudio {
  private recordedFrames = 0;

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
          autoGainControl: true,
          channelCount: 1,
        },
      });
    } catch (error) {
      throw new Error(
        `Mockloop could not use the microphone (${error instanceof Error ? error.name : 'unknown error'}). Allow microphone access and try again.`,
        { cause: error },
      );
    }
    const detector = await SpeechDetector.load({
      onSpeechStart: events.onSpeechStart,
      onSpeechEnd: events.onSpeechEnd,
    });
    const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
    await context.audioWorklet.addModule(workletUrl);
    const node = new AudioWorkletNode(context, 'mockloop-round', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    context.createMediaStreamSource(stream).connect(node);

    // Play through a media element: Chromium's echo canceller only hears audio that
    // leaves through the page's media output, not Web Audio's destination.
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
    node.port.onmessage = (e: MessageEvent<WorkletMessage>) => {
      const msg = e.data;
      const toMs = (frame: number) => (frame / SAMPLE_RATE) * 1000;
      if (msg.type === 'frames') {
        audio.recordedFrames = msg.start + msg.mic.length;
        events.onFrames(msg.stereo);
        detector.push(msg.mic, SAMPLE_RATE, toMs(msg.start));
        let peak = 0;
        for (const s of msg.mic) peak = Math.max(peak, Math.abs(s));
        events.onLevel(peak);
      } else if (msg.type === 'started') {
        events.onPlayback({
          utteranceId: msg.id,
          event: 'started',
          atMs: toMs(msg.frame),
          playedSamples: 0,
        });
      } else {
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
    this.node.port.postMessage({ type: 'flush' });
  }

  /** Turn the interviewer down (a possible interruption) or back up. */
  duck(on: boolean): void {
    this.node.port.postMessage({ type: 'duck', on });
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
