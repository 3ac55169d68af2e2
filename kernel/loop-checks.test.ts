/** Interrupt checks at the top of every loop body of a cell's JavaScript. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { addLoopChecks, CHECK_CALL } from "./loop-checks";

test("every kind of loop gets a check, bodies without braces included; loop-free code is untouched", () => {
  const js = "let n = 0;\nwhile (n < 3) n++;\ndo { n--; } while (n > 0);\nfor (let i = 0; i < 2; i++) n += i;\nfor (const k in { a: 1 }) n++;\nfor (const v of [1]) { n += v; }";
  const out = addLoopChecks(js);
  assert.equal(out.split(CHECK_CALL).length - 1, 5);
  // The checked code still computes the same thing.
  let checks = 0;
  const run = new Function("__dlwb__", `${out}\nreturn n;`) as (host: { checkInterrupt(): void }) => number;
  assert.equal(run({ checkInterrupt: () => void checks++ }), new Function(`${js}\nreturn n;`)());
  assert.ok(checks > 5);
  const plain = "const a = 1;\nexports.b = a + 1;";
  assert.equal(addLoopChecks(plain), plain);
});

test("a check that throws stops an endless loop", () => {
  const out = addLoopChecks("while (true) {}");
  let calls = 0;
  const host = {
    checkInterrupt(): void {
      if (++calls === 1000) throw new Error("Interrupted");
    },
  };
  assert.throws(() => new Function("__dlwb__", out)(host), /Interrupted/);
  assert.equal(calls, 1000);
});
