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
  // The rewritten code is compiled and run as the kernel runs cells: that is what this test checks.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const run = new Function("__dlwb__", `${out}\nreturn n;`) as (host: { checkInterrupt(): void }) => number;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const plainRun = new Function(`${js}\nreturn n;`) as () => number;
  assert.equal(run({ checkInterrupt: () => void checks++ }), plainRun());
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
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the rewritten code is run as the kernel runs a cell
  const run = new Function("__dlwb__", out) as (h: typeof host) => void;
  assert.throws(() => run(host), /Interrupted/);
  assert.equal(calls, 1000);
});
