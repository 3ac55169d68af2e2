import { test } from "node:test";
import assert from "node:assert/strict";
import { Vocabulary } from "./vocabulary";
import { tokenize } from "./tokenize";

test("tokenize lower-cases and drops punctuation", () => {
  assert.deepEqual(tokenize("A red circle, left of a BLUE square."), ["a", "red", "circle", "left", "of", "a", "blue", "square"]);
});

test("special tokens come first: <NULL> 0, <START> 1, <END> 2, <UNK> 3", () => {
  const v = Vocabulary.fromCaptions(["seven two one", "one one two"]);
  assert.deepEqual(v.idxToWord, ["<NULL>", "<START>", "<END>", "<UNK>", "one", "two", "seven"]);
  assert.equal(v.wordToIdx["<NULL>"], 0);
  assert.equal(v.size, 7);
});

test("encode pads with <NULL>, decode round-trips and maps unknown words to <UNK>", () => {
  const captions = ["seven two one", "one", "two two two two"];
  const v = Vocabulary.fromCaptions(captions);
  const enc = v.encode(captions);
  assert.deepEqual(enc[1], [1, v.index("one"), 2, 0, 0, 0]);
  assert.equal(enc[2].length, 6);
  assert.deepEqual(v.decode(enc), captions);
  assert.deepEqual(v.decode(v.encode(["seven nine"])), ["seven <UNK>"]);
  assert.deepEqual(v.encode(["two two two two"], 4)[0], [1, v.index("two"), v.index("two"), 2]);
  assert.throws(() => v.decode([[1, 99]]), /index 99 at position 1 is outside the vocabulary of size 7/);
});
