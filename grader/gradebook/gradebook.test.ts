import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SubmissionScore } from "../results";
import { Gradebook, csvField } from "./gradebook";

const score = (raw: number, penalty = 0): SubmissionScore => ({
  tests: [{ name: "adamStep: public tests", gradeId: "t", kind: "public", score: raw, maxScore: 6, status: raw === 6 ? "passed" : "failed", message: "m" }],
  rawScore: raw,
  maxScore: 6,
  late: { secondsLate: 0, daysLate: penalty > 0 ? 1 : 0, penalty, message: penalty > 0 ? "late" : "on time" },
  score: raw * (1 - penalty),
});

test("records, skips unchanged submissions, keeps adjustments across re-grades, exports CSV", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-gradebook-"));
  const file = path.join(dir, "gradebook.sqlite");
  let book = Gradebook.open(file);
  book.ensureAssignment("01-adam", 6, "spec1");
  book.record({ student: "bob", assignment: "01-adam", contentHash: "h1", specHash: "spec1", submittedAt: new Date("2026-12-01T10:00:00Z"), score: score(4, 0.1), notes: [] });
  book.record({ student: "alice", assignment: "01-adam", contentHash: "h2", specHash: "spec1", submittedAt: new Date("2026-12-01T09:00:00Z"), score: score(6), notes: [] });
  book.adjust("bob", "01-adam", 0.5, "regrade request");
  book.close();

  book = Gradebook.open(file); // reopened: nothing lost
  assert.equal(book.isGraded("bob", "01-adam", "h1", "spec1"), true);
  assert.equal(book.isGraded("bob", "01-adam", "h1-changed", "spec1"), false);
  assert.equal(book.isGraded("bob", "01-adam", "h1", "spec2"), false);
  book.record({ student: "bob", assignment: "01-adam", contentHash: "h3", specHash: "spec1", submittedAt: new Date("2026-12-01T11:00:00Z"), score: score(5, 0.1), notes: [] });
  const grades = book.grades("01-adam");
  assert.deepEqual(
    grades.map((g) => g.student),
    ["alice", "bob"],
  );
  assert.equal(grades[1].finalScore, 5 * 0.9 + 0.5);
  assert.equal(book.testResults("bob", "01-adam").length, 1);
  const csv = book.toCsv("01-adam").trim().split("\n");
  assert.equal(csv[0], "student,assignment,score,max_score,raw_score,late_penalty_percent,adjustment,submitted_at,late");
  assert.equal(csv[2], "bob,01-adam,5,6,5,10,0.5,2026-12-01T11:00:00.000Z,late");
  book.close();
  fs.rmSync(dir, { recursive: true });
});

test("CSV fields are quoted and cannot smuggle spreadsheet formulas", () => {
  assert.equal(csvField('say "hi", then'), '"say ""hi"", then"');
  assert.equal(csvField("=HYPERLINK(1)"), "'=HYPERLINK(1)");
  assert.equal(csvField(-3), "-3");
});

test("recorded() gives back a submission's hashes and notes, as a queue worker hands them to the coordinator", () => {
  const book = Gradebook.open(":memory:");
  book.ensureAssignment("01-adam", 6, "spec1");
  assert.equal(book.recorded("alice", "01-adam"), undefined);
  book.record({
    student: "alice",
    assignment: "01-adam",
    contentHash: "h2:grader-failed",
    specHash: "spec1",
    submittedAt: new Date("2026-12-01T09:00:00Z"),
    score: score(0),
    notes: ["first note", "second note"],
  });
  assert.deepEqual(book.recorded("alice", "01-adam"), { contentHash: "h2:grader-failed", specHash: "spec1", submittedAt: "2026-12-01T09:00:00.000Z", notes: ["first note", "second note"] });
  book.record({ student: "bob", assignment: "01-adam", contentHash: "h3", specHash: "spec1", submittedAt: new Date("2026-12-01T09:00:00Z"), score: score(6), notes: [] });
  assert.deepEqual(book.recorded("bob", "01-adam")?.notes, []);
  book.close();
});
