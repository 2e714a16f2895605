// Over ~400 lines on purpose: one benchmark scenario (the script of cycles, the two
// profiles, the rounds in Chromium and the figures read back from their recordings) whose
// measurements only make sense next to how the script placed each event.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sessionSchema, type SessionRecord } from '../../src/core/session';
import { splitSentences } from '../../src/core/sentences';
import { launchWithMicrophone, requireChromium } from '../../tests/support/chromium';
import { readWav } from '../../tests/support/wavFile';
import { startWebApp } from '../../tests/support/webApp';
import type { Section } from './section';
import { makeTempFolder, removeTempFolder } from './tempFolders';
import {
  clamp,
  interviewerVoice,
  RATE,
  speak,
  Timeline,
  writeWav,
  type Placed,
} from './latencyFixture';
import { figure, type Figure } from './stats';

/**
 * The two provider profiles, with the same end-of-turn window. `cascade`: speech-to-text
 * answers each piece of speech 250 ms after it ends. `stream`: a transcriber that hears as
 * the candidate speaks (interim words every 200 ms, the final text 100 ms after a piece
 * ends). The interviewer and the voice are the same in both.
 */
const MODEL = { interviewerFirstMs: 350, interviewerStepMs: 15, ttsFirstMs: 120 };
const PROFILES = {
  cascade: { suffix: '', sttMs: 250, stt: { sttMs: 250 } },
  stream: {
    suffix: '_stream',
    sttMs: 100,
    stt: { sttStream: { interimEveryMs: 200, finalMs: 100 } },
  },
} as const;
type ProfileName = keyof typeof PROFILES;
const WINDOW_MS = 500;
const TTS_MS_PER_CHAR = 50;
/** The interviewer's audio leaks into the microphone this far down (speakers, no headset). */
const ECHO_DB = -25;
/** Leaked audio arrives after the output and input buffers and the room. */
const ECHO_DELAY_MS = 30;

const REPLY = 'That makes sense. Now tell me how you would keep ordering when a broker fails over.';
const ANSWER_A = 'I would partition the topic by key and';
const ANSWER_B = 'then replicate each partition to three brokers.';
const BARGE_IN = 'Sorry, one more thing about ordering.';
const BACKCHANNEL = 'hm';
/** The pause after the unfinished sentence: it must not end the turn. */
const THINKING_S = 3;
/** Where in the reply the candidate cuts in (backchannel, then the real interruption). */
const BACKCHANNEL_AT_S = 1.0;
const BARGE_IN_AFTER_BACKCHANNEL_S = 1.6;
/** A guess at voice-to-voice used only to lay out the script; measured, not assumed. */
const EXPECTED_V2V_S = 1.1;

/** -50 dBFS, the threshold for "interviewer audio". */
const AUDIBLE = Math.round(32768 * 10 ** (-50 / 20));
/** A stop in playback: this many samples in a row of (near) digital silence. */
const GAP_SAMPLES = 240; // 10 ms

/**
 * Voice-to-voice, barge-in, flush, truncation, thinking pauses, false barge-ins and
 * underruns, in browser mode with Debian's Chromium. The microphone plays a scripted WAV
 * (espeak + sox) whose speech starts and ends are known; the providers are the fakes with
 * the fixed delays; every figure is read off the saved stereo recording (left:
 * microphone, right: exactly what was played) on its sample clock, with the session's
 * turn times (also frames of that clock) to say which utterance is which. Two rounds run:
 * the first, without echo, only to learn when the interviewer speaks; the second, scored,
 * has that interviewer audio mixed into the microphone at -25 dB, as speakers would leak.
 */
