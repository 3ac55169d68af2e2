import { test } from "node:test";
import * as assert from "node:assert/strict";
import { bandCredit, compareResult, relativeError } from "./compare";

// CS231n relative error: max_i |x_i - y_i| / max(1e-8, |x_i| + |y_i|).

test("relative error is CS231n's and names the worst element", () => {
  const { error, worst } = relativeError(
    [
      [1, 2],
      [3, 4],
    ],
    [
      [1, 2],
      [3, 4.4],
    ],
  );
  assert.ok(Math.abs(error - 0.4 / 8.4) < 1e-15);
  assert.equal(worst, "[1][1]");
  assert.equal(relativeError([0, 0], [0, 0]).error, 0);
  assert.equal(relativeError([NaN], [1]).error, Infinity);
});

test("numeric comparison: threshold, bands, shapes", () => {
  const cmp = {
    kind: "relative-error" as const,
    threshold: 1e-7,
    bands: [
      { maxRelativeError: 1e-3, credit: 0.5 },
      { maxRelativeError: 1e-5, credit: 0.8 },
    ],
  };
  assert.equal(compareResult([1, 2], [1, 2], cmp).credit, 1);
  assert.equal(compareResult([1, 2.00001], [1, 2], cmp).credit, 0.8); // error 2.5e-6
  assert.equal(compareResult([1, 2.002], [1, 2], cmp).credit, 0.5); // error 5e-4
  assert.equal(compareResult([1, 3], [1, 2], cmp).credit, 0);
  const wrongShape = compareResult([1, 2, 3], [1, 2], cmp);
  assert.equal(wrongShape.credit, 0);
  assert.match(wrongShape.message, /expected 2 elements at the top level, got 3/);
  assert.match(compareResult({ nextW: [1] }, { nextW: [1], m: [0] }, cmp).message, /missing field "m"/);
});

test("a wrong answer's message gives the error and worst element but not the expected value", () => {
  const verdict = compareResult({ w: [0.5, 0.25] }, { w: [0.5, 0.123456] }, { kind: "relative-error", threshold: 1e-7 });
  assert.equal(verdict.credit, 0);
  assert.equal(verdict.worstElement, ".w[1]");
  assert.match(verdict.message, /^wrong: relative error 3\.39e-1 \(worst element \.w\[1\]\)/);
  assert.doesNotMatch(verdict.message, /0\.123456/);
});

test("gradient check grades the student's analytic gradient against the solution's numeric gradient, by bands", () => {
  const cmp = {
    kind: "gradient-check" as const,
    bands: [
      { maxRelativeError: 1e-7, credit: 1 },
      { maxRelativeError: 1e-4, credit: 0.5 },
    ],
  };
  const solutionNumeric = [1, 2 + 1e-9];
  assert.equal(compareResult({ analytic: [1, 2], numeric: [9, 9] }, solutionNumeric, cmp).credit, 1);
  assert.equal(compareResult({ analytic: [1, 2.0001], numeric: [1, 2.0001] }, solutionNumeric, cmp).credit, 0.5);
  assert.equal(compareResult({ analytic: [1, 3], numeric: [1, 3] }, solutionNumeric, cmp).credit, 0);
  assert.match(compareResult({ analytic: [1, 2, 3], numeric: [1, 2, 3] }, solutionNumeric, cmp).message, /wrong gradient shape/);
  assert.equal(compareResult([1, 2], solutionNumeric, cmp).credit, 0);
  assert.equal(compareResult({ analytic: [1, 2], numeric: [1, 2] }, undefined, cmp).credit, 0, "no recorded gradient: no credit");
});

test("a forged gradient check (the student's numeric gradient made to equal a wrong analytic one) earns nothing", () => {
  // e.g. a patched evalNumericalGradientArray or NDArray.prototype.add in the student's kernel
  const cmp = {
    kind: "gradient-check" as const,
    bands: [
      { maxRelativeError: 1e-6, credit: 1 },
      { maxRelativeError: 1e-4, credit: 0.5 },
    ],
  };
  const forged = {
    analytic: [
      [0, 0],
      [0, 0],
    ],
    numeric: [
      [0, 0],
      [0, 0],
    ],
  };
  const verdict = compareResult(
    forged,
    [
      [0.31, -1.2],
      [0.05, 2.4],
    ],
    cmp,
  );
  assert.equal(verdict.credit, 0);
  assert.match(verdict.message, /relative error 1\.00e\+0/);
});

test("exact comparison and band order", () => {
  assert.equal(compareResult({ a: [1, "x"] }, { a: [1, "x"] }, { kind: "exact" }).credit, 1);
  assert.equal(compareResult({ a: [1, "y"] }, { a: [1, "x"] }, { kind: "exact" }).credit, 0);
  assert.equal(
    bandCredit(5e-6, [
      { maxRelativeError: 1e-3, credit: 0.2 },
      { maxRelativeError: 1e-5, credit: 0.9 },
    ]),
    0.9,
  );
});
