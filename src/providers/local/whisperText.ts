/**
 * What whisper writes is subtitle text: besides words, it writes what it was trained to
 * caption — "[BLANK_AUDIO]", "[Music]", "(keyboard clicking)", "*sighs*", "♪". None of it
 * was said, and counted as words it would skew pace, fillers and coverage; the scripted
 * interviewer would "hear" it too. A candidate's spoken answer has no brackets, so every
 * bracketed, parenthesised or starred aside is dropped.
 */
const ASIDES = /\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|[♪♫]+/g;

export function spokenText(segments: readonly string[]): string {
  return segments.join('').replace(ASIDES, ' ').replace(/\s+/g, ' ').trim();
}
