/** claim(): what it shows while a claim holds, what it throws when it does not, and its argument checks. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { claim, ClaimError, CheckedClaim } from "./index";
import { JUPYTER_DISPLAY } from "../display";
import * as root from "../index";

test("a claim that holds displays as a tick, the statement and its evidence", () => {
  const checked = claim("SGD ends below Adam on the long valley", 3.9e-29 < 2.9e-17, { sgd: 3.9e-29, adam: 2.9e-17 });
  assert.ok(checked instanceof CheckedClaim);
  assert.equal(checked.statement, "SGD ends below Adam on the long valley");
  assert.deepEqual(checked.evidence, { sgd: 3.9e-29, adam: 2.9e-17 });
  assert.equal(String(checked), "✓ SGD ends below Adam on the long valley (sgd = 3.90e-29, adam = 2.90e-17)");
  const bundle = checked[JUPYTER_DISPLAY]();
  assert.equal(bundle["text/plain"], String(checked));
  assert.equal(bundle["text/html"], '<div class="workbook-claim">&#10003; <b>SGD ends below Adam on the long valley</b> (sgd = 3.90e-29, adam = 2.90e-17)</div>');
});

test("evidence: integers as they are, 4 significant digits, exponents for tiny and huge, strings and booleans", () => {
  const text = String(claim("numbers", true, { steps: 60, loss: 0.011529215, tiny: 0.00042, huge: 123456.7, zero: 0, name: "adam", ok: true }));
  assert.equal(text, "✓ numbers (steps = 60, loss = 0.01153, tiny = 4.20e-4, huge = 1.23e+5, zero = 0, name = adam, ok = true)");
  assert.equal(String(claim("no evidence", true)), "✓ no evidence");
});

test("the statement and evidence are escaped in HTML", () => {
  const html = String(claim("a < b & c > d", true, { note: "<i>" })[JUPYTER_DISPLAY]()["text/html"]);
  assert.equal(html, '<div class="workbook-claim">&#10003; <b>a &lt; b &amp; c &gt; d</b> (note = &lt;i&gt;)</div>');
});

test("a claim that does not hold throws ClaimError naming the statement and the evidence", () => {
  let thrown: unknown;
  try {
    claim("the gradient norm grows", 0.5 > 2, { first: 2, last: 0.5 });
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof ClaimError);
  assert.ok(thrown instanceof Error);
  assert.equal(thrown.name, "ClaimError");
  assert.equal(thrown.statement, "the gradient norm grows");
  assert.deepEqual(thrown.evidence, { first: 2, last: 0.5 });
  assert.equal(thrown.message, 'the notebook\'s claim no longer holds: "the gradient norm grows" (first = 2, last = 0.5000). Fix the text above this cell or the demo it describes.');
});

test("claim refuses an empty statement and a non-boolean check, saying what to pass", () => {
  assert.throws(() => claim("  ", true), { name: "TypeError", message: /Error in claim: the first argument must be the claim in words/ });
  assert.throws(() => claim("the norm grows", 1 as unknown as boolean), { name: "TypeError", message: /Error in claim\("the norm grows"\): the second argument must be a boolean .* got number/ });
});

test("dl-workbook exports claim, ClaimError and CheckedClaim", () => {
  assert.equal(root.claim, claim);
  assert.equal(root.ClaimError, ClaimError);
  assert.equal(root.CheckedClaim, CheckedClaim);
});
