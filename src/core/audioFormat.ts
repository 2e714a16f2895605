/**
 * One audio format everywhere the app moves speech: 24 kHz signed 16-bit PCM. It is what
 * OpenAI's `pcm` speech output uses, and the recording is the same rate in stereo
 * (candidate left, interviewer right), so nothing is resampled on the hot path.
 */
export const SAMPLE_RATE = 24_000;
export const RECORDING_CHANNELS = 2;
export const CANDIDATE_CHANNEL = 0;
export const INTERVIEWER_CHANNEL = 1;
export const BYTES_PER_SAMPLE = 2;
