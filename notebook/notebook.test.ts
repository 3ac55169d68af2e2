import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cellSource, cellTags, notebookJson, parseNotebook, readNotebook, sourceText, toLines, upgradeNotebook, writeNotebook } from "./notebook";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-notebook-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const full = path.join(dir, name);
  fs.writeFileSync(full, text);
  return full;
}

test("readNotebook reads an nbformat 4 notebook as it is", () => {
  const nb = { nbformat: 4, nbformat_minor: 4, metadata: {}, cells: [{ cell_type: "code", source: ["a = 1\n", "a"], metadata: { tags: ["claim", 3] } }] };
  const read = readNotebook(file("plain.ipynb", JSON.stringify(nb)));
  assert.deepEqual(read, nb, "nothing is added or changed on reading");
  assert.equal(cellSource(read.cells[0]), "a = 1\na");
  assert.deepEqual(cellTags(read.cells[0]), ["claim"]);
});

test("readNotebook's errors name the file and say what to do", () => {
  const missing = path.join(dir, "absent.ipynb");
  assert.throws(() => readNotebook(missing), { message: new RegExp(`^Cannot read the notebook ${missing}: .*ENOENT.*; check the path\\.$`) });
  const notJson = file("broken.ipynb", '{"cells": [');
  assert.throws(() => readNotebook(notJson), { message: new RegExp(`^The notebook ${notJson} is not valid JSON \\(.+\\); open it in Jupyter and save it again, or fix the file by hand\\.$`) });
  const array = file("array.ipynb", "[1, 2]");
  assert.throws(() => readNotebook(array), { message: `The notebook ${array} is not a JSON object; is it a Jupyter notebook (.ipynb)?` });
  const v3 = file("v3.ipynb", JSON.stringify({ nbformat: 3, worksheets: [] }));
  assert.throws(() => readNotebook(v3), { message: `The notebook ${v3} is nbformat 3; only nbformat 4 is supported (convert it with "jupyter nbconvert --to notebook").` });
  const noCells = file("nocells.ipynb", JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {} }));
  assert.throws(() => readNotebook(noCells), { message: `The notebook ${noCells} has no "cells" list; save it again from Jupyter.` });
  assert.throws(() => parseNotebook("null", "alice.ipynb"), { message: "The notebook alice.ipynb is not a JSON object; is it a Jupyter notebook (.ipynb)?" });
});

test("upgradeNotebook brings a notebook to 4.5: unique ids, metadata, outputs", () => {
  const nb = parseNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 2,
      metadata: {},
      cells: [
        { cell_type: "code", id: "same", source: "1" },
        { cell_type: "markdown", id: "same", source: "# x" },
        { cell_type: "code", source: "2", metadata: { tags: [] } },
      ],
    }),
    "old.ipynb",
  );
  upgradeNotebook(nb);
  assert.equal(nb.nbformat_minor, 5);
  const ids = nb.cells.map((cell) => cell.id);
  assert.equal(ids[0], "same", "a valid id is kept");
  assert.equal(new Set(ids).size, 3, "a duplicate or missing id is replaced by a fresh one");
  for (const id of ids.slice(1)) assert.match(id as string, /^[0-9a-f]{8}$/);
  assert.deepEqual(nb.cells[0].outputs, []);
  assert.equal(nb.cells[0].execution_count, null);
  assert.deepEqual(nb.cells[1].metadata, {});
});

test("writeNotebook writes what readNotebook reads, as Jupyter lays it out", () => {
  const nb = upgradeNotebook(parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", id: "m1", metadata: {}, source: toLines("one\ntwo") }] }), "x"));
  const out = path.join(dir, "written.ipynb");
  writeNotebook(out, nb);
  assert.equal(fs.readFileSync(out, "utf8"), notebookJson(nb));
  assert.ok(notebookJson(nb).startsWith('{\n "nbformat": 4,\n'), "one-space indent");
  assert.ok(notebookJson(nb).includes('\n  {\n   "cell_type": "markdown",'), "one more space a level");
  assert.ok(notebookJson(nb).endsWith("}\n"), "a final newline");
  assert.deepEqual(readNotebook(out), nb);
  assert.deepEqual(toLines("one\ntwo"), ["one\n", "two"]);
  assert.deepEqual(toLines(""), []);
  assert.equal(sourceText(["one\n", "two"]), "one\ntwo");
});
