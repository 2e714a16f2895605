import { describe, expect, it } from 'vitest';
import { RealtimeCallRelay } from '../../../renderer/audio/realtimeCall';
import type { RemoteVoiceMessage } from '../../../renderer/audio/remoteVoice';
import type { RealtimeRelayReport } from '../../../src/providers/realtimeVoice';

/**
 * The renderer's half of the WebRTC relay with a fake RTCPeerConnection: the call is set
 * up with the ephemeral secret, client events from the backend reach the data channel
 * (queued until it opens), server events go back in order with the media start time,
 * playback follows `output_audio_buffer.*` at once, and a dropped or refused call is
 * reported so the backend can reconnect.
 */

function fakePeer() {
  const sent: string[] = [];
  const added: MediaStreamTrack[] = [];
  const channel = {
    readyState: 'connecting' as RTCDataChannelState,
    send: (data: string) => void sent.push(data),
    close: () => undefined,
    onmessage: null as ((e: MessageEvent) => void) | null,
    onopen: null as (() => void) | null,
    onclose: null as (() => void) | null,
  };
  let closed = false;
  const peer = {
    connectionState: 'new' as RTCPeerConnectionState,
    ontrack: null as ((e: RTCTrackEvent) => void) | null,
    onconnectionstatechange: null as (() => void) | null,
    addTrack: (track: MediaStreamTrack) => void added.push(track),
    createDataChannel: () => channel,
    createOffer: async () => ({ type: 'offer', sdp: 'v=0 offer' }),
    setLocalDescription: async () => undefined,
    setRemoteDescription: async () => undefined,
    close: () => void (closed = true),
  };
  return {
    peer: peer as unknown as RTCPeerConnection,
    sent,
    added,
    closed: () => closed,
    open() {
      channel.readyState = 'open';
      channel.onopen?.();
    },
    deliver(event: object) {
      channel.onmessage?.({ data: JSON.stringify(event) } as MessageEvent);
    },
    state(next: RTCPeerConnectionState) {
      peer.connectionState = next;
      peer.onconnectionstatechange?.();
    },
    track(stream: MediaStream) {
      peer.ontrack?.({ streams: [stream] } as unknown as RTCTrackEvent);
    },
    dropChannel() {
      channel.readyState = 'closed';
      channel.onclose?.();
    },
  };
}

const CALL = {
  clientSecret: 'ek_relay_test',
  expiresAt: 0,
  callsUrl: 'https://api.example.com/v1/realtime/calls',
  model: 'gpt-realtime',
};

