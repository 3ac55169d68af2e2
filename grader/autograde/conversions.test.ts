import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { IOutput } from "@jupyterlab/nbformat";
import { asText } from "../../kernel/wire";
import type { ConversionsFile } from "../../kernel/conversion-cache";
import { adamAnswers, adamSubmission, ADAM_ASSIGNMENT } from "../hostile/adam-class";
import { DEFAULT_LIMITS, probeProtections, secretPaths, thisInstall, withKernelSnapshot } from "../sandbox";
import { loadAssignment } from "./assignment";
import { CONVERSIONS_PREFIX, recordConversions } from "./conversions";
import { runSubmission, SubmissionRun } from "./run-submission";
import { startSandboxedKernel } from "./sandboxed-kernel";

// The released cells' type checks recorded once (conversions.ts) must change nothing a submission
// gets back: each submission below runs in a kernel with the recorded conversions and in one
// without, and the two runs must agree on every cell's status, outputs and problem and every hidden
// case's result. The submissions: the instructor's answers (every released cell taken from the
// recording), a wrong adam under another doc comment (the released cells after it see other
// declarations: converted afresh), a syntax error, and a cell that declares a name of the harness's.
// Budget: 9 sandboxed kernels from the snapshot, about 30-50 s on 2 cores.

const limits = { ...DEFAULT_LIMITS, cellSeconds: 10, totalSeconds: 120, memoryMB: 1024 };
const install = withKernelSnapshot(thisInstall(), limits, () => undefined);
const setup = { limits, protections: probeProtections(), install, hide: secretPaths(install, [ADAM_ASSIGNMENT]) };

/** A cell's outputs as text, with adjacent chunks of one stream joined (how the kernel cuts a stream into messages depends on timing). */
function outputsText(outputs: IOutput[]): string[] {
  const parts: string[] = [];
  let stream = "";
  for (const o of outputs) {
    const name = o.output_type === "stream" ? asText(o.name) : "";
    const text = o.output_type === "stream" ? asText(o.text) : undefined;
    if (text !== undefined && stream === name) parts[parts.length - 1] += text;
    else parts.push(text !== undefined ? `[${name}] ${text}` : JSON.stringify(o));
    stream = name;
  }
  return parts;
}

/** What a run gave back, without its timings. */
function comparable(run: SubmissionRun): unknown {
  return {
    cells: run.cells.map((c) => ({ index: c.index, status: c.status, problem: c.problem, outputs: outputsText(c.outputs) })),
    cases: run.cases.map((c) => ({ id: `${c.gradeId}#${c.caseIndex}`, status: c.status, result: c.result })),
    notes: run.notes,
    batched: run.batched,
    restarts: run.restarts,
  };
}

test("grading with the released cells' conversions recorded once gives every submission exactly what grading without them gives", { timeout: 300000 }, async () => {
  const assignment = loadAssignment(ADAM_ASSIGNMENT);
  // left by a grader that was killed (no process has this id: above the kernel's pid_max)
  const stale = path.join(os.tmpdir(), `${CONVERSIONS_PREFIX}4999999-test`);
  fs.mkdirSync(stale, { recursive: true });
  const recorder = await startSandboxedKernel({ ...setup, record: true });
  const conversions = await recordConversions(recorder, assignment, install, limits).finally(() => recorder.client.shutdown(0));
  try {
    assert.ok(!fs.existsSync(stale), "a killed grader's conversions folder is removed");
    assert.ok(path.basename(path.dirname(conversions.install.conversions!)).startsWith(`${CONVERSIONS_PREFIX}${process.pid}-`));
    const file = JSON.parse(fs.readFileSync(conversions.install.conversions!, "utf8")) as ConversionsFile;
    const released = assignment.release.cells.filter((c) => c.cell_type === "code").length;
    assert.ok(conversions.kept >= released, `the harness and the ${released} released code cells are kept (${conversions.kept} of ${conversions.recorded})`);
    assert.ok(file.prime?.includes('from "dl-workbook"'), "the first program is built with what the solution cells see");
    assert.ok(!JSON.stringify(file).includes(recorder.scratch), "nothing of the recording kernel's folder is kept");
    const a = adamAnswers();
    const submissions = {
      correct: adamSubmission({ adam: a.adam, adamLecture: a.adamLecture }),
      wrong: adamSubmission({ adam: a.wrongAdam, adamLecture: a.adamLecture }),
      broken: adamSubmission({ adam: a.adam.replace("return {", "return {{"), adamLecture: a.stubLecture }),
      shadowing: adamSubmission({ adam: a.adam, adamLecture: a.adamLecture }, "const workbookHarnessFactory = (nonce: string) => nonce;\nconst workbookHarness = { report: () => ({}) };"),
    };
    for (const [name, notebook] of Object.entries(submissions)) {
      const recorded = await runSubmission(notebook, assignment.spec, { ...setup, install: conversions.install, student: `${name}-recorded` });
      const fresh = await runSubmission(notebook, assignment.spec, { ...setup, student: `${name}-fresh` });
      assert.deepEqual(comparable(recorded), comparable(fresh), `${name}: the same with and without the recorded conversions`);
      if (name === "correct")
        assert.ok(
          recorded.cases.every((c) => c.result.ok),
          "the instructor's answers give a value for every hidden case",
        );
    }
  } finally {
    conversions.remove();
  }
});
