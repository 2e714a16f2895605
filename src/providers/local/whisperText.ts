/**
 * What whisper writes is subtitle text: besides words, it writes what it was trained to
 * caption — "[BLANK_AUDIO]", "[Music]", "(keyboard clicking)", "*sighs*", "♪". None of it
 * was said, and counted as words it would skew pace, fillers and coverage; the scripted
 * interviewer would "hear" it too. A candidate's spoken answer has no brackets, so every
 * bracketed, parenthesised or starred aside is dropped.
 */
// Only a short aside that stands apart: "O(log n)", "hash(key)" and "a[i]" are words.
const ASIDES = /(?<!\w)(?:\[[^\]]{1,40}\]|\([^)]{1,40}\)|\*[^*]{1,40}\*)|[♪♫]+/g;

export function spokenText(segments: readonly string[]): string {
  // Per segment: a bracket opened in one segment never swallows the words of the next.
  return segments
    .map((segment) => segment.replace(ASIDES, ' '))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
