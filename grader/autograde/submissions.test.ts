import { test } from "node:test";
import * as assert from "node:assert/strict";
import AdmZip from "adm-zip";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listSubmissions, safeStudentId } from "./submissions";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "workbook-submissions-"));
}

test("a folder of notebooks: student id is the file stem, timestamp the file's mtime", () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, "alice.ipynb"), "{}");
  fs.writeFileSync(path.join(dir, "bob.ipynb"), "{}");
  fs.writeFileSync(path.join(dir, "notes.txt"), "ignored");
  const when = new Date("2026-12-02T10:00:00Z");
  fs.utimesSync(path.join(dir, "bob.ipynb"), when, when);
  const found = listSubmissions(dir);
  assert.deepEqual(
    found.map((s) => s.student),
    ["alice", "bob"],
  );
  assert.equal(found[1].submittedAt.getTime(), when.getTime());
  fs.rmSync(dir, { recursive: true });
});

test("a folder of per-student folders, and a zip of them", () => {
  const dir = tempDir();
  for (const s of ["carol", "dave"]) {
    fs.mkdirSync(path.join(dir, s));
    fs.writeFileSync(path.join(dir, s, "01-adam.ipynb"), `{"who": "${s}"}`);
  }
  assert.deepEqual(
    listSubmissions(dir).map((s) => s.student),
    ["carol", "dave"],
  );
  const zip = new AdmZip();
  zip.addFile("class/carol/01-adam.ipynb", Buffer.from("{}"));
  zip.addFile("erin.ipynb", Buffer.from("{}"));
  zip.addFile("__MACOSX/class/._x.ipynb", Buffer.from("junk"));
  const zipFile = path.join(dir, "class.zip");
  zip.writeZip(zipFile);
  assert.deepEqual(
    listSubmissions(zipFile)
      .map((s) => s.student)
      .sort(),
    ["carol", "erin"],
  );
  fs.rmSync(dir, { recursive: true });
});

test("student ids are safe folder names, and mistakes are named", () => {
  assert.equal(safeStudentId("../../etc/passwd"), "__.._etc_passwd"); // no "/" and no leading "."
  assert.equal(safeStudentId(".."), "_");
  assert.throws(() => listSubmissions("/nonexistent/subs"), /does not exist; give a folder of .ipynb files/);
  const dir = tempDir();
  assert.throws(() => listSubmissions(dir), /no .ipynb submissions found/);
  fs.rmSync(dir, { recursive: true });
});