function setUp(status = 201) {
  const peers: ReturnType<typeof fakePeer>[] = [];
  const reports: RealtimeRelayReport[] = [];
  const voice: RemoteVoiceMessage[] = [];
  const posted: { url: string; init: RequestInit }[] = [];
  const attached: MediaStream[] = [];
  const mic = { kind: 'audio' } as MediaStreamTrack;
  let now = 1250;
  const relay = new RealtimeCallRelay({
    createPeer: () => {
      const p = fakePeer();
      peers.push(p);
      return p.peer;
    },
    fetch: (async (url: string, init: RequestInit) => {
      posted.push({ url, init });
      return new Response(status < 300 ? 'v=0 answer' : '{"error":"ek_relay_test"}', { status });
    }) as typeof fetch,
    audio: {
      microphone: { getAudioTracks: () => [mic] } as unknown as MediaStream,
      attachRemoteVoice: (stream) => {
        attached.push(stream);
        return () => undefined;
      },
      remoteVoice: (message) => void voice.push(message),
      nowMs: () => now,
    },
    report: async (r) => void reports.push(structuredClone(r) as RealtimeRelayReport),
  });
  return {
    relay,
    peers,
    reports,
    voice,
    posted,
    attached,
    mic,
    setNow: (ms: number) => (now = ms),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the renderer side of a relayed realtime call', () => {
  it('calls with the secret, relays both ways in order, and marks playback at once', async () => {
    const t = setUp();
    t.relay.handle({ action: 'call', connection: 1, call: CALL });
    // Events from the backend before the channel is open wait for it.
    t.relay.handle({ action: 'send', connection: 1, events: ['{"type":"session.update"}'] });
    await settle();
    const p = t.peers[0]!;
    expect(p.added).toEqual([t.mic]);
    expect(t.posted[0]?.url).toBe(CALL.callsUrl);
    expect(t.posted[0]?.init.headers).toMatchObject({ Authorization: 'Bearer ek_relay_test' });
    expect(p.sent).toEqual([]);
    p.open();
    expect(p.sent).toEqual(['{"type":"session.update"}']);
    t.relay.handle({ action: 'send', connection: 1, events: ['{"type":"response.create"}'] });
    // A message for another call is not this one's.
    t.relay.handle({ action: 'send', connection: 7, events: ['{"type":"nope"}'] });
    expect(p.sent).toEqual(['{"type":"session.update"}', '{"type":"response.create"}']);

    const remote = { id: 'remote' } as MediaStream;
    p.track(remote);
    expect(t.attached).toEqual([remote]);
    p.state('connected');
    p.deliver({ type: 'session.created' });
    p.deliver({ type: 'response.created', response: { id: 'resp_1' } });
    p.deliver({ type: 'output_audio_buffer.started', response_id: 'resp_1' });
    // Playback starts before anything reaches the backend.
    expect(t.voice).toEqual([{ type: 'remote-start', id: 'resp_1' }]);
    // A playback report flushes what came before it, so the engine has it first.
    t.relay.flush();
    expect(t.reports).toEqual([
      {
        connection: 1,
        mediaStartedAtMs: 1250,
        events: [
          '{"type":"session.created"}',
          '{"type":"response.created","response":{"id":"resp_1"}}',
          '{"type":"output_audio_buffer.started","response_id":"resp_1"}',
        ],
      },
    ]);
    p.deliver({ type: 'response.done', response: { id: 'resp_1' } });
    p.deliver({ type: 'output_audio_buffer.stopped', response_id: 'resp_1' });
    p.deliver({ type: 'output_audio_buffer.cleared', response_id: 'resp_2' });
    await settle();
    expect(t.voice.slice(1)).toEqual([
      { type: 'remote-end', id: 'resp_1' },
      { type: 'remote-cut' },
    ]);
    expect(t.reports).toHaveLength(2);
    expect(t.reports[1]!.events).toHaveLength(3);

    // The backend hangs up: the voice stops, the peer closes, nothing more is reported.
    t.relay.handle({ action: 'hangup', connection: 1 });
    expect(p.closed()).toBe(true);
    expect(t.voice.at(-1)).toEqual({ type: 'remote-cut' });
    p.deliver({ type: 'late' });
    await settle();
    expect(t.reports).toHaveLength(2);
  });

  it('reports a dropped data channel, and a new call replaces the old one', async () => {
    const t = setUp();
    t.relay.handle({ action: 'call', connection: 1, call: CALL });
    await settle();
    t.peers[0]!.open();
    t.peers[0]!.dropChannel();
    await settle();
    expect(t.reports).toEqual([{ connection: 1, events: [], closed: { reason: 'closed' } }]);
    expect(t.voice).toEqual([{ type: 'remote-cut' }]);

    t.relay.handle({ action: 'call', connection: 2, call: CALL });
    await settle();
    t.peers[1]!.open();
    t.peers[1]!.deliver({ type: 'session.created' });
    await settle();
    expect(t.reports.at(-1)).toEqual({ connection: 2, events: ['{"type":"session.created"}'] });
  });

  it('reports a refused call by its status only', async () => {
    const t = setUp(401);
    t.relay.handle({ action: 'call', connection: 3, call: CALL });
    await settle();
    await settle();
    expect(t.reports).toEqual([
      { connection: 3, events: [], closed: { reason: 'refused', status: 401 } },
    ]);
    expect(t.peers[0]!.closed()).toBe(true);
  });

  it('splits a burst into batches the contract accepts', async () => {
    const t = setUp();
    t.relay.handle({ action: 'call', connection: 1, call: CALL });
    await settle();
    const p = t.peers[0]!;
    p.open();
    const big = 'x'.repeat(200 * 1024);
    for (let i = 0; i < 6; i++) p.deliver({ type: 'response.done', pad: big });
    p.deliver({ type: 'too-big', pad: 'y'.repeat(300 * 1024) });
    await settle();
    expect(t.reports.map((r) => r.events.length)).toEqual([5, 1]);
    for (const r of t.reports) {
      expect(r.events.reduce((n, e) => n + e.length, 0)).toBeLessThanOrEqual(1024 * 1024);
    }
  });
});
