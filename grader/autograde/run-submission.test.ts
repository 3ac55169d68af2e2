import { test } from "node:test";
import * as assert from "node:assert/strict";
import type { GradingSpec, HiddenTestCase } from "../assign/format";
import { ANSWERS, REFERENCE, gradingSpec, submission } from "../hostile/fixture";
import { DEFAULT_LIMITS, probeProtections, secretPaths, thisInstall } from "../sandbox";
import { CaseRun, runSubmission } from "./run-submission";
import { IdleSlots } from "./idle-slots";

// The hidden cases of one graded function run as one batch cell; when the batch fails in any way
// the cases run again one by one, so each case still gets its own value, error, time limit or crash.
// Budget: a few kernel starts and two 5 s time limits, about 30-60 s on 2 cores.

const install = thisInstall();
const options = {
  limits: { ...DEFAULT_LIMITS, cellSeconds: 5, totalSeconds: 120, memoryMB: 512 },
  protections: probeProtections(),
  install,
  hide: secretPaths(install),
};

/** A hidden case of the fixture's scale(x, a), expected value from the reference solution. */
function scaleCase(x: number[], a: number): HiddenTestCase {
  return { name: `scale by ${a}`, call: `scale(${JSON.stringify(x)}, ${a})`, compare: { kind: "relative-error", threshold: 1e-9 }, weight: 1, expected: REFERENCE.scale(x, a) };
}

/** The fixture's spec with the given groups of scale cases in place of its own. */
function specWith(groups: Record<string, HiddenTestCase[]>): GradingSpec {
  const base = gradingSpec();
  const template = base.autograded[0];
  return { ...base, autograded: Object.entries(groups).map(([gradeId, hiddenCases]) => ({ ...template, gradeId, hiddenCases })) };
}

function caseOf(cases: CaseRun[], gradeId: string, caseIndex: number): CaseRun {
  const found = cases.find((c) => c.gradeId === gradeId && c.caseIndex === caseIndex);
  assert.ok(found, `no result for ${gradeId}#${caseIndex}`);
  return found;
}

test("the hidden cases of one function come back from one batch, each with its own value", async () => {
  const spec = specWith({ "test-scale": [scaleCase([1, 2], 2), scaleCase([0.5, -3], -4), scaleCase([7], 0.25)] });
  const run = await runSubmission(submission(ANSWERS.scale, ANSWERS.sum), spec, { ...options, student: "batch-ok" });
  assert.deepEqual(run.batched, ["test-scale"]);
  assert.equal(run.restarts, 0);
  spec.autograded[0].hiddenCases.forEach((hidden, i) => {
    const c = caseOf(run.cases, "test-scale", i);
    assert.equal(c.status, "ok");
    assert.deepEqual(c.result, { ok: true, value: hidden.expected });
  });
});

test("a batch that crashes, throws or hangs is run again case by case, and each case scores on its own", async () => {
  // scale misbehaves only for some factors: 13 kills the kernel, 17 throws, 19 loops forever;
  // from 21 on it prints 30 kB, and 29 throws after printing (the batch's output is not held
  // against the 100 kB cap, so the same three calls run one by one stay under it).
  const scale = `function scale(x: number[], a: number): number[] {
  if (a > 20) console.log("x".repeat(30000));
  if (a === 29) throw new Error("twenty-nine is not allowed");
  if (a === 13) process.kill(process.pid, "SIGKILL");
  if (a === 17) throw new Error("seventeen is not allowed");
  if (a === 19) for (;;) {}
  return x.map((v) => a * v);
}`;
  const spec = specWith({
    crashes: [scaleCase([1, 2], 2), scaleCase([1], 13), scaleCase([4, 5], 3), scaleCase([1], 17), scaleCase([6], 5)],
    hangs: [scaleCase([2], 6), scaleCase([1], 19), scaleCase([3], 7)],
    prints: [scaleCase([1], 21), scaleCase([2], 22), scaleCase([3], 29)],
  });
  const limits = { ...options.limits, outputBytes: 100_000 };
  const run = await runSubmission(submission(scale, ANSWERS.sum), spec, { ...options, limits, student: "batch-fallback" });
  assert.deepEqual(run.batched, []);
  const expectOk = (gradeId: string, i: number): void => {
    const c = caseOf(run.cases, gradeId, i);
    assert.equal(c.status, "ok", `${gradeId}#${i}: ${JSON.stringify(c.result)}`);
    assert.deepEqual(c.result, { ok: true, value: spec.autograded.find((g) => g.gradeId === gradeId)!.hiddenCases[i].expected });
  };
  for (const i of [0, 2, 4]) expectOk("crashes", i);
  for (const i of [0, 2]) expectOk("hangs", i);
  for (const i of [0, 1]) expectOk("prints", i);
  const printedThenThrew = caseOf(run.cases, "prints", 2);
  assert.equal(printedThenThrew.status, "error");
  assert.match(printedThenThrew.result.ok ? "" : printedThenThrew.result.reason, /twenty-nine is not allowed/);
  assert.ok(!run.notes.some((n) => /output limit/.test(n)), run.notes.join("; "));
  const crashed = caseOf(run.cases, "crashes", 1);
  assert.equal(crashed.status, "died");
  assert.match(crashed.result.ok ? "" : crashed.result.reason, /crashed/);
  const threw = caseOf(run.cases, "crashes", 3);
  assert.equal(threw.status, "error");
  assert.match(threw.result.ok ? "" : threw.result.reason, /seventeen is not allowed/);
  const hung = caseOf(run.cases, "hangs", 1);
  assert.equal(hung.status, "timeout");
  assert.match(hung.result.ok ? "" : hung.result.reason, /timed out after the 5 s limit/);
  // the crash in the batch and the crash of its own case each cost a fresh kernel
  assert.ok(run.restarts >= 2, `restarts: ${run.restarts}`);
  assert.ok(!run.notes.some((n) => /total time limit/.test(n)), run.notes.join("; "));
});

