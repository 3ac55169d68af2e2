/** Word tokenisation of captions and sentences, shared by the vocabulary and BLEU. */

/**
 * Splits a caption into lower-case word tokens: punctuation is dropped, digits and letters kept.
 * @example
 * tokenize("A red circle, left of a BLUE square.") // ["a", "red", "circle", "left", "of", "a", "blue", "square"]
 */
export function tokenize(caption: string): string[] {
  return caption
    .toLowerCase()
    .replace(/[^a-z0-9<>' ]+/g, " ")
    .split(/\s+/)
    .filter((w) => w.length > 0);
}
