import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { TINY_SHAKESPEARE_LENGTH, TINY_SHAKESPEARE_SHA256, dataDirectory, loadCheckedText, loadTinyShakespeare } from "./corpus";
import { charVocabulary } from "../text/char-vocabulary";
import { bigramHeldOutLoss, charReferencePoints } from "./char-statistics";

test("Tiny Shakespeare loads with its checksum: 1,115,394 characters, vocabulary 65", () => {
  const text = loadTinyShakespeare();
  assert.equal(text.length, TINY_SHAKESPEARE_LENGTH);
  assert.equal(charVocabulary(text).size, 65);
  assert.ok(text.startsWith("First Citizen:\n"));
});

test("a changed corpus file is refused with both checksums named", () => {
  const dir = mkdtempSync(join(tmpdir(), "corpus-"));
  const file = join(dir, "input.txt");
  const text = readFileSync(join(dataDirectory(), "tinyshakespeare", "input.txt"), "utf8");
  writeFileSync(file, text.replace(/\n/g, "\r\n"));
  assert.throws(
    () => loadCheckedText(file, TINY_SHAKESPEARE_SHA256),
    (e: Error) => e.message.includes(TINY_SHAKESPEARE_SHA256) && e.message.includes(file) && /line endings/.test(e.message),
  );
  assert.throws(() => loadCheckedText(join(dir, "missing.txt"), TINY_SHAKESPEARE_SHA256), /is missing/);
});

test("reference points: uniform ln 65 = 4.174, unigram 3.313, bigram 2.453 nats/char (within 5e-4)", () => {
  const text = loadTinyShakespeare();
  const r = charReferencePoints(text);
  assert.ok(Math.abs(r.uniform - 4.174) < 5e-4, `uniform ${r.uniform}`);
  assert.ok(Math.abs(r.unigramEntropy - 3.313) < 5e-4, `unigram ${r.unigramEntropy}`);
  assert.ok(Math.abs(r.bigramEntropy - 2.453) < 5e-4, `bigram ${r.bigramEntropy}`);
  // a smoothed bigram on held-out text is a little worse than on its own training text
  const vocab = charVocabulary(text);
  const split = Math.floor(text.length * 0.9);
  const heldOut = bigramHeldOutLoss(text.slice(0, split), text.slice(split), vocab);
  assert.ok(heldOut > r.bigramEntropy && heldOut < 2.6, `held-out bigram ${heldOut}`);
});
