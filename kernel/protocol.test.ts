/**
 * The kernel's own protocol tests through jupyter_client (kernel/test/test_protocol.py):
 * interrupts of a synchronous loop, an awaited promise and tfjs model.fit; stdin; comms both
 * ways; bad signatures; malformed and unknown messages; errors in timers and promises;
 * process.exit(); stop_on_error; tracebacks; restart.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { runPythonTests, testJupyter } from "./test/python";

test("protocol tests through jupyter_client pass", () => {
  const run = runPythonTests("test_protocol.py", testJupyter());
  assert.equal(run.status, 0, run.output);
  assert.doesNotMatch(run.output, /skipped/, run.output);
});
