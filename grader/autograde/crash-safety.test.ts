import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Gradebook } from "../gradebook";
import { processesMentioning } from "../hostile/class";
import { ANSWERS, submission, writeFixtureAssignment } from "../hostile/fixture";

// Kills `workbook grade` (SIGKILL, no chance to clean up) once 2 of 5 submissions are graded,
// then runs it again: the finished grades survive, the re-run skips them and grades the rest, and
// no kernel of the killed run is left (bubblewrap's --die-with-parent, or setpriv's --pdeathsig).
// Budget: two runs of a few kernels each, about 30-60 s on 2 cores.

const WORKBOOK = path.join(__dirname, "..", "..", "bin", "workbook.js");

function grade(args: string[], tmp: string, killAfter?: number): Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    // the kernels' scratch folders under `tmp`, so that a kernel left behind is found by its command line
    const child = spawn(process.execPath, [WORKBOOK, "grade", ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TMPDIR: tmp } });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      const done = (stderr.match(/^\[\s*\d+\/\d+\]/gm) ?? []).length;
      if (killAfter !== undefined && done >= killAfter) child.kill("SIGKILL");
    });
    child.on("exit", (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
}

test("a grader killed mid-run loses no finished grade, and the re-run skips them", async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-crash-"));
  const assignment = path.dirname(writeFixtureAssignment(path.join(work, "assignment")));
  const subs = path.join(work, "submissions");
  fs.mkdirSync(subs);
  const students = ["s1", "s2", "s3", "s4", "s5"];
  students.forEach((s, i) => fs.writeFileSync(path.join(subs, `${s}.ipynb`), JSON.stringify(submission(i % 2 === 0 ? ANSWERS.scale : ANSWERS.scaleStub, ANSWERS.sum))));
  const out = path.join(work, "out");
  const args = [assignment, subs, "--out", out, "--jobs", "1", "--timeout-cell", "10"];

  const tmp = path.join(work, "tmp");
  fs.mkdirSync(tmp);
  const first = await grade(args, tmp, 2);
  assert.equal(first.signal, "SIGKILL", `the first run should have been killed: ${first.stderr}`);
  // its kernels (the one grading, the spare starting) die with it: within 2 s nothing of the run is left
  let left = processesMentioning(tmp);
  for (let waited = 0; left.length > 0 && waited < 2000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesMentioning(tmp);
  }
  assert.deepEqual(left, [], "kernels outlived the killed grader");
  let book = Gradebook.open(path.join(out, "gradebook.sqlite"));
  const survived = book.grades("99-fixture").map((g) => g.student);
  book.close();
  assert.ok(survived.length >= 2 && survived.length < 5, `graded before the kill: ${survived.join(", ")}`);
  for (const s of survived) assert.ok(fs.existsSync(path.join(out, s, "results.json")), `${s}: results.json must exist once graded`);

  const second = await grade(args, tmp);
  assert.equal(second.code, 0, second.stderr);
  assert.equal((second.stderr.match(/unchanged, skipped/g) ?? []).length, survived.length);
  book = Gradebook.open(path.join(out, "gradebook.sqlite"));
  const grades = book.grades("99-fixture");
  book.close();
  assert.deepEqual(
    grades.map((g) => g.student),
    students,
  );
  assert.deepEqual(
    grades.map((g) => g.finalScore),
    [6, 2, 6, 2, 6],
  );
  assert.equal(fs.readFileSync(path.join(out, "grades.csv"), "utf8").trim().split("\n").length, 6);
  fs.rmSync(work, { recursive: true, force: true });
});
