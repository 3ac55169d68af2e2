import { test } from "node:test";
import assert from "node:assert/strict";
import { nextWordDemo, wordTokens, NEXT_WORD_SENTENCE } from "../index";
import { JUPYTER_DISPLAY } from "../../display";

test("wordTokens keeps the question mark as a token of its own", () => {
  assert.deepEqual(wordTokens(NEXT_WORD_SENTENCE), ["what", "are", "the", "places", "to", "go", "in", "las", "vegas", "?"]);
  assert.deepEqual(wordTokens("We go, then stop."), ["we", "go", ",", "then", "stop", "."]);
});

test("nextWordDemo reads the slide's sentence word by word and, trained, predicts '?' after 'las vegas'", () => {
  const demo = nextWordDemo();
  assert.equal(demo.steps.length, 9);
  assert.deepEqual(demo.step(0).prefix, ["what"]);
  const last = demo.step(8);
  assert.deepEqual(last.prefix.slice(-2), ["las", "vegas"]);
  assert.equal(last.next, "?");
  assert.equal(last.predicted, "?");
  // threshold: a trained model puts most of its mass on "?" (the corpus also has "las vegas in")
  assert.ok(last.pNext > 0.9, `p("?") = ${last.pNext}`);
  assert.ok(demo.losses[demo.losses.length - 1] < 0.2 * demo.losses[0], `loss ${demo.losses[0]} -> ${demo.losses[demo.losses.length - 1]}`);
  for (const s of demo.steps) {
    const total = s.top.reduce((a, c) => a + c.p, 0);
    assert.ok(total <= 1 + 1e-12 && s.top[0].p >= s.top[s.top.length - 1].p);
  }
  const bundle = demo[JUPYTER_DISPLAY]();
  assert.match(bundle["text/html"] as string, /<td><b>\?<\/b><\/td>/);
  assert.match(bundle["text/plain"] as string, /las vegas\s+-> \?/);
});

test("nextWordDemo untrained gives every word about 1 / V, and '?' is not yet its guess", () => {
  const demo = nextWordDemo({ iterations: 0 });
  const V = demo.vocab.length - 1; // without <null>
  assert.equal(demo.losses.length, 0);
  for (const s of demo.steps) assert.ok(s.pNext < 5 / V, `p(${s.next}) = ${s.pNext} with V = ${V}`);
  assert.notEqual(demo.step(8).predicted, "?");
});

test("nextWordDemo names itself and the argument in its errors", () => {
  assert.throws(() => nextWordDemo({ sentence: "hi" }), /nextWordDemo: the sentence must have at least two words/);
  assert.throws(() => nextWordDemo({ iterations: -1 }), /nextWordDemo: iterations must be a non-negative integer/);
  assert.throws(() => nextWordDemo().step(9), /NextWordDemoResult\.step: t must be in \[0, 8\]/);
});
