import type { RealtimeCall } from '../../src/api/realtimeContract';

/**
 * The renderer's half of the WebRTC path to OpenAI Realtime (desktop): the microphone
 * goes out as a media track, the model's voice comes back as one, and Realtime events
 * travel on the `oai-events` data channel. The backend mints the short-lived client
 * secret for a running round (its `realtime-relay` event); the API key is never here. Browser APIs are handed
 * in, so every step but the media itself runs in tests.
 */

type Call = RealtimeCall;

/** The SDP offer is posted as is, authorised by the ephemeral secret only. */
export function callRequest(call: Call, offerSdp: string): { url: string; init: RequestInit } {
  return {
    url: call.callsUrl,
    init: {
      method: 'POST',
      headers: { Authorization: `Bearer ${call.clientSecret}`, 'Content-Type': 'application/sdp' },
      body: offerSdp,
    },
  };
}

export interface PeerPorts {
  createPeer(): RTCPeerConnection;
  fetch: typeof fetch;
  microphone: MediaStream;
}

export interface RealtimePeerEvents {
  /** Each Realtime server event as received (JSON text), for the backend's event handler. */
  onServerEvent(json: string): void;
  /** The model's voice, to play and record on the interviewer channel. */
  onRemoteAudio(stream: MediaStream): void;
  onClosed(reason: 'closed' | 'failed'): void;
  /** The data channel is open: client events can be sent. */
  onChannelOpen?(): void;
  /** ICE and DTLS are up: media flows from now on (the server's input-audio clock starts). */
  onConnected?(): void;
}

/** The SDP offer was refused (`status`) or never reached the server (status 0). */
export class RealtimeCallRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RealtimeCallRefused';
  }
}

export class RealtimePeer {
  private constructor(
    private readonly peer: RTCPeerConnection,
    private readonly channel: RTCDataChannel,
  ) {}

  static async connect(
    call: Call,
    ports: PeerPorts,
    events: RealtimePeerEvents,
  ): Promise<RealtimePeer> {
    const peer = ports.createPeer();
    for (const track of ports.microphone.getAudioTracks()) peer.addTrack(track, ports.microphone);
    peer.ontrack = (e) => {
      const stream = e.streams[0];
      if (stream) events.onRemoteAudio(stream);
    };
    peer.onconnectionstatechange = () => {
      if (peer.connectionState === 'connected') events.onConnected?.();
      else if (peer.connectionState === 'failed') events.onClosed('failed');
      else if (peer.connectionState === 'closed') events.onClosed('closed');
    };
    const channel = peer.createDataChannel('oai-events');
    channel.onmessage = (e: MessageEvent) => {
      if (typeof e.data === 'string') events.onServerEvent(e.data);
    };
    channel.onopen = () => events.onChannelOpen?.();
    // The server ends the call by closing the channel as well as the peer.
    channel.onclose = () => events.onClosed('closed');
    const offer = await peer.createOffer();
    await peer.setLocalDescription(offer);
    const { url, init } = callRequest(call, offer.sdp ?? '');
    let response: Response;
    try {
      response = await ports.fetch(url, init);
    } catch (error) {
      peer.close();
      throw new RealtimeCallRefused(
        0,
        `The realtime call could not reach the server (${error instanceof Error ? error.name : 'error'}).`,
      );
    }
    if (!response.ok) {
      peer.close();
      // Status only: the body may echo the session config.
      throw new RealtimeCallRefused(
        response.status,
        response.status === 401
          ? 'The realtime call was refused (401): the client secret expired or was rejected. Start the round again.'
          : `The realtime call could not be set up (${response.status}).`,
      );
    }
    await peer.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    return new RealtimePeer(peer, channel);
  }

  /** A client event (session.update, response.create, response.cancel, …) for the model. */
  send(event: object): boolean {
    if (this.channel.readyState !== 'open') return false;
    this.channel.send(JSON.stringify(event));
    return true;
  }

  /** A client event already serialised (relayed from the backend as JSON text). */
  sendText(json: string): boolean {
    if (this.channel.readyState !== 'open') return false;
    this.channel.send(json);
    return true;
  }

  close(): void {
    this.channel.close();
    this.peer.close();
  }
}
