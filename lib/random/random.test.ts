import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32, SeededRandom } from "./index";
import { permutation, seededRandom as dataRandom } from "../data/random";
import { normal, seededRandom as compareRandom, shuffle } from "../compare/random";
import { SeededRandom as SeqSeededRandom } from "../seq";

// The sequences below were printed before lib/random existed (mulberry32 in lib/ndarray,
// SeededRandom in lib/seq): moving the generator must not change one number of them.

test("mulberry32 gives the same sequence as before the move", () => {
  const rand = mulberry32(42);
  assert.deepEqual([rand(), rand(), rand()], [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  const data = dataRandom(42);
  assert.equal(data(), 0.6011037519201636, "lib/data seeds mulberry32 with the seed as it is");
});

test("SeededRandom: uniform, int, normal and categorical draws unchanged; dl-workbook/seq still exports it", () => {
  const random = new SeededRandom(7);
  assert.deepEqual([random.uniform(), random.int(10), random.normal(), random.normal(), random.categorical([0.2, 0.5, 0.3])], [0.9823943767696619, 3, 0.6042174636241796, 0.6158037601833217, 1]);
  assert.equal(SeqSeededRandom, SeededRandom);
});

test("lib/data's permutation and lib/compare's generator, normal and shuffle unchanged", () => {
  assert.deepEqual(Array.from(permutation(8, 1)), [2, 1, 6, 7, 4, 3, 0, 5]);
  const rand = compareRandom(0);
  assert.deepEqual([rand(), rand()], [0.3588899802416563, 0.10590326134115458]);
  assert.equal(normal(compareRandom(3)), 0.47898077405905776);
  assert.deepEqual(shuffle([1, 2, 3, 4, 5, 6], compareRandom(5)), [6, 1, 3, 4, 5, 2]);
  assert.equal(compareRandom(0)(), new SeededRandom(0).uniform(), "compare's generator is SeededRandom's for an integer seed");
});
