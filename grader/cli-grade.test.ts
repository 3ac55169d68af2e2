import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as os from "os";
import { parseGradeArgs } from "./cli-grade";

test("workbook grade: options and their defaults", () => {
  const args = parseGradeArgs(["assignments/01-adam", "subs.zip", "--out", "g", "--timeout-cell=12", "--memory", "2048", "--due", "2026-12-01T23:59:00Z", "--late-policy", "zero"]);
  assert.equal(args.assignment, "assignments/01-adam");
  assert.equal(args.submissions, "subs.zip");
  assert.equal(args.out, "g");
  assert.equal(args.cellSeconds, 12);
  assert.equal(args.memoryMB, 2048);
  assert.equal(args.jobs, os.cpus().length, "--jobs defaults to the number of cores");
  assert.equal(args.latePolicy, "zero");
});

test("workbook grade: wrong command lines are named", () => {
  assert.throws(() => parseGradeArgs(["only-one"]), /expected <assignment> and <submissions>, got 1 argument/);
  assert.throws(() => parseGradeArgs(["a", "b", "--jobz", "2"]), /unknown option --jobz/);
  assert.throws(() => parseGradeArgs(["a", "b", "--timeout", "-5"]), /--timeout must be a positive number, got "-5"/);
  assert.throws(() => parseGradeArgs(["a", "b", "--out"]), /option --out needs a value/);
});

test("workbook grade --queue: the URL is checked, --jobs given is told apart from its default", () => {
  const queued = parseGradeArgs(["a", "b", "--queue", "rediss://:pw@grader-redis:6380"]);
  assert.equal(queued.queue, "rediss://:pw@grader-redis:6380");
  assert.equal(queued.jobsGiven, false, "without --jobs the coordinator grades nothing itself");
  assert.equal(parseGradeArgs(["a", "b", "--queue=redis://127.0.0.1:6379", "--jobs", "2"]).jobsGiven, true);
  assert.equal(parseGradeArgs(["a", "b"]).queue, undefined, "without --queue grading stays local");
  assert.throws(() => parseGradeArgs(["a", "b", "--queue", "http://grader:6379"]), /--queue must start with redis:\/\/ or rediss:\/\//);
  assert.throws(() => parseGradeArgs(["a", "b", "--queue", "not a url :pw@"]), /is not a URL/);
});
