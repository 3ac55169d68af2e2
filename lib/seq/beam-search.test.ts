import { test } from "node:test";
import assert from "node:assert/strict";
import { beamSearch } from "./beam-search";

// A tiny Markov chain over tokens 0 = <START>, 1 = a, 2 = b, 3 = <END>, where the greedy first
// choice (a, p = 0.6) leads to a poor continuation, and b (p = 0.4) to a certain one:
//   p(a b-path): 0.6 * 0.5 * ... ; p(b, END) = 0.4 * 1.0 = 0.4 ; p(a, END) = 0.6 * 0.5 = 0.3
const table: Record<number, number[]> = {
  0: [0, 0.6, 0.4, 0],
  1: [0, 0.25, 0.25, 0.5],
  2: [0, 0, 0, 1],
};
const step = (token: number, depth: number) => ({ logProbs: table[token].map((p) => Math.log(p)), state: depth + 1 });

test("greedy (beam width 1) follows the locally best token; a wider beam finds the more likely sequence", () => {
  const [greedy] = beamSearch(0, 0, step, { beamWidth: 1, maxLength: 5, endToken: 3 });
  assert.deepEqual(greedy.tokens, [1]);
  assert.ok(Math.abs(greedy.logProb - Math.log(0.3)) < 1e-12);
  const results = beamSearch(0, 0, step, { beamWidth: 2, maxLength: 5, endToken: 3 });
  assert.deepEqual(results[0].tokens, [2]);
  assert.ok(Math.abs(results[0].logProb - Math.log(0.4)) < 1e-12);
  assert.ok(results[0].finished);
  assert.ok(results.length <= 2);
  assert.ok(results[0].logProb >= results[1].logProb);
});

test("beam search stops at maxLength with unfinished hypotheses", () => {
  const loop = () => ({ logProbs: [Math.log(0.9), Math.log(0.1)], state: 0 });
  const [best] = beamSearch(0, 0, loop, { beamWidth: 2, maxLength: 4, endToken: 1 });
  assert.equal(best.tokens.length + (best.finished ? 1 : 0) <= 4, true);
  assert.throws(() => beamSearch(0, 0, loop, { beamWidth: 0, maxLength: 3, endToken: 1 }), /beamWidth must be an integer >= 1/);
});
