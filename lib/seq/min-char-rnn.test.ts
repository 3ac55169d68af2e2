import { test } from "node:test";
import assert from "node:assert/strict";
import { MinCharRnn, MinCharRnnParams } from "./min-char-rnn";
import { charVocabulary, encodeChars } from "../text/char-vocabulary";

// CS231n's relative error: max(|x-y| / max(1e-8, |x|+|y|))
function relError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]) / Math.max(1e-8, Math.abs(x[i]) + Math.abs(y[i])));
  return m;
}

test("smooth loss starts at -ln(1/V) * seqLength", () => {
  const m = new MinCharRnn({ vocabSize: 65, seqLength: 25 });
  assert.ok(Math.abs(m.smoothLoss - Math.log(65) * 25) < 1e-12);
});

test("lossFun gradients pass a numerical gradient check (rel error < 1e-6)", () => {
  const m = new MinCharRnn({ vocabSize: 5, hiddenSize: 6, seqLength: 4, seed: 3 });
  // larger weights than the 0.01 init so every term matters; small enough that no gradient reaches the clip
  for (const name of ["Wxh", "Whh", "Why"] as const) m.params[name].forEach((_, i, a) => (a[i] = Math.sin(i * 1.7 + name.length) * 0.5));
  const inputs = [0, 3, 1, 4],
    targets = [3, 1, 4, 2];
  const hprev = Float64Array.from([0.1, -0.2, 0.3, 0, 0.5, -0.4]);
  const { grads } = m.lossFun(inputs, targets, hprev);
  const h = 1e-5;
  for (const name of ["Wxh", "Whh", "Why", "bh", "by"] as (keyof MinCharRnnParams)[]) {
    const p = m.params[name];
    const numeric = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      const old = p[i];
      p[i] = old + h;
      const plus = m.lossFun(inputs, targets, hprev).loss;
      p[i] = old - h;
      const minus = m.lossFun(inputs, targets, hprev).loss;
      p[i] = old;
      numeric[i] = (plus - minus) / (2 * h);
    }
    assert.ok(relError(numeric, grads[name]) < 1e-6, `${name}: ${relError(numeric, grads[name])}`);
  }
});

test("gradients are clipped to [-5, 5]", () => {
  const m = new MinCharRnn({ vocabSize: 3, hiddenSize: 4, seqLength: 50, seed: 1 });
  m.params.Why.fill(0);
  m.params.by.set([50, 0, 0]);
  const data = new Array(50).fill(1);
  const { grads } = m.lossFun(data, data, new Float64Array(4));
  assert.equal(grads.by[1], -5);
  assert.equal(grads.by[0], 5);
});

test("Adagrad training on a repeating text drives the loss down; sampling honours seed and temperature", () => {
  const text = "hello world. ".repeat(40);
  const vocab = charVocabulary(text);
  const m = new MinCharRnn({ vocabSize: vocab.size, hiddenSize: 24, seqLength: 13, seed: 7 });
  const before = m.evaluate(text, vocab);
  m.train(text, vocab, 400);
  const after = m.evaluate(text, vocab);
  assert.ok(after < 0.2 * before, `loss per char ${before} -> ${after}`);
  assert.ok(m.smoothLoss < Math.log(vocab.size) * 13);
  const s = m.sampleText("hello", 30, vocab, 0.5);
  assert.equal(s.length, 35);
  assert.ok(s.startsWith("hello"));
  assert.equal(m.sample(new Float64Array(24), encodeChars("h", vocab)[0], 12, 0.01).length, 12);
  // nearly greedy sampling of a learned cycle reproduces the text
  assert.equal(m.sampleText("hello", 8, vocab, 0.01), "hello world. ");
  assert.throws(() => m.sampleText("hello!", 3, vocab), /character "!" at position 5 is not in the vocabulary/);
  assert.throws(() => m.sample(new Float64Array(24), 0, 3, 0), /temperature must be > 0/);
});
