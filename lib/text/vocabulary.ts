/**
 * The word vocabulary of a captioning model: special tokens <NULL> (padding, index 0),
 * <START>, <END>, <UNK>, then the words; captions split by {@link tokenize}, encoded to padded
 * index arrays and decoded back.
 */
import { tokenize } from "./tokenize";

/** Padding; masked out of the loss. Always index 0. */
export const NULL_TOKEN = "<NULL>";
/** First token of every encoded caption. */
export const START_TOKEN = "<START>";
/** Last token of every encoded caption. */
export const END_TOKEN = "<END>";
/** Stands for words not in the vocabulary. */
export const UNK_TOKEN = "<UNK>";

/** The four special tokens, in index order 0..3. */
export const SPECIAL_TOKENS = [NULL_TOKEN, START_TOKEN, END_TOKEN, UNK_TOKEN] as const;

/** A word vocabulary: `idxToWord[i]` is the word with index i; `wordToIdx` is CS231n's dictionary. */
export class Vocabulary {
  readonly idxToWord: string[];
  readonly wordToIdx: Record<string, number>;

  /**
   * @param words the non-special words, in index order (indices 4, 5, ...)
   */
  constructor(words: readonly string[]) {
    this.idxToWord = [...SPECIAL_TOKENS];
    this.wordToIdx = {};
    SPECIAL_TOKENS.forEach((w, i) => (this.wordToIdx[w] = i));
    for (const w of words) {
      if (w in this.wordToIdx) continue;
      this.wordToIdx[w] = this.idxToWord.length;
      this.idxToWord.push(w);
    }
  }

  /**
   * Builds a vocabulary from captions: words that occur at least `minCount` times, most frequent
   * first (ties alphabetical, so the order is deterministic).
   * @example
   * const vocab = Vocabulary.fromCaptions(["seven two one", "one one"]); // size 4 + 3
   */
  static fromCaptions(captions: readonly string[], minCount = 1): Vocabulary {
    const counts = new Map<string, number>();
    for (const c of captions) for (const w of tokenize(c)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts.entries()]
      .filter(([, n]) => n >= minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([w]) => w);
    return new Vocabulary(words);
  }

  /** Number of tokens V, the four special ones included. */
  get size(): number {
    return this.idxToWord.length;
  }

  /** Index of <NULL> (0). */
  get nullIdx(): number {
    return 0;
  }
  /** Index of <START> (1). */
  get startIdx(): number {
    return 1;
  }
  /** Index of <END> (2). */
  get endIdx(): number {
    return 2;
  }
  /** Index of <UNK> (3). */
  get unkIdx(): number {
    return 3;
  }

  /** Index of a word; <UNK>'s index for unknown words. */
  index(word: string): number {
    return this.wordToIdx[word] ?? this.unkIdx;
  }

  /**
   * Encodes captions to a padded index array [N, maxLength]: <START> w_1 ... w_k <END> <NULL>...
   * Captions longer than maxLength - 2 words are cut (the <END> is kept).
   * @param maxLength total length T including <START> and <END>; default: longest caption + 2
   * @example
   * vocab.encode(["seven two"]) // [[1, i("seven"), i("two"), 2]]
   */
  encode(captions: readonly string[], maxLength?: number): number[][] {
    return this.encodeTokens(captions.map(tokenize), maxLength);
  }

  /**
   * Encodes already-split token lists (e.g. the characters of a string) like {@link encode}.
   * @example
   * const chars = new Vocabulary([..."0123456789-"]);
   * chars.encodeTokens([[..."1998-03-03"]]) // [[1, ..., 2]] of length 12
   */
  encodeTokens(tokenLists: readonly (readonly string[])[], maxLength?: number): number[][] {
    const T = maxLength ?? Math.max(0, ...tokenLists.map((t) => t.length)) + 2;
    if (T < 2) throw new Error(`Error in Vocabulary.encode: maxLength must be at least 2 (room for <START> and <END>), got ${T}.`);
    return tokenLists.map((words) => {
      const row = [this.startIdx, ...words.slice(0, T - 2).map((w) => this.index(w)), this.endIdx];
      while (row.length < T) row.push(this.nullIdx);
      return row;
    });
  }

  /**
   * Decodes index rows back to captions: stops at <END>, skips <START> and <NULL>.
   * @example
   * vocab.decode(vocab.encode(["seven two"])) // ["seven two"]
   */
  decode(rows: ArrayLike<ArrayLike<number>>): string[] {
    const out: string[] = [];
    for (let n = 0; n < rows.length; n++) out.push(this.decodeOne(rows[n]).join(" "));
    return out;
  }

  /** Decodes one row to its words (without special tokens other than <UNK>). */
  decodeOne(row: ArrayLike<number>): string[] {
    const words: string[] = [];
    for (let t = 0; t < row.length; t++) {
      const ix = row[t];
      if (ix === this.endIdx) break;
      if (ix === this.startIdx || ix === this.nullIdx) continue;
      const w = this.idxToWord[ix];
      if (w === undefined) throw new Error(`Error in Vocabulary.decode: index ${ix} at position ${t} is outside the vocabulary of size ${this.size}.`);
      words.push(w);
    }
    return words;
  }
}
