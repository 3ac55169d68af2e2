/** A notebook executed by nbclient with this kernel, from a directory outside the package (kernel/test/test_nbclient.py). */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { runPythonTests, testJupyter } from "./test/python";

test("nbclient executes a notebook with tensors, a display handle, Plotly and Markdown, and an interact widget (state saved, first draw in its Output widget)", () => {
  const run = runPythonTests("test_nbclient.py", testJupyter());
  assert.equal(run.status, 0, run.output);
});
