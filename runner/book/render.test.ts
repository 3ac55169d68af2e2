import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ICodeCell, INotebookContent, IOutput } from "@jupyterlab/nbformat";
import { ansiToHtml } from "./ansi";
import { copyAssets, ASSETS } from "./assets";
import { notebookHash, withCachedOutputs } from "./cache";
import { renderMarkdown } from "./markdown";
import { renderLatexOutput } from "./math";
import { collapseCarriageReturns, renderOutput, scriptJson } from "./outputs";
import { BookEntry, notebookTitle, renderIndexPage, renderNotebookPage } from "./page";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR4nGP8z8DwnwEIGBkZGRgYAAAtBAT/ru7xSQAAAABJRU5ErkJggg==";

function notebook(outputs: IOutput[]): INotebookContent {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", id: "m", metadata: {}, source: ["# Adam\n", "\n", "Update $w_t = w_{t-1} - \\eta g_t$.\n"] },
      { cell_type: "code", id: "c", metadata: {}, source: "const x: number = 1;\nx", execution_count: 1, outputs },
    ],
  };
}

test("every output type renders to its HTML form", () => {
  const context = { plotlyFigures: 0 };
  const html = (o: IOutput) => renderOutput(o, context);
  assert.equal(html({ output_type: "stream", name: "stdout", text: ["loss ", "0.5\n"] }), '<pre class="output-stream stdout">loss 0.5\n</pre>');
  assert.match(html({ output_type: "stream", name: "stderr", text: "warn <b>" }), /class="output-stream stderr">warn &lt;b&gt;</);
  const error = html({ output_type: "error", ename: "TypeError", evalue: "x", traceback: ["\x1b[31mTypeError\x1b[0m: x is not a function"] });
  assert.equal(error, '<pre class="output-error"><span class="ansi-red-fg">TypeError</span>: x is not a function</pre>');
  assert.match(html({ output_type: "display_data", data: { "text/html": "<b>bold</b>", "text/plain": "bold" }, metadata: {} }), /<div class="output-html"><b>bold<\/b><\/div>/);
  assert.match(html({ output_type: "display_data", data: { "image/png": PNG }, metadata: {} }), new RegExp(`<img alt="figure" src="data:image/png;base64,${PNG.replace(/[+/]/g, "\\$&")}">`));
  assert.match(html({ output_type: "display_data", data: { "image/svg+xml": "<svg><rect/></svg>" }, metadata: {} }), /<div class="output-svg"><svg><rect\/><\/svg><\/div>/);
  assert.match(html({ output_type: "display_data", data: { "text/latex": "$$\\frac{1}{2}$$" }, metadata: {} }), /class="output-latex"><span class="katex-display">/);
  assert.match(html({ output_type: "display_data", data: { "text/markdown": "**b** $x$" }, metadata: {} }), /<strong>b<\/strong> <span class="katex">/);
  assert.match(html({ output_type: "execute_result", execution_count: 1, data: { "application/json": { a: 1 } }, metadata: {} }), /output-json">\{\n {2}&quot;a&quot;: 1\n\}/);
  assert.equal(html({ output_type: "execute_result", execution_count: 1, data: { "text/plain": "42" }, metadata: {} }), '<pre class="output-text">42</pre>');
  const plotly = html({ output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [{ y: [1, 2] }], layout: { title: "</script>" } }, "text/html": "<div>fallback</div>" }, metadata: {} });
  assert.match(plotly, /<div class="plotly-figure" id="plotly-figure-1"><\/div><script type="application\/json" class="plotly-spec" data-target="plotly-figure-1">/);
  assert.ok(!plotly.includes("fallback"), "the Plotly JSON is preferred over the HTML fallback");
  assert.ok(!plotly.includes('</script>"') && plotly.includes("\\u003c/script>"), "a </script> in the figure cannot close the script element");
});

test("carriage returns keep the last write of a line, as a terminal shows it", () => {
  assert.equal(collapseCarriageReturns("epoch 1\r 10%\r 20%\r\nnext\r\n"), " 20%\nnext\n");
  assert.equal(collapseCarriageReturns("plain\ntext"), "plain\ntext");
});

test("scriptJson round-trips through JSON.parse", () => {
  const value = { s: "</script><!-- \u2028" };
  assert.deepEqual(JSON.parse(scriptJson(value)), value);
});

test("ANSI codes become Jupyter's classes and other escapes vanish", () => {
  assert.equal(ansiToHtml("\x1b[1;32mok\x1b[0m \x1b[2K<x>"), '<span class="ansi-bold ansi-green-fg">ok</span> &lt;x&gt;');
  assert.equal(ansiToHtml("\x1b[91mbright\x1b[39m plain"), '<span class="ansi-bright-red-fg">bright</span> plain');
  assert.ok(!ansiToHtml("\x1b[31mred").includes("\x1b"));
});

