import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Writes a tiny whisper.cpp ggml model with random weights (English-only vocabulary
 * layout): structurally what whisper.cpp's loader reads — hparams, mel filters, vocab,
 * named tensors — so the real engine loads it and runs the whole encode/decode pipeline
 * on a test's audio. The text it produces is gibberish; timing, cancellation and errors
 * are real. No real model can be downloaded here (and none ships on the npm registry).
 *
 * Layout (whisper_model_load in whisper.cpp): u32 magic "ggml"; i32 n_vocab,
 * n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state,
 * n_text_head, n_text_layer, n_mels, ftype; i32 n_mel, n_fft, f32 filters; i32 n_tokens
 * then (u32 len, bytes) each; tensors to EOF: i32 n_dims, name_len, type (0 f32, 1 f16),
 * ne[n_dims], name, data.
 */
export function writeTinyWhisperModel(
  out: string,
  { state: N_STATE = 64, heads: N_HEAD = 2, layers: N_LAYER = 1, seed: SEED = 1 } = {},
): number {
  const FTYPE: number = 1;
  const N_VOCAB = 51864; // English-only layout: 50256 text tokens + specials + 1501 timestamps
  const N_AUDIO_CTX = 1500; // 30 s window -> 3000 mel frames -> 1500 after conv stride 2
  const N_TEXT_CTX = 448;
  const N_MELS = 80;
  const N_FFT = 201; // WHISPER_N_FFT/2 + 1

  // deterministic PRNG (mulberry32) + Box-Muller
  let s = SEED >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const randn = (): number =>
    Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

  // float32 -> IEEE half (round to nearest)
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  function toHalf(v: number): number {
    f32[0] = v;
    const x = u32[0]!;
    const sign = (x >>> 16) & 0x8000;
    const e = ((x >>> 23) & 0xff) - 127 + 15;
    let m = x & 0x7fffff;
    if (e <= 0) {
      if (e < -10) return sign;
      m = (m | 0x800000) >>> (1 - e);
      return sign | ((m + 0x1000) >>> 13);
    }
    if (e >= 31) return sign | 0x7c00;
    const h = sign | (e << 10) | (m >>> 13);
    return m & 0x1000 ? h + 1 : h;
  }

  const fd = openSync(out, 'w');
  let written = 0;
  const put = (buf: Buffer): void => {
    writeSync(fd, buf);
    written += buf.length;
  };
  const i32s = (...vals: number[]): void => put(Buffer.from(new Int32Array(vals).buffer));

  // header + hparams
  put(Buffer.from(new Uint32Array([0x67676d6c]).buffer));
  i32s(
    N_VOCAB,
    N_AUDIO_CTX,
    N_STATE,
    N_HEAD,
    N_LAYER,
    N_TEXT_CTX,
    N_STATE,
    N_HEAD,
    N_LAYER,
    N_MELS,
    FTYPE,
  );

  // mel filters: triangular filters on a mel scale
  i32s(N_MELS, N_FFT);
  const mel = new Float32Array(N_MELS * N_FFT);
  const hzToMel = (f: number): number => 2595 * Math.log10(1 + f / 700);
  const melToHz = (m: number): number => 700 * (10 ** (m / 2595) - 1);
  const pts = Array.from({ length: N_MELS + 2 }, (_, i) =>
    melToHz((hzToMel(8000) * i) / (N_MELS + 1)),
  );
  for (let m = 0; m < N_MELS; m++) {
    for (let k = 0; k < N_FFT; k++) {
      const f = (k * 8000) / (N_FFT - 1);
      const up = (f - pts[m]!) / (pts[m + 1]! - pts[m]!);
      const down = (pts[m + 2]! - f) / (pts[m + 2]! - pts[m + 1]!);
      mel[m * N_FFT + k] = Math.max(0, Math.min(up, down)) * (2 / (pts[m + 2]! - pts[m]!));
    }
  }
  put(Buffer.from(mel.buffer));

  // vocab: 256 byte tokens, then made-up syllable words up to id 50255.
  // ids >= 50256 (eot, sot, lang, task, timestamps) are filled in by the loader.
  const N_TEXT_TOKENS = 50256;
  const cons = 'bcdfghjklmnprstvwz';
  const vows = 'aeiou';
  const toks: Buffer[] = [];
  for (let i = 0; i < 256; i++) toks.push(Buffer.from([i]));
  for (let i = 256; i < N_TEXT_TOKENS; i++) {
    let n = i;
    let w = i % 2 ? ' ' : '';
    do {
      w += cons[n % cons.length]! + vows[Math.floor(n / cons.length) % vows.length]!;
      n = Math.floor(n / 90);
    } while (n > 0);
    toks.push(Buffer.from(w, 'utf8'));
  }
  i32s(toks.length);
  for (const t of toks) {
    i32s(t.length);
    put(t);
  }

  // tensors
  function tensor(name: string, ne: number[], kind: 'w' | 'c' | 'f' | 'one' | 'zero'): void {
    // kind: 'w' big matrix (wtype), 'c' conv (vtype), 'f' f32 random, 'one', 'zero'
    const half = FTYPE === 1 && (kind === 'w' || kind === 'c');
    const n = ne.reduce((a, b) => a * b, 1);
    const nameBuf = Buffer.from(name, 'utf8');
    i32s(ne.length, nameBuf.length, half ? 1 : 0, ...ne);
    put(nameBuf);
    const scale = kind === 'f' ? 0.02 : 1 / Math.sqrt(ne[0]!);
    const val = () => (kind === 'one' ? 1 : kind === 'zero' ? 0 : randn() * scale);
    if (half) {
      const a = new Uint16Array(n);
      for (let i = 0; i < n; i++) a[i] = toHalf(val());
      put(Buffer.from(a.buffer));
    } else {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = val();
      put(Buffer.from(a.buffer));
    }
  }
  const S = N_STATE;
  tensor('encoder.positional_embedding', [S, N_AUDIO_CTX], 'f');
  tensor('encoder.conv1.weight', [3, N_MELS, S], 'c');
  tensor('encoder.conv1.bias', [1, S], 'zero');
  tensor('encoder.conv2.weight', [3, S, S], 'c');
  tensor('encoder.conv2.bias', [1, S], 'zero');
  tensor('encoder.ln_post.weight', [S], 'one');
  tensor('encoder.ln_post.bias', [S], 'zero');
  const block = (p: string, cross: boolean): void => {
    tensor(`${p}.mlp_ln.weight`, [S], 'one');
    tensor(`${p}.mlp_ln.bias`, [S], 'zero');
    tensor(`${p}.mlp.0.weight`, [S, 4 * S], 'w');
    tensor(`${p}.mlp.0.bias`, [4 * S], 'zero');
    tensor(`${p}.mlp.2.weight`, [4 * S, S], 'w');
    tensor(`${p}.mlp.2.bias`, [S], 'zero');
    for (const a of cross ? ['attn', 'cross_attn'] : ['attn']) {
      tensor(`${p}.${a}_ln.weight`, [S], 'one');
      tensor(`${p}.${a}_ln.bias`, [S], 'zero');
      tensor(`${p}.${a}.query.weight`, [S, S], 'w');
      tensor(`${p}.${a}.query.bias`, [S], 'zero');
      tensor(`${p}.${a}.key.weight`, [S, S], 'w');
      tensor(`${p}.${a}.value.weight`, [S, S], 'w');
      tensor(`${p}.${a}.value.bias`, [S], 'zero');
      tensor(`${p}.${a}.out.weight`, [S, S], 'w');
      tensor(`${p}.${a}.out.bias`, [S], 'zero');
    }
  };
  for (let i = 0; i < N_LAYER; i++) block(`encoder.blocks.${i}`, false);
  tensor('decoder.positional_embedding', [S, N_TEXT_CTX], 'f');
  tensor('decoder.token_embedding.weight', [S, N_VOCAB], 'w');
  tensor('decoder.ln.weight', [S], 'one');
  tensor('decoder.ln.bias', [S], 'zero');
  for (let i = 0; i < N_LAYER; i++) block(`decoder.blocks.${i}`, true);

  closeSync(fd);
  return written;
}
