import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { INotebookContent } from "@jupyterlab/nbformat";
import type { Browser } from "playwright-core";
import { DEFAULT_COURSE } from "../course";
import type { Problem } from "../problem";
import { checkProposal } from "./check";
import { checkDatasets, datasetName } from "./datasets";
import { readNotebook, sourceText } from "../../notebook/notebook";
import { parseProposal } from "./notebook";
import { countPdfPages, launchBrowser, printPdf } from "./pdf";
import { runPrototype } from "./prototype";
import { checkSections } from "./sections";

const REPO = path.join(__dirname, "..", "..", "..");
const EXAMPLE = path.join(REPO, "projects", "template", "example-proposal.ipynb");
const TEMPLATE = path.join(REPO, "projects", "template", "proposal.ipynb");
const WORKBOOK = path.join(REPO, "dist", "bin", "workbook.js");

let browser: Browser;
let folder: string;
before(async () => {
  browser = await launchBrowser();
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "proposal-test-"));
});
after(async () => {
  await browser.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

/** The example proposal with the markdown cell that starts with `heading` replaced (or removed with null). */
function variant(heading: string, source: string | null): INotebookContent {
  const notebook = readNotebook(EXAMPLE);
  const index = notebook.cells.findIndex((cell) => sourceText(cell.source).startsWith(heading));
  assert.ok(index >= 0, `the example has a cell starting with ${heading}`);
  if (source === null) notebook.cells.splice(index, 1);
  else notebook.cells[index] = { ...notebook.cells[index], source };
  return notebook;
}

/** Writes a notebook into the test folder and returns its path. */
function save(notebook: INotebookContent, name: string): string {
  const file = path.join(folder, name);
  fs.writeFileSync(file, JSON.stringify(notebook));
  return file;
}

/** The written-rule and data-set problems of a notebook (no kernel, no browser). */
async function writtenProblems(notebook: INotebookContent): Promise<Problem[]> {
  const proposal = parseProposal(notebook, path.join(folder, "proposal.ipynb"));
  return [...checkSections(proposal, DEFAULT_COURSE), ...(await checkDatasets(proposal, DEFAULT_COURSE)).problems];
}

/** The data sets the check names as not checked (no kernel, no browser). */
async function notCheckedDatasets(notebook: INotebookContent): Promise<Problem[]> {
  return (await checkDatasets(parseProposal(notebook, path.join(folder, "proposal.ipynb")), DEFAULT_COURSE)).notChecked;
}

test("the example proposal passes every check, prototype run and page count included", async () => {
  const report = await checkProposal(EXAMPLE, DEFAULT_COURSE, { browser });
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.notChecked, []);
  assert.ok(report.pages !== null && report.pages >= 1 && report.pages <= 2, `pages ${report.pages}`);
  assert.equal(countPdfPages(report.pdf!), report.pages);
  // the prototype ran in the kernel: its output, the results table, is in the printed notebook
  const code = report.notebook.cells.find((cell) => cell.cell_type === "code")!;
  const html = JSON.stringify(code.outputs);
  assert.match(html, /<table>.*nearest centroid.*softmax regression/, html.slice(0, 500));
});

test("the template fails until its TODOs are replaced", async () => {
  const problems = await writtenProblems(readNotebook(TEMPLATE));
  assert.ok(problems.filter((p) => /TODO/.test(p.message)).length >= 5, JSON.stringify(problems));
  assert.ok(problems.some((p) => p.where.startsWith("Team") && /0 members; teams have 3 students/.test(p.message)));
});

test("a missing section is reported by name", async () => {
  const problems = await writtenProblems(variant("## Literature review", null));
  assert.deepEqual(problems, [{ where: "Literature review", message: 'the section is missing; add a markdown cell with the heading "## Literature review".' }]);
});

test("an empty section and an empty plan part", async () => {
  const problems = await writtenProblems(variant("## Problem statement", "## Problem statement\n"));
  assert.deepEqual(problems, [{ where: "Problem statement (cell 4)", message: "the section is empty; fill it in." }]);
  const noBudget = await writtenProblems(
    variant("## Plan", "## Plan\n\n### Data sets\n\n- **MNIST**\n- **Fashion-MNIST**\n\n### Methods\n\n- a\n- b\n\n### Metrics\n\nAccuracy.\n\n### Compute budget\n\n### Timeline\n\n- May\n"),
  );
  assert.deepEqual(noBudget, [{ where: "Plan > Compute budget (cell 6)", message: "empty; fill it in." }]);
});

test("too many paragraphs: problem statement one, literature review at most two", async () => {
  const two = await writtenProblems(variant("## Problem statement", "## Problem statement\n\nFirst paragraph.\n\nSecond paragraph.\n"));
  assert.deepEqual(two, [{ where: "Problem statement (cell 4)", message: "2 paragraphs; the problem statement is 1 paragraph: merge or cut paragraphs." }]);
  const review = "## Literature review\n\nOne [1].\n\nTwo [2].\n\nThree [3].\n\n### References\n\n1. A.\n2. B.\n3. C.\n";
  const three = await writtenProblems(variant("## Literature review", review));
  assert.deepEqual(three, [{ where: "Literature review (cell 5)", message: "3 paragraphs; the literature review is 1-2 paragraphs: merge or cut paragraphs." }]);
});

test("the literature review needs references, cited in the text", async () => {
  const none = await writtenProblems(variant("## Literature review", "## Literature review\n\nLeCun et al. introduced MNIST.\n"));
  assert.equal(none.length, 1);
  assert.equal(none[0].where, "Literature review (cell 5)");
  assert.match(none[0].message, /^no references; list the works you review under a "### References" heading/);
  const uncited = await writtenProblems(variant("## Literature review", "## Literature review\n\nLeCun et al. introduced MNIST.\n\n### References\n\n1. LeCun 1998.\n"));
  assert.match(uncited[0].message, /cites none of its references/);
  const authorYear = await writtenProblems(variant("## Literature review", "## Literature review\n\nMNIST (LeCun et al., 1998).\n\n### References\n\n- LeCun 1998.\n"));
  assert.deepEqual(authorYear, []);
  const lines = await writtenProblems(variant("## Literature review", "## Literature review\n\nMNIST [1], Adam [2].\n\n### References\n\n[1] LeCun 1998.\n[2] Kingma and Ba 2015.\n"));
  assert.deepEqual(lines, []);
  const dangling = await writtenProblems(variant("## Literature review", "## Literature review\n\nMNIST [1], Adam [4].\n\n### References\n\n1. LeCun 1998.\n"));
  assert.match(dangling[0].message, /cites \[4\] but the References list has 1 entry/);
});

test("team size and the project kind", async () => {
  const table = "## Team\n\n| Name | ID | Department |\n|---|---|---|\n| Ada | s1 | CS |\n| Alan | s2 | |\n";
  const problems = await writtenProblems(variant("## Team", table));
  assert.deepEqual(
    problems.map((p) => p.message),
    ["the team has 2 members; teams have 3 students.", "member 2 of the team table has no department; fill in every column."],
  );
  const kind = await writtenProblems(variant("## Project kind", "## Project kind\n\nProject 1, something new.\n"));
  assert.deepEqual(
    kind.map((p) => p.message),
    ["does not name the kind of project 1; write one of: competition, paper, comparison."],
  );
  const lab = await writtenProblems(variant("## Project kind", "## Project kind\n\nProject 2: a lab project on reading meters, distinct from project 1.\n"));
  assert.deepEqual(lab, []);
});

test("data sets it cannot load are named as not checked and do not fail; a comparison needs two", async () => {
  const plan = (items: string) => `## Plan\n\n### Data sets\n\n${items}\n\n### Methods\n\n- a\n- b\n\n### Metrics\n\nAccuracy.\n\n### Compute budget\n\nA laptop.\n\n### Timeline\n\n- May\n`;
  // a Kaggle competition, CIFAR-10, a lab's own data: named, not checked, not a failure
  const others = variant("## Plan", plan("- **CIFAR-10** (60K colour images)\n- **Kaggle: Digit Recognizer** (competition data)\n- **Lab meter photos** (our lab's own, not public)"));
  assert.deepEqual(await writtenProblems(others), []);
  const unchecked = await notCheckedDatasets(others);
  assert.deepEqual(
    unchecked.map((p) => p.where),
    ["Plan > Data sets (cell 6)", "Plan > Data sets (cell 6)", "Plan > Data sets (cell 6)"],
  );
  assert.match(unchecked[0].message, /^data set "CIFAR-10" not checked: the checker loads only mnist, fashion-mnist, spiral, blobs by name/);
  assert.match(unchecked[1].message, /^data set "Kaggle: Digit Recognizer" not checked/);
  assert.match(unchecked[2].message, /^data set "Lab meter photos" not checked/);
  const mixed = variant("## Plan", plan("- **MNIST**\n- `data/meters.csv`: our photos"));
  assert.deepEqual(await writtenProblems(mixed), []);
  assert.match((await notCheckedDatasets(mixed))[0].message, /^data set file "data\/meters\.csv" not checked: it is not at .*Fine if the data stay with your lab/);
  fs.mkdirSync(path.join(folder, "data"), { recursive: true });
  fs.writeFileSync(path.join(folder, "data", "meters.csv"), "x,y\n1,0\n");
  assert.deepEqual(await writtenProblems(mixed), []);
  assert.deepEqual(await notCheckedDatasets(mixed), []);
  const one = await writtenProblems(variant("## Plan", plan("- Fashion MNIST: clothing")));
  assert.deepEqual(
    one.map((p) => p.message),
    ["a comparison project uses two or more data sets; the plan names 1."],
  );
});

test("datasetName takes the marked or leading words of a list item", () => {
  assert.equal(datasetName("**Fashion-MNIST** (Zalando)"), "Fashion-MNIST");
  assert.equal(datasetName("`data/x.csv`: ours"), "data/x.csv");
  assert.equal(datasetName("[MNIST](http://example.org) digits"), "MNIST");
  assert.equal(datasetName("spiral, generated"), "spiral");
});

test("a prototype cell that fails is reported with its section and the kernel's error", async () => {
  const notebook = readNotebook(EXAMPLE);
  const code = notebook.cells.findIndex((cell) => cell.cell_type === "code");
  notebook.cells[code] = {
    ...notebook.cells[code],
    source: 'import { loadDataset } from "dl-workbook/compare";\nconst data = await loadDataset("spiral");\nthrow new Error(`diverged after ${data.train.count} steps`);\n',
  };
  const report = await checkProposal(save(notebook, "failing-prototype.ipynb"), DEFAULT_COURSE, { browser });
  assert.equal(report.problems.length, 1, JSON.stringify(report.problems));
  assert.equal(report.problems[0].where, `Prototype (cell ${code + 1})`);
  assert.match(report.problems[0].message, /^the cell fails: Error: diverged after 600 steps/);
});

test("a proposal of 3 pages fails the length check (workbook proposal check exits 1)", () => {
  const filler = Array.from({ length: 14 }, (_, i) => `- Week ${i + 1}: ${"we run the comparison again with more data, more seeds and more methods, and we write down what we find. ".repeat(3)}`).join("\n");
  const notebook = variant(
    "## Plan",
    `## Plan\n\n### Data sets\n\n- **MNIST**\n- **Fashion-MNIST**\n\n### Methods\n\n- a\n- b\n\n### Metrics\n\nAccuracy.\n\n### Compute budget\n\nA laptop.\n\n### Timeline\n\n${filler}\n`,
  );
  const file = save(notebook, "long.ipynb");
  const run = spawnSync(process.execPath, [WORKBOOK, "proposal", "check", file], { encoding: "utf8" });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  // 3 pages with Debian's DejaVu fonts; another serif font may push it to 4
  assert.match(run.stdout, /^Whole proposal: [34] pages when printed \(A4, 2cm margins, 11pt, code outputs included\); the limit is 2\./m);
  assert.match(run.stdout, /^1 problem in /m);
});

test("workbook proposal export writes the PDF; page counting matches Chromium's layout", async () => {
  const output = path.join(folder, "example.pdf");
  const run = spawnSync(process.execPath, [WORKBOOK, "proposal", "export", EXAMPLE, "-o", output], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^wrote .*example\.pdf \([12] pages?; the limit is 2\)\./);
  assert.ok(fs.readFileSync(output).subarray(0, 5).toString() === "%PDF-");
  const page = (n: number) => `<html><body>${"<p>line</p>".repeat(n)}</body></html>`;
  assert.equal(countPdfPages(await printPdf(page(1), DEFAULT_COURSE, browser)), 1);
  // an A4 page with 2 cm margins holds well under 60 short paragraphs
  assert.ok(countPdfPages(await printPdf(page(200), DEFAULT_COURSE, browser)) >= 4);
  assert.throws(() => countPdfPages(Buffer.from("hello")), /not a PDF/);
});

test("a prototype that runs too long, or a kernel that does not start, is a problem, not a crash", async () => {
  const notebook = readNotebook(EXAMPLE);
  const code = notebook.cells.findIndex((cell) => cell.cell_type === "code");
  notebook.cells[code] = { ...notebook.cells[code], source: "while (true) {}\n" };
  const file = save(notebook, "endless.ipynb");
  const slow = await runPrototype(parseProposal(notebook, file), { timeoutSeconds: 3 });
  assert.deepEqual(
    slow.problems.map((p) => p.where),
    [`Prototype (cell ${code + 1})`],
  );
  assert.match(slow.problems[0].message, /did not finish within the 3 s the course allows/);
  const missing = await runPrototype(parseProposal(notebook, file), { timeoutSeconds: 3, kernel: { command: [path.join(folder, "no-such-node")], startupTimeoutMs: 2000 } });
  assert.match(missing.problems[0].message, /^not run: the dl-workbook kernel did not start \(.*no-such-node/s);
});

test("without Chromium, proposal check runs every other check, reports the page count as not checked, and fails only for broken rules", () => {
  const env = { ...process.env, CHROMIUM_PATH: path.join(folder, "no-such-chromium") };
  const passing = spawnSync(process.execPath, [WORKBOOK, "proposal", "check", EXAMPLE], { encoding: "utf8", env });
  assert.equal(passing.status, 0, passing.stdout + passing.stderr);
  assert.match(passing.stdout, /passes every check that could run here \(page count not checked\)/);
  assert.match(
    passing.stdout,
    /^Not checked \(not a failure\):\nWhole proposal: page count not checked \(the limit is 2 pages\): Chromium not found at .*no-such-chromium; to check it, install Chromium \(apt-get install chromium\) or set CHROMIUM_PATH/m,
  );
  // a broken rule still fails, the prototype still runs, and an unloadable data set is only named
  const notebook = variant("## Problem statement", "## Problem statement\n\nFirst paragraph.\n\nSecond paragraph.\n");
  const plan = notebook.cells.findIndex((cell) => sourceText(cell.source).startsWith("## Plan"));
  notebook.cells[plan] = { ...notebook.cells[plan], source: sourceText(notebook.cells[plan].source).replace("### Data sets\n", "### Data sets\n\n- **CIFAR-10**: 60K colour images\n") };
  const failing = spawnSync(process.execPath, [WORKBOOK, "proposal", "check", save(notebook, "no-chromium.ipynb")], { encoding: "utf8", env });
  assert.equal(failing.status, 1, failing.stdout + failing.stderr);
  assert.match(failing.stdout, /^Problem statement \(cell 4\): 2 paragraphs/m);
  assert.match(failing.stdout, /^1 problem in /m);
  assert.match(failing.stdout, /data set "CIFAR-10" not checked/);
  assert.match(failing.stdout, /page count not checked/);
});
