/**
 * A real front end: Debian's Jupyter Notebook server on loopback (token off, a temporary
 * directory) with this kernel, driven by headless Chromium through playwright-core. Opens a
 * notebook, runs all cells, and checks that a Plotly figure built by the library (drawn by the
 * offline plotly.js the kernel inlines, with its title and axis titles in the SVG) and a tensor
 * table rendered. The screenshot is kept in artifacts/.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import type { INotebookContent } from "@jupyterlab/nbformat";
import { chromium } from "playwright-core";
import { testJupyter } from "./test/python";
import { PACKAGE_ROOT } from "./info";
import { freePort, startJupyterProcess } from "../lab/jupyter-process";

const CELLS = [
  "import * as tf from '@tensorflow/tfjs';\ntf.tensor2d([[1, 2], [3, 4]])",
  // A figure the library builds (not a hand-written layout), so its title and axis titles are the library's own.
  "import { linePlot } from 'dl-workbook/plot';\nlinePlot([{ name: 'loss', x: [1, 2, 3, 4], y: [4, 1, 3, 2] }], { title: 'browser test', xTitle: 'training step', yTitle: 'loss value' })",
];

function notebook(): INotebookContent {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "dl-workbook", display_name: "TypeScript (DL Workbook)", language: "typescript" } },
    cells: CELLS.map((source, i) => ({ cell_type: "code", id: `cell-${i}`, source, metadata: {}, outputs: [], execution_count: null })),
  };
}

test("Jupyter Notebook in headless Chromium runs a notebook and renders a Plotly figure and a tensor table", { timeout: 240_000 }, async () => {
  const jupyter = testJupyter();
  const notebookDir = path.join(jupyter.dir, "notebooks");
  fs.mkdirSync(notebookDir);
  fs.writeFileSync(path.join(notebookDir, "browser.ipynb"), JSON.stringify(notebook(), null, 1));
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
    await page.goto(`${base}/notebooks/browser.ipynb`);
    type NotebookWindow = { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean }; execute_all_cells(): void; get_cells(): { cell_type: string; input_prompt_number?: number | string | null }[] } } };
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.is_connected() === true, undefined, { timeout: 90_000 });
    await page.evaluate(() => (window as unknown as NotebookWindow).Jupyter!.notebook!.execute_all_cells());
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter!.notebook!.get_cells().every((cell) => cell.cell_type !== "code" || typeof cell.input_prompt_number === "number"), undefined, {
      timeout: 120_000,
    });
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
  } finally {
    await browser.close();
    await server.stop();
  }
});
