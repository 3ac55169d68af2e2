/**
 * The Jupyter widgets protocol through jupyter_client (kernel/test/test_widgets.py): the kernel
 * driven as a front end drives it (comm_open with protocol 2.1.0, update / echo_update, request_state,
 * interact's rerun routed to its Output widget, a button click, comm_info, jupyter.widget.control).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { runPythonTests, testJupyter } from "./test/python";

test("widget protocol tests through jupyter_client pass", () => {
  const run = runPythonTests("test_widgets.py", testJupyter());
  assert.equal(run.status, 0, run.output);
  assert.doesNotMatch(run.output, /skipped/, run.output);
});
