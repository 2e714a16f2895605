/**
 * The model's voice from a WebRTC call, fed into the round worklet's second input so it
 * is played and recorded on the interviewer (right) channel sample-aligned with the
 * microphone, on the one round clock, exactly like queued speech.
 */

/** Input 1 of the `mockloop-round` worklet node. */
export const REMOTE_VOICE_INPUT = 1;

/** What the page tells the worklet about the remote voice (see roundProcessor.worklet.js). */
export type RemoteVoiceMessage =
  /** A reply started playing (`output_audio_buffer.started`); `id` is its response id. */
  | { type: 'remote-start'; id: string }
  /** It finished: the server's output buffer drained (`output_audio_buffer.stopped`). */
  | { type: 'remote-end'; id: string }
  /** Stop it now (`output_audio_buffer.cleared`, or the call dropped): report what was heard. */
  | { type: 'remote-cut' };

export interface RemoteVoicePorts {
  context: AudioContext;
  node: AudioWorkletNode;
  /** A muted element holding the stream (see below). */
  createSink(): HTMLAudioElement;
}

/** Connects the call's remote stream to the worklet; returns how to undo it. */
export function attachRemoteVoice(ports: RemoteVoicePorts, stream: MediaStream): () => void {
  // Chromium delivers a remote WebRTC track's audio to Web Audio only while the stream is
  // also attached to a media element (crbug 933677); the element stays muted, so the
  // voice is heard once, through the worklet.
  const sink = ports.createSink();
  sink.muted = true;
  sink.srcObject = stream;
  void sink.play().catch(() => undefined);
  const source = ports.context.createMediaStreamSource(stream);
  source.connect(ports.node, 0, REMOTE_VOICE_INPUT);
  return () => {
    source.disconnect();
    sink.pause();
    sink.srcObject = null;
  };
}