export const latencySection: Section = async ({ runs, log }) => {
  requireChromium();
  const cycles = Number(process.env.MOCKLOOP_BENCH_LATENCY_CYCLES ?? Math.max(20, runs));
  const dir = makeTempFolder('mockloop-latency-');
  try {
    log(`building the script: ${cycles} cycles (thinking pause, answer, backchannel, barge-in)…`);
    const voice = interviewerVoice(dir);
    writeFileSync(join(dir, 'voice.pcm'), Buffer.from(voice.buffer));
    const script = buildScript(dir, cycles);
    const figures: Record<string, Figure> = {};
    const notes: string[] = [];
    for (const name of Object.keys(PROFILES) as ProfileName[]) {
      const result = await measureProfile(dir, name, script, log);
      Object.assign(figures, result.figures);
      notes.push(result.note);
    }
    return {
      figures,
      notes:
        `Browser mode in Chromium, microphone from a scripted espeak WAV with the interviewer ` +
        `leaking in at ${ECHO_DB} dB; fake providers LLM first token ` +
        `${MODEL.interviewerFirstMs} ms (+${MODEL.interviewerStepMs} ms/token), TTS first ` +
        `byte ${MODEL.ttsFirstMs} ms, end-of-turn window ${WINDOW_MS} ms; speech-to-text per ` +
        `profile: cascade 250 ms after each piece, stream interim words every 200 ms and the ` +
        `final text 100 ms after each piece (figures suffixed _stream). Scored from the stereo ` +
        `recording on its sample clock. stt_audio_ratio = audio seconds sent to speech-to-text ` +
        `(the session's usage) / seconds of the candidate's turn speech in the script. ` +
        notes.join(' '),
    };
  } finally {
    removeTempFolder(dir);
  }
};

async function measureProfile(
  dir: string,
  name: ProfileName,
  script: ReturnType<typeof buildScript>,
  log: (line: string) => void,
): Promise<{ figures: Record<string, Figure>; note: string }> {
  const profile = PROFILES[name];
  const profilePath = join(dir, `profile-${name}.json`);
  writeFileSync(
    profilePath,
    JSON.stringify({
      ...MODEL,
      ...profile.stt,
      ttsMsPerChar: TTS_MS_PER_CHAR,
      voicePcm: join(dir, 'voice.pcm'),
      replies: [REPLY],
      candidateTurns: [[ANSWER_A, ANSWER_B], [BARGE_IN]],
      candidateSegmentMs: script.segmentMs,
    }),
  );
  log(`[${name}] calibration round (no echo), to learn when the interviewer speaks…`);
  const calibration = await runRound(
    dir,
    `${name}-calibration`,
    script.mic,
    profilePath,
    script.seconds,
  );
  const offset = fileToRecording(script.mic, calibration.left);
  log(`  microphone file → recording offset ${((offset / RATE) * 1000).toFixed(0)} ms`);
  const echoed = mixEcho(script.mic, calibration.right, offset);

  log(`[${name}] scored round, interviewer leaking into the microphone at ${ECHO_DB} dB…`);
  const scored = await runRound(dir, `${name}-scored`, echoed, profilePath, script.seconds);
  const scoredOffset = fileToRecording(echoed, scored.left);
  const score = scoreRound(scored, script.placed, scoredOffset);
  log(
    `  ${score.v2v.length} replies, ${score.bargeIn.length} barge-ins, ` +
      `${score.backchannels} backchannels, ${score.echoOnly} echo-only utterances, ` +
      `${score.thinkingPauses} thinking pauses, ${(score.playedMinutes * 60).toFixed(0)} s played`,
  );
  for (const line of score.flagged) log(`  counted: ${line}`);
  const sentSeconds = scored.session.usage?.stages.stt?.audioSeconds ?? 0;
  const spokenSeconds = turnSpeechSeconds(script.placed);
  const ratio = Number((sentSeconds / spokenSeconds).toFixed(3));
  log(`  speech-to-text heard ${sentSeconds.toFixed(1)} s of ${spokenSeconds.toFixed(1)} s spoken`);

  const providerMs =
    profile.sttMs +
    MODEL.interviewerFirstMs +
    firstSentenceSteps() * MODEL.interviewerStepMs +
    MODEL.ttsFirstMs;
  const overhead = score.v2v.map((v) => v - WINDOW_MS - providerMs);
  const draftAware = score.v2v.map((v) => v - Math.max(WINDOW_MS, providerMs));
  const x = profile.suffix;
  return {
    figures: {
      [`stt_audio_ratio${x}`]: count(ratio, score.v2v.length, 'ratio'),
      [`overhead${x}_p50_ms`]: pick(figure(overhead, 'ms', 0), 'median'),
      [`overhead${x}_p95_ms`]: pick(figure(overhead, 'ms', 0), 'p95'),
      [`v2v${x}_p50_ms`]: pick(figure(score.v2v, 'ms', 0), 'median'),
      [`v2v${x}_p95_ms`]: pick(figure(score.v2v, 'ms', 0), 'p95'),
      [`bargein${x}_p50_ms`]: pick(figure(score.bargeIn, 'ms', 0), 'median'),
      [`bargein${x}_p95_ms`]: pick(figure(score.bargeIn, 'ms', 0), 'p95'),
      [`flush${x}_p95_ms`]: pick(figure(score.flush, 'ms', 1), 'p95'),
      [`truncation${x}_max_words`]: count(
        Math.max(0, ...score.truncation),
        score.truncation.length,
      ),
      [`thinking${x}_cutoffs`]: count(score.thinkingCutoffs, score.thinkingPauses),
      [`false_bargeins${x}`]: count(score.falseBargeIns, score.backchannels + score.echoOnly),
      [`underruns${x}_per_min`]: count(
        Number((score.underruns / Math.max(score.playedMinutes, 1e-9)).toFixed(2)),
        score.v2v.length,
        'per min',
      ),
    },
    note:
      `[${name}] overhead = v2v - window - provider delays (${providerMs} ms); with the reply ` +
      `drafted inside the window that goes negative: v2v - max(window, providers) was median ` +
      `${figure(draftAware, 'ms', 0).median} / p95 ${figure(draftAware, 'ms', 0).p95} ms.`,
  };
}