test("Markdown renders headings, math, tables and highlighted code; $5 stays text", () => {
  const html = renderMarkdown("# T\n\n$$\n\\hat m_t = \\frac{m_t}{1-\\beta_1^t}\n$$\n\nIt costs $5 and $6 here, $x_i$ is math.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst a = 1;\n```\n");
  assert.match(html, /<h1>T<\/h1>/);
  assert.match(html, /<div class="math-display"><span class="katex-display">/);
  assert.match(html, /It costs \$5 and \$6 here, <span class="katex">/);
  assert.match(html, /<table>/);
  assert.match(html, /<span class="hljs-keyword">const<\/span>/);
  assert.match(renderMarkdown("See [Adam](01-adam.ipynb#update) and [nbformat](https://nbformat.readthedocs.io/x.ipynb)."), /href="01-adam.html#update".*href="https:\/\/nbformat.readthedocs.io\/x.ipynb"/);
  assert.match(renderLatexOutput("\\[x^2\\]"), /katex-display/);
  assert.match(renderLatexOutput("$x$"), /^<span class="katex">/);
});

test("a markdown cell's attached images are embedded as data URIs, in Markdown and in HTML", () => {
  const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  const attachments = { "loss curve.png": { "image/png": png } };
  const html = renderMarkdown('![loss](attachment:loss%20curve.png) and <img src="attachment:loss curve.png" width="20"> but ![gone](attachment:missing.png)', attachments);
  assert.equal((html.match(new RegExp(`src="data:image/png;base64,${png.replace(/[+/=]/g, "\\$&")}"`, "g")) ?? []).length, 2, html);
  assert.match(html, /src="attachment:missing.png"/, "an attachment the cell lacks is left as written");
});

test("a notebook page has its cells, highlighted code, prompts, and loads plotly.js only when needed", () => {
  const withPlot = notebook([{ output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [] } }, metadata: {} }]);
  const entry: BookEntry = { source: "01-adam.ipynb", page: "01-adam.html", title: notebookTitle(withPlot, "x"), notebook: withPlot, status: "ok", failures: [] };
  assert.equal(entry.title, "Adam");
  const page = renderNotebookPage(entry, "Book", undefined, { ...entry, page: "02-next.html", title: "Next" });
  assert.match(page, /<section class="cell markdown" id="cell-1"><h1>Adam<\/h1>/);
  assert.match(page, /<div class="prompt">In \[1\]:<\/div>/);
  assert.match(page, /<span class="hljs-keyword">const<\/span>/);
  assert.match(page, new RegExp(`<script src="${ASSETS.plotlyJs}"></script>`));
  assert.match(page, /<a href="02-next.html">Next &rarr;<\/a>/);
  assert.match(page, /<a href="notebooks\/01-adam.ipynb" download>/);
  const plain = renderNotebookPage({ ...entry, notebook: notebook([]), status: "failed", failures: ["01-adam.ipynb, cell 2, line 1: Error: boom"] }, "Book");
  assert.ok(!plain.includes(ASSETS.plotlyJs));
  assert.match(plain, /<div class="failures">.*cell 2, line 1: Error: boom/s);
  const index = renderIndexPage([entry, { ...entry, status: "cached" }], "Book", "Intro with $x$.");
  assert.match(index, /<a href="01-adam.html">Adam<\/a>/);
  assert.match(index, /class="status cached"/);
});

test("the cache key follows code cells and the library, not outputs or Markdown", () => {
  const a = notebook([]);
  const b = notebook([{ output_type: "stream", name: "stdout", text: "different output" }]);
  assert.equal(notebookHash(a, "lib1"), notebookHash(b, "lib1"));
  assert.notEqual(notebookHash(a, "lib1"), notebookHash(a, "lib2"));
  const c = notebook([]);
  c.cells[1].source = "const x: number = 2;\nx";
  assert.notEqual(notebookHash(a, "lib1"), notebookHash(c, "lib1"));
  const prose = notebook([]);
  prose.cells[0].source = "# Adam, explained better";
  assert.equal(notebookHash(a, "lib1"), notebookHash(prose, "lib1"));
});

test("a cached run shows the current Markdown with the cached outputs", () => {
  const ran = notebook([{ output_type: "stream", name: "stdout", text: "from the cached run" }]);
  const current = notebook([]);
  current.cells[0].source = "# Adam, explained better";
  current.cells.splice(1, 0, { cell_type: "markdown", source: "A new paragraph.", metadata: {} });
  const merged = withCachedOutputs(current, ran);
  assert.deepEqual(
    merged.cells.map((c) => c.source),
    ["# Adam, explained better", "A new paragraph.", current.cells[2].source],
  );
  assert.deepEqual((merged.cells[2] as ICodeCell).outputs, (ran.cells[1] as ICodeCell).outputs);
});

test("assets are copied locally: KaTeX CSS with its fonts, plotly.js, highlight theme", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "book-assets-"));
  try {
    copyAssets(out);
    for (const file of Object.values(ASSETS)) assert.ok(fs.statSync(path.join(out, file)).size > 0, `${file} exists`);
    const css = fs.readFileSync(path.join(out, ASSETS.katexCss), "utf8");
    const fonts = [...css.matchAll(/url\((fonts\/[^)]+)\)/g)].map((m) => m[1]);
    assert.ok(fonts.length > 10);
    for (const font of fonts) assert.ok(fs.existsSync(path.join(out, "assets", "katex", font)), `${font} is copied`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