test("a function that hangs on every input skips its batch and spends the time limit once per case, not twice", async () => {
  // The public test cell already hangs, so no batch is tried; every hidden case after the first
  // starts in a fresh kernel (the case before it failed) instead of hanging there and again in a fresh one.
  const scale = "function scale(x: number[], a: number): number[] {\n  for (;;) {}\n}";
  const spec = specWith({ hangs: [scaleCase([1], 2), scaleCase([2], 3), scaleCase([3], 4)] });
  const run = await runSubmission(submission(scale, ANSWERS.sum), spec, { ...options, student: "always-hangs" });
  assert.equal(run.cells.find((c) => c.index === spec.autograded[0].cellIndex)?.status, "timeout");
  assert.deepEqual(run.batched, []);
  for (let i = 0; i < 3; i++) assert.equal(caseOf(run.cases, "hangs", i).status, "timeout");
  assert.ok(
    run.notes.some((n) => /hung or crashed the kernel; its remaining hidden tests ran one by one/.test(n)),
    run.notes.join("; "),
  );
  assert.ok(!run.notes.some((n) => /was tried again/.test(n)), run.notes.join("; "));
  assert.equal(run.restarts, 2);
});

test("in a free job slot a hanging function's next hidden case runs ahead, and the grade is the same as case by case", async () => {
  // scale counts its calls (its results depend on what ran before in the kernel) and loops on 19:
  // cases after a failed one start in a fresh kernel, which a case run ahead reproduces, and cases
  // after a passing one run in the same kernel, where a case run ahead must be thrown away.
  const scale = `let calls = 0;
function scale(x: number[], a: number): number[] {
  calls++;
  if (a === 19) for (;;) {}
  return x.map((v) => a * v + calls);
}`;
  const spec = specWith({ hangs: [scaleCase([1], 2), scaleCase([1], 19), scaleCase([2], 3), scaleCase([3], 4), scaleCase([4], 19), scaleCase([5], 19), scaleCase([6], 5)] });
  const caseByCase = await runSubmission(submission(scale, ANSWERS.sum), spec, { ...options, student: "counts-case-by-case" });
  const idleSlots = new IdleSlots();
  idleSlots.add();
  const ahead = await runSubmission(submission(scale, ANSWERS.sum), spec, { ...options, idleSlots, student: "counts-ahead" });
  assert.equal(caseByCase.ranAhead, 0);
  assert.ok(ahead.ranAhead >= 1, `cases run ahead and kept: ${ahead.ranAhead}`);
  assert.equal(idleSlots.available, 1, "the borrowed slot is given back");
  const statuses = (run: typeof ahead): string[] => run.cases.map((c) => `${c.caseIndex}: ${c.status} ${JSON.stringify(c.result)}`);
  assert.deepEqual(statuses(ahead), statuses(caseByCase));
  assert.deepEqual(
    ahead.cases.map((c) => c.status),
    ["ok", "timeout", "ok", "ok", "timeout", "timeout", "ok"],
  );
  assert.deepEqual(ahead.cells, caseByCase.cells);
  assert.equal(ahead.restarts, caseByCase.restarts);
  assert.deepEqual(ahead.notes, caseByCase.notes);
  assert.ok(ahead.phases.cpuMs !== undefined && ahead.phases.cpuMs > 0);
});