/** Seconds of the candidate's speech that belongs to turns (answers and interruptions). */
function turnSpeechSeconds(placed: Placed[]): number {
  return placed
    .filter((p) => p.kind !== 'backchannel')
    .reduce((n, p) => n + (p.end - p.start) / RATE, 0);
}

/** A quantity as a one-number figure (medians and p95 are over the turns, not runs). */
function pick(f: ReturnType<typeof figure>, which: 'median' | 'p95') {
  return { ...f, median: f[which], p95: f[which] };
}

function count(value: number, cases: number, unit = 'count') {
  return { unit, median: value, p95: value, min: value, max: value, runs: cases };
}

/** Tokens before the first sentence is complete, less one (the first token's own delay). */
function firstSentenceSteps(): number {
  const first = splitSentences(REPLY)[0] ?? REPLY;
  return (first.match(/\S+\s*/g) ?? []).length - 1;
}

function buildScript(dir: string, cycles: number) {
  const a = speak(dir, 'a', ANSWER_A);
  const b = speak(dir, 'b', ANSWER_B);
  const c = speak(dir, 'c', BARGE_IN);
  const bc = speak(dir, 'bc', BACKCHANNEL, 200);
  const replyS = (REPLY.length * TTS_MS_PER_CHAR) / 1000;
  const timeline = new Timeline();
  // Room for the page to start, the model to load and the opening to be spoken.
  let t = 8 + replyS;
  for (let cycle = 0; cycle < cycles; cycle++) {
    const endA = timeline.put(t, a, { kind: 'answer-start', cycle });
    const endB = timeline.put(endA + THINKING_S, b, { kind: 'answer-end', cycle });
    const replyAt = endB + EXPECTED_V2V_S;
    const endBc = timeline.put(replyAt + BACKCHANNEL_AT_S, bc, { kind: 'backchannel', cycle });
    const endC = timeline.put(endBc + BARGE_IN_AFTER_BACKCHANNEL_S, c, { kind: 'bargein', cycle });
    // The interviewer answers the interruption in full before the next cycle.
    t = endC + EXPECTED_V2V_S + replyS + 1.5;
  }
  // Silence until the last reply has been heard in full, then the round is ended.
  const mic = timeline.render(Math.max(4, t - timeline.length / RATE + 1));
  const ms = (pcm: Int16Array) => Math.round((pcm.length / RATE) * 1000);
  return {
    mic,
    placed: timeline.placed,
    seconds: mic.length / RATE,
    /** How long each scripted stretch of speech lasts (the streaming fake paces by it). */
    segmentMs: [[ms(a), ms(b)], [ms(c)]],
  };
}

