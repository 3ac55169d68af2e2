/**
 * A real front end: Debian's Jupyter Notebook server on loopback (token off, a temporary
 * directory) with this kernel, driven by headless Chromium through playwright-core. Opens a
 * notebook, runs all cells, and checks that a Plotly figure built by the library (drawn by the
 * offline plotly.js the kernel inlines, with its title and axis titles in the SVG) and a tensor
 * table rendered. A second notebook checks `dl-workbook/widgets` there, in widget protocol 1
 * (Debian's jupyter-js-widgets 2.1.4 nbextension, enabled by its /etc/jupyter/nbconfig file): a
 * slider renders, its keyboard moves it, the interact output (a printed line and a Plotly figure)
 * redraws and the kernel-side `.value` follows. The screenshots are kept in artifacts/.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import type { INotebookContent } from "@jupyterlab/nbformat";
import { chromium } from "playwright-core";
import type { Page } from "playwright-core";
import { testJupyter } from "./test/python";
import { PACKAGE_ROOT } from "./info";
import { freePort, startJupyterProcess } from "../lab/jupyter-process";

const CELLS = [
  "import * as tf from '@tensorflow/tfjs';\ntf.tensor2d([[1, 2], [3, 4]])",
  // A figure the library builds (not a hand-written layout), so its title and axis titles are the library's own.
  "import { linePlot } from 'dl-workbook/plot';\nlinePlot([{ name: 'loss', x: [1, 2, 3, 4], y: [4, 1, 3, 2] }], { title: 'browser test', xTitle: 'training step', yTitle: 'loss value' })",
];

const WIDGET_CELLS = [
  "import { slider, interact } from 'dl-workbook/widgets';\nimport { linePlot } from 'dl-workbook/plot';\nconst beta = slider({ min: 0, max: 1, step: 0.1, value: 0.5, description: 'beta' });\ninteract(({ beta }) => {\n  console.log(`drawn for beta ${beta.toFixed(2)}`);\n  return linePlot([{ name: 'beta^t', x: [0, 1, 2, 3], y: [1, beta, beta ** 2, beta ** 3] }], { title: `beta ${beta.toFixed(2)}` });\n}, { beta })",
  "console.log(`kernel-side value ${beta.value.toFixed(2)}`)",
];

function notebook(cells: string[] = CELLS): INotebookContent {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "dl-workbook", display_name: "TypeScript (DL Workbook)", language: "typescript" } },
    cells: cells.map((source, i) => ({ cell_type: "code", id: `cell-${i}`, source, metadata: {}, outputs: [], execution_count: null })),
  };
}

type NotebookWindow = {
  Jupyter?: {
    notebook?: {
      kernel?: { is_connected(): boolean };
      execute_all_cells(): void;
      execute_cells(indices: number[]): void;
      get_cells(): { cell_type: string; input_prompt_number?: number | string | null }[];
    };
  };
};

/** Starts Debian's Notebook server on a directory holding `content` as `name`, opens it in headless Chromium, runs all cells, and hands the page to `check`. */
async function withNotebook(name: string, content: INotebookContent, check: (page: Page) => Promise<void>): Promise<void> {
  const jupyter = testJupyter();
  const notebookDir = path.join(jupyter.dir, "notebooks");
  fs.mkdirSync(notebookDir);
  fs.writeFileSync(path.join(notebookDir, name), JSON.stringify(content, null, 1));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startJupyterProcess({
    command: [
      "/usr/bin/jupyter-notebook",
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
      "--NotebookApp.token=",
      "--NotebookApp.password=",
      `--notebook-dir=${notebookDir}`,
    ],
    readyUrl: `${base}/api`,
    name: "jupyter-notebook",
    env: jupyter.env,
  });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1100 } });
    await page.goto(`${base}/notebooks/${name}`);
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.is_connected() === true, undefined, { timeout: 90_000 });
    await page.evaluate(() => (window as unknown as NotebookWindow).Jupyter!.notebook!.execute_all_cells());
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter!.notebook!.get_cells().every((cell) => cell.cell_type !== "code" || typeof cell.input_prompt_number === "number"), undefined, {
      timeout: 120_000,
    });
    await check(page);
  } finally {
    await browser.close();
    await server.stop();
  }
}

