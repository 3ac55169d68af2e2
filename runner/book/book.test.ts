/**
 * The book end to end: fixture notebooks run through the real kernel, rendered, cached, and
 * opened in headless Chromium. About 35 s (five notebook runs and a browser).
 * Screenshots go to artifacts/book/ (gitignored; CI keeps them).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import { chromium } from "playwright-core";
import { buildBook, BuildBookResult } from "./build";
import { readCache } from "./cache";
import { readNotebook, writeNotebook } from "../../notebook/notebook";
import type { RunProgress } from "../progress";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const FIXTURES = path.join(ROOT, "runner", "fixtures", "book");
const ARTIFACTS = path.join(ROOT, "artifacts", "book");
const CHROMIUM = "/usr/bin/chromium";

let work: string;
let notebooksDir: string;
let outDir: string;
let first: BuildBookResult;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-book-"));
  notebooksDir = path.join(work, "notebooks");
  outDir = path.join(work, "site");
  fs.mkdirSync(notebooksDir);
  for (const file of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, file), path.join(notebooksDir, file));
  first = await buildBook({ notebooksDir, outDir });
});

after(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function page(name: string): string {
  return fs.readFileSync(path.join(outDir, name), "utf8");
}

test("the book runs every notebook and writes an index, a page each and the executed notebooks", () => {
  assert.equal(first.ran, 2);
  assert.equal(first.cached, 0);
  assert.deepEqual(
    first.entries.map((e) => [e.page, e.title, e.status]),
    [
      ["01-outputs.html", "Every output type", "ok"],
      ["02-second.html", "Second page", "ok"],
    ],
  );
  const index = page("index.html");
  assert.match(index, /<a href="01-outputs.html">Every output type<\/a>/);
  assert.ok(fs.existsSync(path.join(outDir, "notebooks", "01-outputs.ipynb")));
});

test("a page shows every output type the kernel produced", () => {
  const html = page("01-outputs.html");
  assert.match(html, /<pre class="output-stream stdout">to stdout\n<\/pre>/);
  assert.match(html, /<pre class="output-stream stderr">to stderr\n<\/pre>/);
  assert.match(html, /class="plotly-spec" data-target="plotly-figure-1"/);
  assert.match(html, /<table class="fixture-html">/);
  assert.match(html, /<img alt="figure" src="data:image\/png;base64,iVBOR/);
  assert.match(html, /<rect class="fixture-svg"/);
  assert.match(html, /class="output-latex"><span class="katex-display">/);
  assert.match(html, /class="output-markdown"><p><strong>bold<\/strong> and <span class="katex">/);
  assert.match(html, /<pre class="output-text">42<\/pre>/);
  assert.match(html, /<pre class="output-error">Error: matMul: inner shapes 3 and 4 must match/);
  assert.match(html, /<span class="hljs-keyword">const<\/span>/);
  assert.ok(!/(src|href)="(https?:)?\/\//.test(html), "no page loads anything from the network");
});

test("an unchanged notebook is not run again; a changed one is", async () => {
  const second = await buildBook({ notebooksDir, outDir });
  assert.equal(second.ran, 0);
  assert.equal(second.cached, 2);
  assert.deepEqual(
    second.entries.map((e) => e.status),
    ["cached", "cached"],
  );
  assert.match(page("01-outputs.html"), /class="plotly-spec"/, "pages rebuilt from the cache keep their outputs");

  const file = path.join(notebooksDir, "02-second.ipynb");
  const nb = readNotebook(file);
  nb.cells[1].source = "console.log('changed');";
  writeNotebook(file, nb);
  const third = await buildBook({ notebooksDir, outDir });
  assert.equal(third.ran, 1);
  assert.deepEqual(
    third.entries.map((e) => e.status),
    ["cached", "ok"],
  );
  assert.match(page("02-second.html"), /changed\n/);
  assert.deepEqual(Object.keys(readCache(outDir).notebooks).sort(), ["01-outputs.ipynb", "02-second.ipynb"]);

  // a Markdown edit re-renders the page from the cached outputs, without running the notebook
  const first = path.join(notebooksDir, "01-outputs.ipynb");
  const edited = readNotebook(first);
  edited.cells.push({ cell_type: "markdown", id: "added-prose", metadata: {}, source: "A paragraph added after the run." });
  writeNotebook(first, edited);
  const fourth = await buildBook({ notebooksDir, outDir });
  assert.equal(fourth.ran, 0);
  assert.match(page("01-outputs.html"), /A paragraph added after the run\./);
  assert.match(page("01-outputs.html"), /class="plotly-spec"/, "the cached outputs stay");
});

test("a failing notebook is marked on its page and in the index, and is not cached", async () => {
  const file = path.join(notebooksDir, "02-second.ipynb");
  const nb = readNotebook(file);
  nb.cells[1].source = "const ok = 1;\nthrow new Error('broken on purpose');";
  writeNotebook(file, nb);
  const result = await buildBook({ notebooksDir, outDir });
  assert.equal(result.failed, 1);
  assert.deepEqual(result.entries[1].failures, [`${file}, cell 2, line 2: Error: broken on purpose`]);
  assert.match(page("02-second.html"), /<div class="failures">/);
  assert.match(page("index.html"), /class="status failed"/);
  assert.equal(readCache(outDir).notebooks["02-second.ipynb"], undefined);
});

test("an interrupt keeps the finished pages and marks the rest", async () => {
  const controller = new AbortController();
  const progress: RunProgress = {
    notebookStarted: () => undefined,
    cellStarted: () => controller.abort(),
    notebookFinished: () => undefined,
    message: () => undefined,
    close: () => undefined,
  };
  const result = await buildBook({ notebooksDir, outDir, progress, signal: controller.signal });
  assert.equal(result.interrupted, true);
  assert.equal(result.entries[0].status, "cached");
  assert.equal(result.entries[1].status, "interrupted");
  assert.ok(fs.existsSync(path.join(outDir, "02-second.html")));
  assert.match(page("02-second.html"), /This run was interrupted/);
});

test("a kernel that cannot start fails the first notebook; the rest are not tried", async () => {
  const brokenOut = path.join(work, "broken-site");
  const result = await buildBook({
    notebooksDir,
    outDir: brokenOut,
    kernel: { command: [process.execPath, "-e", "console.error('kernel: cannot load zeromq'); process.exit(1)"] },
  });
  assert.deepEqual(
    result.entries.map((e) => e.status),
    ["failed", "not run"],
  );
  assert.match(result.entries[0].failures[0], /01-outputs\.ipynb: could not be run: .*exited with code 1\.\nIts last stderr lines:\nkernel: cannot load zeromq/s);
  assert.match(result.entries[1].failures[0], /not run, because the kernel could not start \(see 01-outputs\.ipynb\)/);
  assert.ok(fs.existsSync(path.join(brokenOut, "index.html")), "the index is still written");
});

test("in headless Chromium every page renders its Plotly figures and KaTeX, offline", { skip: !fs.existsSync(CHROMIUM) && `no browser at ${CHROMIUM}` }, async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const offline: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      offline.push(url);
      return route.abort();
    });
    const pages = fs
      .readdirSync(outDir)
      .filter((f) => f.endsWith(".html"))
      .sort();
    assert.deepEqual(pages, ["01-outputs.html", "02-second.html", "index.html"]);
    let figures = 0;
    for (const name of pages) {
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on("pageerror", (err) => errors.push(err.message));
      await tab.goto(pathToFileURL(path.join(outDir, name)).href, { waitUntil: "load" });
      const plotly = await tab.locator(".plotly-figure").count();
      for (let i = 0; i < plotly; i++) {
        const figure = tab.locator(".plotly-figure").nth(i);
        await figure.locator(".plot-container svg.main-svg").first().waitFor({ timeout: 20_000 });
        assert.equal(await figure.getAttribute("data-rendered"), "true", `${name}: figure ${i + 1} rendered`);
        assert.ok((await figure.locator(".scatterlayer .trace").count()) > 0, `${name}: figure ${i + 1} has its trace`);
      }
      figures += plotly;
      if (name !== "index.html" || (await tab.locator(".katex").count()) > 0) {
        const katex = await tab.locator(".katex-html").count();
        assert.ok(katex > 0, `${name}: has KaTeX`);
        const box = await tab.locator(".katex-html").first().boundingBox();
        assert.ok(box !== null && box.width > 0, `${name}: KaTeX is laid out`);
        const fontLoaded = await tab.evaluate(async () => {
          await document.fonts.ready;
          let loaded = false;
          document.fonts.forEach((font) => {
            if (font.family.includes("KaTeX") && font.status === "loaded") loaded = true;
          });
          return loaded && document.fonts.check("16px KaTeX_Main");
        });
        assert.ok(fontLoaded, `${name}: KaTeX fonts load from the local copy`);
      }
      await tab.screenshot({ path: path.join(ARTIFACTS, name.replace(/\.html$/, ".png")), fullPage: true });
      assert.deepEqual(errors, [], `${name}: no script errors`);
      await tab.close();
    }
    assert.equal(figures, 1, "the fixture's one Plotly figure was checked");
    assert.deepEqual(offline, [], "no request left the machine");
  } finally {
    await browser.close();
  }
});