interface Recorded {
  left: Int16Array;
  right: Int16Array;
  session: SessionRecord;
}

async function runRound(
  dir: string,
  name: string,
  mic: Int16Array,
  profilePath: string,
  seconds: number,
): Promise<Recorded> {
  const micPath = join(dir, `${name}-mic.wav`);
  writeWav(micPath, mic);
  const dataDir = join(dir, `${name}-data`);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, 'settings.json'),
    JSON.stringify({
      schemaVersion: 1,
      providers: { stt: 'fake', interviewer: 'fake', tts: 'fake', fallbackToEmbedded: false },
      turnTaking: { endOfTurnSilenceMs: WINDOW_MS, allowInterruptions: true },
    }),
  );
  const web = await startWebApp(dataDir, { MOCKLOOP_FAKE_PROFILE: profilePath });
  try {
    const { browser, page } = await launchWithMicrophone(micPath);
    try {
      await page.goto(web.url);
      const title = 'Kafka internals deep dive';
      await page.getByText(title).first().click();
      await page.getByRole('button', { name: 'Start round' }).click();
      await page.waitForTimeout(seconds * 1000);
      await page.getByRole('button', { name: 'End round' }).click();
      await page.getByText('Round ended. The session is saved.').waitFor({ timeout: 30_000 });
    } finally {
      await browser.close();
    }
  } finally {
    await web.stop();
  }
  const sessionsDir = join(dataDir, 'sessions');
  const id = readdirSync(sessionsDir)[0]!;
  const session = sessionSchema.parse(
    JSON.parse(readFileSync(join(sessionsDir, id, 'session.json'), 'utf8')),
  );
  const wav = await readWav(join(sessionsDir, id, 'audio.wav'));
  const frames = Math.floor(wav.data.byteLength / 4);
  const view = new DataView(wav.data.buffer, wav.data.byteOffset, wav.data.byteLength);
  const left = new Int16Array(frames);
  const right = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = view.getInt16(i * 4, true);
    right[i] = view.getInt16(i * 4 + 2, true);
  }
  return { left, right, session };
}

/** 10 ms log-energy envelope. */
function envelope(pcm: Int16Array): Float32Array {
  const block = RATE / 100;
  const out = new Float32Array(Math.floor(pcm.length / block));
  for (let k = 0; k < out.length; k++) {
    let sum = 0;
    for (let i = k * block; i < (k + 1) * block; i++) sum += pcm[i]! * pcm[i]!;
    out[k] = Math.log10(1 + sum / block);
  }
  return out;
}

/**
 * Where the microphone file sits on the recording's clock: the lag (in samples, file
 * sample + lag = recording frame) that best lines up the two energy envelopes. The file
 * starts playing when the microphone opens, before the round's frame 0.
 */
function fileToRecording(mic: Int16Array, left: Int16Array): number {
  const a = envelope(mic);
  const b = envelope(left);
  let best = 0;
  let bestScore = -Infinity;
  for (let lag = -2000; lag <= 500; lag++) {
    let score = 0;
    let n = 0;
    for (let k = Math.max(0, -lag); k < a.length && k + lag < b.length; k += 2) {
      score += a[k]! * b[k + lag]!;
      n++;
    }
    if (n > 0 && score / n > bestScore) {
      bestScore = score / n;
      best = lag;
    }
  }
  return best * (RATE / 100);
}

