import { test } from "node:test";
import assert from "node:assert/strict";
import { brevityPenalty, closestReferenceLength, corpusBleu, modifiedPrecision } from "./bleu";

// Worked examples of NLTK's bleu_score module (Papineni et al. 2002 sentences).
const hyp1 = ["It", "is", "a", "guide", "to", "action", "which", "ensures", "that", "the", "military", "always", "obeys", "the", "commands", "of", "the", "party"];
const ref1a = ["It", "is", "a", "guide", "to", "action", "that", "ensures", "that", "the", "military", "will", "forever", "heed", "Party", "commands"];
const ref1b = ["It", "is", "the", "guiding", "principle", "which", "guarantees", "the", "military", "forces", "always", "being", "under", "the", "command", "of", "the", "Party"];
const ref1c = ["It", "is", "the", "practical", "guide", "for", "the", "army", "always", "to", "heed", "the", "directions", "of", "the", "party"];
const hyp2 = ["he", "read", "the", "book", "because", "he", "was", "interested", "in", "world", "history"];
const ref2a = ["he", "was", "interested", "in", "world", "history", "because", "he", "read", "the", "book"];
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test("modified precision clips repeated words (the the the ... = 2/7)", () => {
  assert.deepEqual(modifiedPrecision(["the cat is on the mat", "there is a cat on the mat"], "the the the the the the the", 1), { matches: 2, total: 7 });
  const m1 = modifiedPrecision([ref1a, ref1b, ref1c], hyp1, 1);
  close(m1.matches / m1.total, 0.9444444444444444);
  const m2 = modifiedPrecision([ref1a, ref1b, ref1c], hyp1, 2);
  close(m2.matches / m2.total, 0.5882352941176471);
});

test("brevity penalty uses the closest reference length, ties to the shorter", () => {
  assert.equal(brevityPenalty(12, closestReferenceLength([Array(12).fill("a"), Array(15).fill("a"), Array(17).fill("a")], 12)), 1);
  close(brevityPenalty(12, 28), 0.2635971381157267);
  close(brevityPenalty(12, closestReferenceLength([Array(13).fill("a"), Array(2).fill("a")], 12)), 0.9200444146293233);
  assert.equal(closestReferenceLength([Array(13).fill("a"), Array(11).fill("a")], 12), 11);
  close(brevityPenalty(7, closestReferenceLength([Array(11).fill("a"), Array(8).fill("a")], 7)), 0.8668778997501817);
  assert.equal(brevityPenalty(0, 5), 0);
});

test("corpus BLEU-1..4 match NLTK's worked example", () => {
  const r = corpusBleu([[ref1a, ref1b, ref1c], [ref2a]], [hyp1, hyp2]);
  close(r.bleu[0], 0.9655172413793104);
  close(r.bleu[1], 0.8242803277698696);
  close(r.bleu[3], 0.5920778868801042);
  // BLEU-3 with exact weights 1/3: exp(mean(ln p1, ln p2, ln p3)), BP = 1 here (c = 29 = r)
  assert.equal(r.hypothesisLength, 29);
  assert.equal(r.referenceLength, 29);
  close(r.bleu[2], Math.cbrt(r.precisions[0] * r.precisions[1] * r.precisions[2]));
  assert.deepEqual(r.totals, [29, 27, 25, 23]);
});

test("corpus BLEU of a perfect match is 1, with no shared 4-gram it is 0", () => {
  assert.deepEqual(corpusBleu([["seven two one five"]], ["seven two one five"]).bleu, [1, 1, 1, 1]);
  const r = corpusBleu([["a red circle left of a blue square"]], ["a blue square left of a red circle"]);
  assert.equal(r.bleu[3], 0);
  assert.ok(r.bleu[0] === 1 && r.bleu[1] > 0);
  assert.throws(() => corpusBleu([["a"]], ["a", "b"]), /2 hypotheses but 1 reference lists/);
});
