import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { committedFixturesPath, loadCs231nFixtures } from "./cs231n-fixtures";

test("the committed copy of the CS231n fixtures is identical to ../shared/reference when both exist", (t) => {
  const shared = path.resolve(__dirname, "..", "..", "..", "..", "shared", "reference", "cs231n-fixtures.json");
  if (!fs.existsSync(shared)) {
    t.diagnostic(`no ${shared} here; checking the committed copy alone`);
  } else {
    assert.ok(fs.readFileSync(committedFixturesPath()).equals(fs.readFileSync(shared)), `${committedFixturesPath()} differs from ${shared}: copy the shared file over it`);
  }
  const fixtures = loadCs231nFixtures();
  assert.equal(fixtures.lstm_step_forward.gate_order.replace(/[^a-z]/g, ""), "ifog");
});