/** The microphone file again, with the interviewer's recorded output leaking into it. */
function mixEcho(mic: Int16Array, right: Int16Array, offset: number): Int16Array {
  const gain = 10 ** (ECHO_DB / 20);
  const delay = Math.round((ECHO_DELAY_MS / 1000) * RATE);
  const out = mic.slice();
  for (let i = 0; i < out.length; i++) {
    const r = i + offset - delay;
    if (r >= 0 && r < right.length) out[i] = clamp(out[i]! + right[r]! * gain);
  }
  return out;
}

interface Score {
  v2v: number[];
  bargeIn: number[];
  flush: number[];
  truncation: number[];
  thinkingPauses: number;
  thinkingCutoffs: number;
  backchannels: number;
  echoOnly: number;
  falseBargeIns: number;
  underruns: number;
  playedMinutes: number;
  /** What was counted against the bars, to look into (logged). */
  flagged: string[];
}

function scoreRound(rec: Recorded, placed: Placed[], offset: number): Score {
  const ms = (samples: number) => (samples / RATE) * 1000;
  const at = (fileSample: number) => fileSample + offset;
  const right = rec.right;
  const audible = (i: number) => Math.abs(right[i] ?? 0) >= AUDIBLE;
  const firstAudible = (from: number, to: number) => {
    for (let i = Math.max(0, from); i < Math.min(right.length, to); i++) if (audible(i)) return i;
    return -1;
  };
  /** First sample from `from` after which the interviewer stays inaudible for `holdMs`. */
  const silentFrom = (from: number, holdMs: number) => {
    const hold = Math.round((holdMs / 1000) * RATE);
    let run = 0;
    for (let i = Math.max(0, from); i < right.length; i++) {
      run = audible(i) ? 0 : run + 1;
      if (run >= hold) return i - hold + 1;
    }
    return -1;
  };
  /** Runs of digital silence inside [from, to): stops and gaps in playback. */
  const gaps = (from: number, to: number) => {
    const out: { start: number; end: number }[] = [];
    let start = -1;
    for (let i = from; i < to; i++) {
      const quiet = Math.abs(right[i] ?? 0) <= 1;
      if (quiet && start < 0) start = i;
      if (!quiet && start >= 0) {
        if (i - start >= GAP_SAMPLES) out.push({ start, end: i });
        start = -1;
      }
    }
    if (start >= 0 && to - start >= GAP_SAMPLES) out.push({ start, end: to });
    return out;
  };
  const interviewerTurns = rec.session.turns
    .filter((t) => t.speaker === 'interviewer')
    .map((t) => ({
      ...t,
      from: Math.round((t.startMs / 1000) * RATE),
      to: Math.round((t.endMs / 1000) * RATE),
    }));
  const candidateSpeech = placed.map((p) => ({ start: at(p.start), end: at(p.end) }));
  const overlapsCandidate = (start: number, end: number, slack: number) =>
    candidateSpeech.some((s) => s.start < end + slack && s.end > start - slack);

  const score: Score = {
    v2v: [],
    bargeIn: [],
    flush: [],
    truncation: [],
    thinkingPauses: 0,
    thinkingCutoffs: 0,
    backchannels: 0,
    echoOnly: 0,
    falseBargeIns: 0,
    underruns: 0,
    playedMinutes: 0,
    flagged: [],
  };
  const wordsPerSample = wordTimeline();

  for (const p of placed) {
    const start = at(p.start);
    const end = at(p.end);
    if (p.kind === 'answer-start') {
      // The unfinished sentence, then THINKING_S of silence: any reply in between is a cut-off.
      score.thinkingPauses++;
      const next = placed.find((q) => q.cycle === p.cycle && q.kind === 'answer-end')!;
      if (firstAudible(end, at(next.start)) >= 0) score.thinkingCutoffs++;
    } else if (p.kind === 'answer-end' || p.kind === 'bargein') {
      const reply = firstAudible(end, end + 6 * RATE);
      if (reply >= 0) score.v2v.push(ms(reply - end));
    }
    if (p.kind === 'bargein') {
      const stop = silentFrom(start, 300);
      if (stop >= 0) score.bargeIn.push(ms(stop - start));
      const turn = interviewerTurns.find((t) => t.from <= start && t.to + RATE >= start);
      if (turn?.interrupted && stop >= 0) {
        score.flush.push(Math.max(0, ms(stop - turn.to)));
        // Words heard: the reply's words whose middle was played, from the samples that
        // actually went out (stops for the backchannel left out).
        const stopped = gaps(turn.from, stop).reduce((n, g) => n + (g.end - g.start), 0);
        const played = stop - turn.from - stopped;
        const heard = wordsPerSample.filter((w) => w.middle <= played).length;
        const committed = ((turn.text ?? '').replace(/…/g, '').match(/\S+/g) ?? []).length;
        score.truncation.push(Math.abs(committed - heard));
      } else {
        score.truncation.push(Infinity);
      }
    }
    if (p.kind === 'backchannel') {
      score.backchannels++;
      const turn = interviewerTurns.find((t) => t.from <= start && t.to >= start);
      // The interruption follows within seconds, so judge only up to it: the backchannel's
      // utterance must go on playing (resume) before the real interruption starts.
      const bargeIn = placed.find((q) => q.cycle === p.cycle && q.kind === 'bargein')!;
      const resumed = firstAudible(end + RATE / 2, at(bargeIn.start)) >= 0;
      if (!turn || !resumed) {
        score.falseBargeIns++;
        score.flagged.push(`backchannel at ${(start / RATE).toFixed(1)} s: not resumed`);
      }
    }
  }

  for (const t of interviewerTurns) {
    score.playedMinutes += (t.to - t.from) / RATE / 60;
    const candidateUnder = overlapsCandidate(t.from, t.to, RATE / 2);
    if (!candidateUnder) {
      // Only the interviewer (and its echo) was on the microphone: it must play through.
      score.echoOnly++;
      if (t.interrupted || gaps(t.from, t.to).length > 0) {
        score.falseBargeIns++;
        score.flagged.push(
          `echo-only utterance ${t.id} at ${(t.from / RATE).toFixed(1)} s: ` +
            (t.interrupted ? 'stopped' : `gaps at ${gapList(gaps(t.from, t.to))}`),
        );
      }
    }
    for (const g of gaps(t.from, t.to)) {
      // A stop while the candidate speaks is the barge-in path, not an underrun.
      if (!overlapsCandidate(g.start, g.end, RATE / 2)) {
        score.underruns++;
        score.flagged.push(`underrun in ${t.id}: ${gapList([g])}`);
      }
    }
  }
  return score;
}

function gapList(list: { start: number; end: number }[]): string {
  return list
    .map((g) => `${(g.start / RATE).toFixed(2)}–${(g.end / RATE).toFixed(2)} s`)
    .join(', ');
}

/** Where each word of the reply ends up in the fake voice: 50 ms per character. */
function wordTimeline(): { middle: number }[] {
  const out: { middle: number }[] = [];
  let offset = 0;
  const perChar = (TTS_MS_PER_CHAR / 1000) * RATE;
  for (const sentence of splitSentences(REPLY)) {
    let pos = 0;
    for (const word of sentence.split(/\s+/).filter(Boolean)) {
      const i = sentence.indexOf(word, pos);
      out.push({ middle: offset + (i + word.length / 2) * perChar });
      pos = i + word.length;
    }
    offset += Math.round(sentence.length * perChar);
  }
  return out;
}
