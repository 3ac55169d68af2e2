import { test } from "node:test";
import * as assert from "node:assert/strict";
import { latePenalty, parseLatePolicy } from "./late";

const due = "2026-12-01T23:59:00Z";
const at = (iso: string): Date => new Date(iso);

test("on time, within grace, and per started day late", () => {
  const policy = parseLatePolicy(due, "15m", "per-day:10");
  assert.equal(latePenalty(at("2026-12-01T20:00:00Z"), policy).penalty, 0);
  assert.equal(latePenalty(at("2026-12-02T00:10:00Z"), policy).penalty, 0); // 11 min late, grace 15 min
  assert.equal(latePenalty(at("2026-12-02T00:15:00Z"), policy).penalty, 0.1); // 1 min after grace: day 1
  assert.equal(latePenalty(at("2026-12-03T00:14:00Z"), policy).penalty, 0.1); // 23h59m after grace: still day 1
  assert.equal(latePenalty(at("2026-12-03T00:15:00Z"), policy).daysLate, 2);
  assert.equal(latePenalty(at("2027-01-30T00:00:00Z"), policy).penalty, 1); // capped at 100%
});

test("zero and none policies", () => {
  assert.equal(latePenalty(at("2026-12-02T01:00:00Z"), parseLatePolicy(due, undefined, "zero")).penalty, 1);
  const none = latePenalty(at("2026-12-05T01:00:00Z"), parseLatePolicy(due, undefined, "none"));
  assert.equal(none.penalty, 0);
  assert.match(none.message, /late by 73\.0 h/);
  assert.equal(latePenalty(at("2030-01-01T00:00:00Z"), parseLatePolicy(undefined, undefined, undefined)).penalty, 0);
});

test("bad options are named with an example", () => {
  assert.throws(() => parseLatePolicy("next friday", undefined, undefined), /--due "next friday" is not an ISO date; write e.g./);
  assert.throws(() => parseLatePolicy(due, "soon", undefined), /--grace "soon" is not a duration/);
  assert.throws(() => parseLatePolicy(due, undefined, "half"), /--late-policy "half" is not known/);
});
