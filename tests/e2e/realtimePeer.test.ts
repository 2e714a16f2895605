import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The desktop's WebRTC call to OpenAI Realtime, with real peers: the renderer's
 * RealtimePeer (renderer/audio/realtimePeer.ts, as shipped) calls a second
 * RTCPeerConnection in the same Chromium page that plays OpenAI's side — it takes the SDP
 * offer the way /v1/realtime/calls does, answers with an audio track and speaks on the
 * `oai-events` channel. Only OpenAI's server itself is missing; every browser piece runs.
 */
describe('a realtime WebRTC call between real peers', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Raw host addresses: headless Chromium in a container cannot resolve mDNS names.
    browser = await launchChromium(['--disable-features=WebRtcHideLocalIpsWithMdns']);
    page = await browser.newPage();
    await page.setContent('<!doctype html><title>peer</title>');
    const source = readFileSync(join(ROOT, 'renderer', 'audio', 'realtimePeer.ts'), 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    await page.addScriptTag({
      type: 'module',
      content: `${js}\nwindow.RealtimePeer = RealtimePeer; window.peerReady = true;`,
    });
    await page.waitForFunction(() => (window as unknown as { peerReady?: boolean }).peerReady);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('posts the offer with the secret, opens oai-events both ways and receives the voice', async () => {
    const result = await page.evaluate(async () => {
      type Peer = {
        send(event: object): boolean;
        close(): void;
      };
      const w = window as unknown as {
        RealtimePeer: {
          connect(call: object, ports: object, events: object): Promise<Peer>;
        };
      };
      const log: string[] = [];
      const serverReceived: string[] = [];
      let request: { url: string; auth: string; type: string } | null = null;
      // OpenAI's side: answers the offer with an audio track and its own events.
      const server = new RTCPeerConnection();
      const tone = new AudioContext();
      const osc = tone.createOscillator();
      const out = tone.createMediaStreamDestination();
      osc.connect(out);
      osc.start();
      for (const track of out.stream.getAudioTracks()) server.addTrack(track, out.stream);
      server.ondatachannel = (e) => {
        const channel = e.channel;
        channel.onopen = () =>
          channel.send(JSON.stringify({ type: 'session.created', session: { id: 'sess_1' } }));
        channel.onmessage = (m) => serverReceived.push(String(m.data));
      };
      const fakeFetch = async (url: string, init: RequestInit) => {
        const headers = init.headers as Record<string, string>;
        request = {
          url,
          auth: headers['Authorization'] ?? '',
          type: headers['Content-Type'] ?? '',
        };
        await server.setRemoteDescription({ type: 'offer', sdp: String(init.body) });
        await server.setLocalDescription(await server.createAnswer());
        // Like OpenAI's answer, it carries its candidates (no trickle).
        await new Promise<void>((resolve) => {
          if (server.iceGatheringState === 'complete') resolve();
          server.onicegatheringstatechange = () => {
            if (server.iceGatheringState === 'complete') resolve();
          };
        });
        return new Response(server.localDescription?.sdp ?? '', { status: 201 });
      };
      const mic = tone.createMediaStreamDestination().stream;
      let opened!: () => void;
      const channelOpen = new Promise<void>((resolve) => (opened = resolve));
      let gotEvent!: (json: string) => void;
      const firstEvent = new Promise<string>((resolve) => (gotEvent = resolve));
      let gotAudio!: (tracks: number) => void;
      const remoteAudio = new Promise<number>((resolve) => (gotAudio = resolve));
      let connected!: () => void;
      const media = new Promise<void>((resolve) => (connected = resolve));
      const peer = await w.RealtimePeer.connect(
        {
          clientSecret: 'ek_test_secret',
          expiresAt: 0,
          callsUrl: 'https://api.example.test/v1/realtime/calls',
          model: 'gpt-realtime',
        },
        { createPeer: () => new RTCPeerConnection(), fetch: fakeFetch, microphone: mic },
        {
          onServerEvent: (json: string) => gotEvent(json),
          onRemoteAudio: (stream: MediaStream) => gotAudio(stream.getAudioTracks().length),
          onClosed: (reason: string) => log.push(`closed:${reason}`),
          onChannelOpen: () => opened(),
          onConnected: () => connected(),
        },
      );
      const timeout = (ms: number, what: string) =>
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(what)), ms));
      await Promise.race([channelOpen, timeout(20_000, 'channel never opened')]);
      await Promise.race([media, timeout(20_000, 'media never connected')]);
      const event = await Promise.race([firstEvent, timeout(20_000, 'no server event')]);
      const tracks = await Promise.race([remoteAudio, timeout(20_000, 'no remote audio')]);
      const sent = peer.send({ type: 'response.create' });
      const deadline = Date.now() + 10_000;
      while (serverReceived.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      peer.close();
      server.close();
      osc.stop();
      await tone.close();
      return { request, event, tracks, sent, serverReceived, log };
    });
    expect(result.request).toEqual({
      url: 'https://api.example.test/v1/realtime/calls',
      auth: 'Bearer ek_test_secret',
      type: 'application/sdp',
    });
    expect(JSON.parse(result.event)).toMatchObject({ type: 'session.created' });
    expect(result.tracks).toBe(1);
    expect(result.sent).toBe(true);
    expect(result.serverReceived.map((e) => JSON.parse(e) as { type: string })).toEqual([
      { type: 'response.create' },
    ]);
  }, 90_000);
});
