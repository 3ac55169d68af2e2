import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gradeAll } from "../cli-grade";
import type { GradescopeResults } from "../export";
import { ANSWERS, submission, writeFixtureAssignment } from "./fixture";

// The total time limit (--timeout): a submission whose cells each stay under the per-cell limit
// (5 s) but together pass the total (6 s) is stopped there; what is left is not run and says why.
// The fixture's cells: 0 scale, 1 its tests, 2 sumSquares, 3 its tests; two 4-second waits go
// between scale's tests and sumSquares. Budget: about 15 s.

const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-total-limit-"));
const assignmentDir = path.join(work, "assignment");
const subsDir = path.join(work, "submissions");
const outDir = path.join(work, "out");

const wait = (seconds: number) => ({ cell_type: "code" as const, source: `await new Promise((resolve) => setTimeout(resolve, ${seconds * 1000}));`, metadata: {}, outputs: [], execution_count: null });

before(async () => {
  writeFixtureAssignment(assignmentDir);
  fs.mkdirSync(subsDir, { recursive: true });
  const slow = submission(ANSWERS.scale, ANSWERS.sum, (cells) => void cells.splice(2, 0, wait(4), wait(4)));
  fs.writeFileSync(path.join(subsDir, "slow.ipynb"), JSON.stringify(slow));
  await gradeAll({ assignment: assignmentDir, submissions: subsDir, out: outDir, jobs: 1, cellSeconds: 5, totalSeconds: 6, memoryMB: 512, quiet: true }, () => undefined);
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

test("a submission that passes its total time limit is stopped there; the rest is not run and says why", () => {
  const r = JSON.parse(fs.readFileSync(path.join(outDir, "slow", "results.json"), "utf8")) as GradescopeResults;
  assert.match(r.output, /total time limit of 6 s reached/);
  const sum = r.tests.filter((t) => t.name.startsWith("sumSquares:"));
  assert.equal(sum.length, 2);
  for (const t of sum) {
    assert.equal(t.score, 0);
    assert.match(t.output, /total time limit of 6 s/, `${t.name}: ${t.output}`);
  }
  // scale's own cells ran in time, but its hidden calls come after the limit, so nothing confirms them
  const hiddenScale = r.tests.filter((t) => t.name.startsWith("scale:") && !t.name.endsWith("public tests"));
  for (const t of hiddenScale) assert.match(t.output, /not run: the submission used up its total time limit of 6 s/);
  assert.equal(r.score, 0);
  // the second wait was cut by the total limit, and its feedback says so (not the per-cell limit)
  const feedback = fs.readFileSync(path.join(outDir, "slow", "feedback.html"), "utf8");
  assert.match(feedback, /stopped: the submission reached its total time limit of 6 s/);
});
