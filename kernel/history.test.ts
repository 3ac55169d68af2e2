/** History across sessions in a JSON-lines file, and graceful degradation when it cannot be written. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { History } from "./history";

test("history keeps sessions in a file and answers tail, range and search", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-history-")), "h.jsonl");
  const first = new History(file, () => undefined);
  first.add(1, "const a = 1", undefined);
  first.add(2, "a + 1", "2");
  const second = new History(file, () => undefined);
  assert.equal(second.session, first.session + 1);
  second.add(1, "a + 1", "2");
  assert.deepEqual(second.query({ hist_access_type: "tail", n: 2 }), [
    [first.session, 2, "a + 1"],
    [second.session, 1, "a + 1"],
  ]);
  assert.deepEqual(second.query({ hist_access_type: "range", session: first.session, start: 2, stop: 3, output: true }), [[first.session, 2, ["a + 1", "2"]]]);
  assert.equal(second.query({ hist_access_type: "search", pattern: "a *" }).length, 2);
  assert.equal(second.query({ hist_access_type: "search", pattern: "a *", unique: true }).length, 1);
  assert.equal(second.query({ hist_access_type: "search", pattern: "const*", n: 1 }).length, 1);
});

test("history stays in memory when its file cannot be written, and says so once", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-history-"));
  const blocker = path.join(dir, "not-a-directory");
  fs.writeFileSync(blocker, "");
  const logged: string[] = [];
  const history = new History(path.join(blocker, "h.jsonl"), (text) => logged.push(text));
  history.add(1, "1 + 1");
  history.add(2, "2 + 2");
  assert.equal(history.query({ hist_access_type: "tail", n: 5 }).length, 2);
  assert.equal(logged.length, 1);
  assert.match(logged[0], /WORKBOOK_HISTORY_FILE/);
});