test("Jupyter Notebook in headless Chromium runs a notebook and renders a Plotly figure and a tensor table", { timeout: 240_000 }, async () => {
  await withNotebook("browser.ipynb", notebook(), async (page) => {
    const table = page.locator("table.dl-workbook-tensor");
    await table.waitFor({ timeout: 30_000 });
    assert.match(await table.innerText(), /3[\s\S]*4/);
    // plotly.js draws its SVG into the figure's div once the inlined library has loaded.
    const plot = page.locator("div.dl-workbook-plotly .main-svg").first();
    await plot.waitFor({ timeout: 60_000 });
    // plotly.js writes the layout title into text.gtitle and the axis titles into text.xtitle / text.ytitle;
    // a title given as a bare string is silently not drawn, so these find nothing.
    const svgText = async (selector: string): Promise<string[]> => page.locator(`div.dl-workbook-plotly ${selector}`).allTextContents();
    assert.deepEqual(await svgText("text.gtitle"), ["browser test"], "the figure's title is drawn in its SVG");
    assert.deepEqual(await svgText("text.xtitle"), ["training step"], "the x axis title is drawn");
    assert.deepEqual(await svgText("text.ytitle"), ["loss value"], "the y axis title is drawn");
    fs.mkdirSync(path.join(PACKAGE_ROOT, "artifacts"), { recursive: true });
    await page.screenshot({ path: path.join(PACKAGE_ROOT, "artifacts", "kernel-notebook.png"), fullPage: true });
  });
});

test("Notebook 6.4 with Debian's widget nbextension: a slider renders, its keyboard redraws the interact output and sets the kernel-side value", { timeout: 240_000 }, async () => {
  await withNotebook("widgets.ipynb", notebook(WIDGET_CELLS), async (page) => {
    // jupyter-js-widgets 2.1.4 draws views in the cell's widget area; its slider is a jQuery UI slider.
    const area = page.locator(".cell").nth(0).locator(".widget-area");
    const handle = area.locator(".ui-slider-handle");
    await handle.waitFor({ timeout: 60_000 });
    // The first draw lands in the interact's Output widget, inside the widget area: the printed line and the figure.
    await page.waitForFunction(() => document.querySelector(".cell .widget-area")?.textContent?.includes("drawn for beta 0.50") === true, undefined, { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector(".cell .widget-area div.dl-workbook-plotly text.gtitle")?.textContent === "beta 0.50", undefined, { timeout: 60_000 });
    assert.doesNotMatch(
      await page
        .locator(".cell")
        .nth(0)
        .locator(".output_area")
        .allInnerTexts()
        .then((t) => t.join("\n")),
      /interactive widget/,
      "no text/plain fallback under the widget",
    );
    // The student moves the slider one step with its keyboard: the kernel reruns the function into the Output widget.
    await handle.focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => document.querySelector(".cell .widget-area")?.textContent?.includes("drawn for beta 0.60") === true, undefined, { timeout: 30_000 });
    // The Plotly figure in the Output widget is drawn again, with the new title in its SVG.
    const title = area.locator("div.dl-workbook-plotly text.gtitle");
    await page.waitForFunction(() => document.querySelector(".cell .widget-area div.dl-workbook-plotly text.gtitle")?.textContent === "beta 0.60", undefined, { timeout: 30_000 });
    assert.deepEqual(await title.allTextContents(), ["beta 0.60"], "one figure, redrawn for the new value");
    assert.match(await area.innerText(), /0\.60/, "the slider's readout shows the new value");
    // The next cell, run again, prints the kernel-side value.
    await page.evaluate(() => (window as unknown as NotebookWindow).Jupyter!.notebook!.execute_cells([1]));
    await page.waitForFunction(() => document.querySelectorAll(".cell")[1]?.querySelector(".output_area")?.textContent?.includes("kernel-side value 0.60") === true, undefined, { timeout: 30_000 });
    fs.mkdirSync(path.join(PACKAGE_ROOT, "artifacts"), { recursive: true });
    await page.screenshot({ path: path.join(PACKAGE_ROOT, "artifacts", "kernel-notebook-widgets.png"), fullPage: true });
  });
});
