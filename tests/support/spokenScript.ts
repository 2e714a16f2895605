/**
 * Scripted transcripts for pieces of speech, by how much audio they hold: the app sends
 * each stretch of speech once, as it ends, so a fake server hears an answer in one or more
 * pieces. Each piece gets the words of the current answer its audio covers (the answer's
 * known spoken length paces them); once nearly all of it has been heard (pads make pieces
 * a little longer than the speech) it gets the rest, and the next piece starts the next
 * answer. When the caller knows a piece opens a new turn, an answer left unfinished is
 * closed there and the piece starts the next one.
 */
export interface SpokenAnswer {
  text: string;
  /** How long it is spoken, seconds. */
  seconds: number;
}

/** An answer counts as heard in full once this share of its length has arrived. */
const HEARD_SHARE = 0.92;

export class SpokenScript {
  private index = 0;
  private heardSeconds = 0;
  private givenWords = 0;

  constructor(private readonly answers: readonly SpokenAnswer[]) {}

  /** The text for a piece of `seconds` of audio; undefined once the script is used up. */
  take(seconds: number, opensTurn?: boolean): string | undefined {
    if (opensTurn && this.givenWords > 0) this.nextAnswer();
    const answer = this.answers[this.index];
    if (!answer) return undefined;
    const words = answer.text.split(/\s+/).filter(Boolean);
    this.heardSeconds += seconds;
    const done = this.heardSeconds >= answer.seconds * HEARD_SHARE;
    const upTo = done
      ? words.length
      : Math.min(words.length, Math.floor((words.length * this.heardSeconds) / answer.seconds));
    const text = words.slice(this.givenWords, upTo).join(' ');
    this.givenWords = upTo;
    if (done) this.nextAnswer();
    return text;
  }

  private nextAnswer(): void {
    this.index++;
    this.heardSeconds = 0;
    this.givenWords = 0;
  }
}
