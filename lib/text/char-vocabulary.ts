/** Character vocabulary of a text: the sorted distinct characters, with index lookups both ways. */

/** A character vocabulary: `chars[i]` is the character with index i. */
export interface CharVocabulary {
  /** Distinct characters, sorted by code point. */
  readonly chars: string[];
  /** Character -> index. */
  readonly charToIndex: Map<string, number>;
  /** Vocabulary size V. */
  readonly size: number;
}

/**
 * Builds the vocabulary of `text` (sorted distinct characters, as min-char-rnn does with `set`).
 * @example
 * const vocab = charVocabulary("hello"); // chars ["e", "h", "l", "o"], size 4
 */
export function charVocabulary(text: string): CharVocabulary {
  const chars = [...new Set(text)].sort();
  return { chars, charToIndex: new Map(chars.map((c, i) => [c, i])), size: chars.length };
}

/**
 * Encodes characters to indices.
 * @throws when a character is not in the vocabulary, naming it and its position.
 */
export function encodeChars(text: string, vocab: CharVocabulary): Int32Array {
  const out = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const ix = vocab.charToIndex.get(text[i]);
    if (ix === undefined) {
      throw new Error(
        `Error in encodeChars: character ${JSON.stringify(text[i])} at position ${i} is not in the vocabulary of ${vocab.size} characters. Use a seed string made of characters of the training text.`,
      );
    }
    out[i] = ix;
  }
  return out;
}

/** Decodes indices back to a string. */
export function decodeChars(indices: ArrayLike<number>, vocab: CharVocabulary): string {
  let s = "";
  for (let i = 0; i < indices.length; i++) s += vocab.chars[indices[i]];
  return s;
}
