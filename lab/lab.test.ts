/**
 * JupyterLab UI tests: the `workbook lab` front end (lab/app, bundled by lab/bundle.ts) served by
 * Debian's jupyter_server + jupyterlab_server on a free port with a fresh token, driven by headless
 * Chromium through playwright-core. The kernelspec and the course's prebuilt Lab extension come
 * from `workbook kernel install --prefix D`, and the Lab is started on D. A lecture notebook runs
 * to the end with no error and its Plotly figures drawn by the course extension's renderer,
 * loaded as a federated extension from D (no plotly.js in the saved file, and drawn again after
 * reopening); a scratch notebook checks completion, the signature tooltip, input(),
 * interrupt, restart (a fresh kernel that no longer knows earlier variables), a tensor table and
 * a tensor image; an interact slider dragged redraws its figure and changes the kernel-side value;
 * a training cell's progress stays one output updated in place; an assignment's source notebook
 * runs with no error. Screenshots go to artifacts/lab/.
 */
import { test, before, after } from "node:test";
import { spawnSync } from "child_process";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { INotebookContent } from "@jupyterlab/nbformat";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import type { JupyterLab } from "@jupyterlab/application";
import type { NotebookPanel } from "@jupyterlab/notebook";
import { PACKAGE_ROOT } from "../kernel/info";
import { asText } from "../kernel/wire";
import { LABEXTENSION_NAME } from "../kernel/labextension";
import { ensureLabApp } from "./bundle";
import { startLabServer } from "./server";
import type { LabServer } from "./server";

const ARTIFACTS = path.join(PACKAGE_ROOT, "artifacts", "lab");
const LECTURE = "01-adam.ipynb";

/** The page's globals the tests read (page config exposeAppInBrowser). */
interface LabWindow {
  jupyterapp: JupyterLab;
}

let root = "";
/** The prefix `workbook kernel install --prefix` wrote the kernelspec and the Lab extension into. */
let prefix = "";
let server: LabServer | undefined;
let browser: Browser | undefined;
let page: Page;

function scratchNotebook(): INotebookContent {
  const cells = [
    'import { NDArray } from "dl-workbook";\nconst x = new NDArray([2], Float64Array.from([1, 2]));\nlet counter = 41;',
    "x.",
    "x.reshape",
    'const answer = input("Your answer? ");\nconsole.log(`got ${answer}`);',
    "while (true) {}",
    "counter + 1",
    'import * as tf from "@tensorflow/tfjs";\ndisplay(tf.tensor2d([[1, 2], [3, 4]]));\ntf.randomUniform([16, 16, 3])',
  ];
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "dl-workbook", display_name: "TypeScript (DL Workbook)", language: "typescript" } },
    cells: cells.map((source, i) => ({ cell_type: "code", id: `ui-${i}`, source, metadata: {}, outputs: [], execution_count: null })),
  };
}

/** Opens a notebook in the running app and waits until its kernel is idle. */
async function openNotebook(file: string): Promise<void> {
  await page.goto(`${server!.base}/lab/tree/${file}?token=${server!.token}`);
  await page.waitForFunction(() => (window as unknown as LabWindow).jupyterapp !== undefined, undefined, { timeout: 60_000 });
  await page.waitForFunction(
    (name) => {
      const app = (window as unknown as LabWindow).jupyterapp;
      const panel = app.shell.currentWidget as NotebookPanel | null;
      return panel?.context?.path === name && panel.sessionContext.session?.kernel?.status === "idle";
    },
    file,
    { timeout: 90_000 },
  );
}

/** Runs a command of the app (as the menus and toolbar do). */
async function command(id: string, args: Record<string, string | number | boolean> = {}): Promise<void> {
  await page.evaluate(([id, args]) => (window as unknown as LabWindow).jupyterapp.commands.execute(id, args as Record<string, string>), [id, args] as const);
}

/** Waits until the notebook's kernel is idle and no code cell shows [*]. */
async function waitIdle(timeout = 180_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const panel = (window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel;
      if (panel.sessionContext.session?.kernel?.status !== "idle") return false;
      return !Array.from(panel.content.node.querySelectorAll(".jp-InputPrompt")).some((p) => p.textContent?.includes("*"));
    },
    undefined,
    { timeout },
  );
}

/** The outputs of every code cell, from the notebook model. */
async function outputs(): Promise<{ output_type: string; text?: string; ename?: string; evalue?: string; data?: Record<string, unknown> }[][]> {
  return page.evaluate(() => {
    const panel = (window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel;
    return panel.content.widgets.map((cell) => {
      const json = cell.model.toJSON() as { outputs?: unknown[] };
      return (json.outputs ?? []) as { output_type: string; text?: string; ename?: string; evalue?: string; data?: Record<string, unknown> }[];
    });
  });
}

/** Makes cell `index` active and puts the cursor at the end of its source, in edit mode. */
async function editCellEnd(index: number): Promise<void> {
  await page.evaluate((index) => {
    const panel = (window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel;
    panel.content.activeCellIndex = index;
    panel.content.mode = "edit";
    const editor = panel.content.activeCell!.editor!;
    const lines = editor.model.sharedModel.getSource().split("\n");
    editor.setCursorPosition({ line: lines.length - 1, column: lines[lines.length - 1].length });
    editor.focus();
  }, index);
}

/** Starts cell `index` (the command of the toolbar's run button) without waiting for it to finish. */
async function runCell(index: number): Promise<void> {
  await page.evaluate((index) => {
    const app = (window as unknown as LabWindow).jupyterapp;
    const panel = app.shell.currentWidget as NotebookPanel;
    panel.content.activeCellIndex = index;
    panel.content.mode = "command";
    void app.commands.execute("notebook:run-cell");
  }, index);
}

/**
 * Scrolls to each cell in `cells` (Lab renders only the cells near the viewport) and waits for
 * plotly.js's SVG in its output; returns how many figures were drawn.
 */
async function drawnFigures(cells: number[]): Promise<number> {
  let drawn = 0;
  for (const index of cells) {
    await page.evaluate((index) => ((window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel).content.scrollToItem(index, "start"), index);
    const count = await page.waitForFunction(
      (index) => {
        const cell = ((window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel).content.widgets[index].node;
        const figures = cell.querySelectorAll(".dl-workbook-lab-plotly");
        return figures.length > 0 && Array.from(figures).every((figure) => figure.querySelector(".main-svg") !== null) ? figures.length : false;
      },
      index,
      { timeout: 60_000 },
    );
    drawn += (await count.jsonValue()) as number;
  }
  return drawn;
}

/** A toolbar button of the notebook in front (by the command it runs). */
async function toolbarButton(commandId: string): Promise<ReturnType<Page["locator"]>> {
  const id = await page.evaluate(() => (window as unknown as LabWindow).jupyterapp.shell.currentWidget!.id);
  return page.locator(`[id="${id}"] .jp-NotebookPanel-toolbar [data-command="${commandId}"]`);
}

function text(cellOutputs: { output_type: string; text?: string; data?: Record<string, unknown> }[]): string {
  return cellOutputs.map((o) => o.text ?? asText(o.data?.["text/plain"])).join("");
}

before(async () => {
  const app = await ensureLabApp();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-lab-test-"));
  const notebooks = path.join(root, "notebooks");
  fs.mkdirSync(notebooks);
  fs.copyFileSync(path.join(PACKAGE_ROOT, "notebooks", LECTURE), path.join(notebooks, LECTURE));
  fs.writeFileSync(path.join(notebooks, "ui.ipynb"), JSON.stringify(scratchNotebook(), null, 1));
  prefix = path.join(root, "prefix");
  const install = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, "dist", "bin", "workbook.js"), "kernel", "install", "--prefix", prefix], { encoding: "utf8" });
  assert.equal(install.status, 0, `workbook kernel install --prefix: ${install.stdout}${install.stderr}`);
  server = await startLabServer({
    appDir: app.dir,
    root: notebooks,
    stateDir: path.join(root, "state"),
    prefix,
    env: { CI: "true", WORKBOOK_HISTORY_FILE: path.join(root, "history.jsonl"), JUPYTER_CONFIG_DIR: path.join(root, "config"), JUPYTER_DATA_DIR: path.join(root, "data") },
  });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // The browser's errors go to the test log (a failing check then says what the page saw).
  page.on("pageerror", (err) => console.log(`[lab page error] ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" && !/api\/events|api\/me|Failed to load resource/.test(msg.text())) console.log(`[lab console] ${msg.text().slice(0, 500)}`);
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test("workbook kernel install --prefix D puts the course's Lab extension in D, and a Lab started on D loads it", { timeout: 120_000 }, async () => {
  const installed = path.join(prefix, "share", "jupyter", "labextensions", LABEXTENSION_NAME);
  const load = (JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as { jupyterlab: { _build: { load: string } } }).jupyterlab._build.load;
  assert.ok(fs.existsSync(path.join(installed, load)), `${load} is installed`);
  await page.goto(`${server!.base}/lab?token=${server!.token}`);
  await page.waitForFunction(() => (window as unknown as LabWindow).jupyterapp !== undefined, undefined, { timeout: 60_000 });
  const seen = await page.evaluate(() => {
    const config = JSON.parse(document.getElementById("jupyter-config-data")!.textContent) as { federated_extensions: { name: string; load: string }[] };
    const app = (window as unknown as LabWindow).jupyterapp;
    return {
      listed: config.federated_extensions.map((e) => `${e.name}/${e.load}`),
      plugins: app.listPlugins().filter((id) => id.startsWith("dl-workbook-labextension:")),
      activated: app.isPluginActivated("dl-workbook-labextension:frontend"),
      widgets: app.hasPlugin("@jupyter-widgets/jupyterlab-manager:plugin"),
      scripts: performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname),
    };
  });
  // jupyterlab_server lists the copy in D (first on JUPYTER_PATH); the page fetched its remoteEntry and registered both plugins.
  assert.ok(seen.listed.includes(`${LABEXTENSION_NAME}/${load}`), `federated_extensions: ${seen.listed.join(", ")}`);
  assert.ok(seen.scripts.includes(`/lab/extensions/${LABEXTENSION_NAME}/${load}`), "the page loaded the extension's remoteEntry");
  assert.deepEqual(seen.plugins.sort(), ["dl-workbook-labextension:frontend", "dl-workbook-labextension:plotly"]);
  assert.ok(seen.activated, "the frontend plugin is activated");
  // The widget manager, installed beside it for pip Labs without jupyterlab_widgets: listed, and
  // its plugin registered (from that copy, or built into the app, which then skips the copy).
  assert.ok(
    seen.listed.some((entry) => entry.startsWith("@jupyter-widgets/jupyterlab-manager/static/remoteEntry.")),
    "the widget manager is listed",
  );
  assert.ok(seen.widgets, "the widget manager's plugin is registered");
});

test("a lecture notebook runs in Lab with no error, its Plotly figures drawn by the course renderer, none of plotly.js saved, drawn again on reopening", { timeout: 420_000 }, async () => {
  await openNotebook(LECTURE);
  await command("notebook:run-all-cells");
  await waitIdle();
  const all = await outputs();
  const errors = all.flatMap((cell, i) => cell.filter((o) => o.output_type === "error").map((o) => `cell ${i}: ${o.ename}: ${o.evalue}`));
  assert.deepEqual(errors, [], "error outputs");
  assert.ok(
    all.some((cell) => cell.some((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined)),
    "the notebook displays at least one Plotly figure",
  );
  // The course extension's renderer (lab/extension/src/index.ts) draws plotly.js's SVG from each figure's JSON.
  const figureCells = all.flatMap((cell, i) => (cell.some((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined) ? [i] : []));
  const figures = await drawnFigures(figureCells);
  // plotly.js came from the federated extension's own chunk, not from the app or the notebook.
  const plotlyChunks = await page.evaluate(() =>
    (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
      .filter((entry) => entry.encodedBodySize > 1_000_000 || entry.decodedBodySize > 1_000_000)
      .map((entry) => new URL(entry.name).pathname),
  );
  assert.ok(
    plotlyChunks.some((p) => p.startsWith(`/lab/extensions/${LABEXTENSION_NAME}/static/`)),
    `plotly.js loaded from the extension: ${plotlyChunks.join(", ")}`,
  );
  await page.screenshot({ path: path.join(ARTIFACTS, "01-adam-run.png"), fullPage: true });

  await command("docmanager:save");
  await page.waitForFunction(() => !((window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel).context.model.dirty, undefined, { timeout: 30_000 });
  const saved = fs.readFileSync(path.join(root, "notebooks", LECTURE), "utf8");
  const nb = JSON.parse(saved) as INotebookContent;
  const outputBytes = nb.cells.reduce((sum, cell) => sum + (cell.cell_type === "code" ? JSON.stringify(cell.outputs).length : 0), 0);
  assert.ok(!saved.includes("plotly.js v"), "the saved notebook carries no plotly.js");
  assert.ok(outputBytes < 1_000_000, `outputs take ${outputBytes} bytes (under 1 MB)`);

  // A fresh page load (the notebook reopened untrusted): figures draw again from the saved JSON.
  await openNotebook(LECTURE);
  assert.equal(await drawnFigures(figureCells), figures, "as many figures drawn after reopening");
  await page.screenshot({ path: path.join(ARTIFACTS, "01-adam-reopened.png"), fullPage: true });
});

test("Lab with the dl-workbook kernel: completion, signature tooltip, input(), interrupt, restart, tensor table and image", { timeout: 300_000 }, async () => {
  await openNotebook("ui.ipynb");
  await runCell(0);
  await waitIdle();

  console.log("lab UI test: completion");
  // Completion after `x.` on an NDArray lists its methods.
  await editCellEnd(1);
  await page.keyboard.press("Tab");
  const completer = page.locator(".jp-Completer:not(.lm-mod-hidden)");
  await completer.waitFor({ state: "visible", timeout: 30_000 });
  const items = await page.locator(".jp-Completer-item .jp-Completer-match").allInnerTexts();
  for (const method of ["reshape", "matmul", "transpose", "sum"]) assert.ok(items.includes(method), `completion lists ${method}: ${items.join(", ")}`);
  await page.screenshot({ path: path.join(ARTIFACTS, "ui-completion.png") });
  await page.keyboard.press("Escape");

  console.log("lab UI test: tooltip");
  // Shift+Tab shows the signature.
  await editCellEnd(2);
  await page.keyboard.press("Shift+Tab");
  const tooltip = page.locator(".jp-Tooltip:not(.lm-mod-hidden)");
  await tooltip.waitFor({ state: "visible", timeout: 30_000 });
  assert.match(await tooltip.innerText(), /reshape/);
  await page.screenshot({ path: path.join(ARTIFACTS, "ui-tooltip.png") });
  await page.keyboard.press("Escape");

  console.log("lab UI test: input");
  // input() shows an input box; the typed answer reaches the cell.
  await runCell(3);
  const box = page.locator(".jp-Stdin-input");
  await box.waitFor({ state: "visible", timeout: 30_000 });
  await box.fill("forty-two");
  await page.screenshot({ path: path.join(ARTIFACTS, "ui-input.png") });
  await box.press("Enter");
  await waitIdle(60_000);
  assert.match(text((await outputs())[3]), /got forty-two/);

  console.log("lab UI test: interrupt");
  // The toolbar's interrupt button stops `while (true) {}`; the next cell sees earlier variables.
  await runCell(4);
  await page.waitForFunction(() => ((window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel).sessionContext.session?.kernel?.status === "busy", undefined, { timeout: 30_000 });
  await page.waitForTimeout(1000);
  await (await toolbarButton("notebook:interrupt-kernel")).click();
  await waitIdle(60_000);
  const interrupted = (await outputs())[4];
  assert.ok(
    interrupted.some((o) => o.output_type === "error"),
    `the interrupted cell ends with an error output: ${JSON.stringify(interrupted)}`,
  );
  await runCell(5);
  await waitIdle(60_000);
  assert.equal(text((await outputs())[5]).trim(), "42");
  await page.screenshot({ path: path.join(ARTIFACTS, "ui-interrupt.png"), fullPage: true });

  console.log("lab UI test: restart");
  // Restart: the toolbar's restart button, confirmed in the dialog; the kernel forgets `counter`.
  await (await toolbarButton("notebook:restart-kernel")).click();
  await page.locator(".jp-Dialog .jp-mod-accept").click();
  await page.waitForTimeout(1000);
  await page.waitForFunction(() => ((window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel).sessionContext.session?.kernel?.status === "idle", undefined, { timeout: 60_000 });
  await runCell(5);
  await waitIdle(60_000);
  const afterRestart = await page.evaluate(() => {
    const cell = ((window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel).content.widgets[5];
    const json = cell.model.toJSON() as { execution_count?: number | null; outputs?: { output_type: string; evalue?: string }[] };
    return { count: json.execution_count, errors: (json.outputs ?? []).filter((o) => o.output_type === "error").map((o) => o.evalue ?? "") };
  });
  assert.equal(afterRestart.count, 1, "the restarted kernel counts from 1");
  assert.match(afterRestart.errors.join("\n"), /Cannot find name 'counter'/, "the restarted kernel no longer knows `counter`");
  await page.screenshot({ path: path.join(ARTIFACTS, "ui-restart.png"), fullPage: true });

  // A tensor table and an image-shaped tensor (shown as a PNG).
  console.log("lab UI test: tensor displays");
  await runCell(6);
  await waitIdle(120_000);
  const shown = await page.evaluate(() => {
    const cell = ((window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel).content.widgets[6].node;
    return { table: cell.querySelector("table.dl-workbook-tensor")?.textContent ?? "", png: cell.querySelector('[data-mime-type="image/png"] img') !== null };
  });
  assert.match(shown.table, /1[\s\S]*2[\s\S]*3[\s\S]*4/, "the 2-D tensor shows as a table");
  assert.ok(shown.png, "the [16, 16, 3] tensor shows as an image");
  await page.screenshot({ path: path.join(ARTIFACTS, "ui-tensors.png"), fullPage: true });
});

/** Writes a notebook of code cells (ids `<prefix>-<i>`) into the served directory. */
function writeNotebook(file: string, prefix: string, cells: string[]): void {
  const nb: INotebookContent = { ...scratchNotebook(), cells: cells.map((source, i) => ({ cell_type: "code", id: `${prefix}-${i}`, source, metadata: {}, outputs: [], execution_count: null })) };
  fs.writeFileSync(path.join(root, "notebooks", file), JSON.stringify(nb, null, 1));
}

/** The SVG path of the first Plotly line in cell `index` (what the student sees of the figure), or "" when none is drawn. */
async function plottedLine(index: number): Promise<string> {
  return page.evaluate((index) => {
    const cell = ((window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel).content.widgets[index].node;
    return cell.querySelector(".main-svg .scatterlayer .js-line")?.getAttribute("d") ?? "";
  }, index);
}

test("widgets in Lab: a slider drawn by the widget manager; moving it redraws the figure and changes the kernel-side value", { timeout: 300_000 }, async () => {
  writeNotebook("widgets.ipynb", "widgets", [
    'import { slider, interact } from "dl-workbook/widgets";\nimport { linePlot } from "dl-workbook/plot";\nconst beta = slider({ min: 0.5, max: 0.99, step: 0.01, value: 0.9, description: "beta" });\ninteract(({ beta }) => linePlot({ name: "beta^t", y: Array.from({ length: 30 }, (_, t) => beta ** t) }), { beta })',
    "beta.value",
  ]);
  await openNotebook("widgets.ipynb");
  // Only this notebook's widgets (notebook 1, open in another tab, has sliders too).
  const panel = `[id="${await page.evaluate(() => (window as unknown as LabWindow).jupyterapp.shell.currentWidget!.id)}"]`;
  await runCell(0);
  await waitIdle(120_000);
  const handle = page.locator(`${panel} .jupyter-widgets.widget-slider .noUi-handle`).first();
  await handle.waitFor({ state: "visible", timeout: 60_000 });
  // The figure is drawn inside the interact's Output widget.
  await page.waitForFunction((panel) => document.querySelector(`${panel} .widget-output .main-svg .scatterlayer .js-line`) !== null, panel, { timeout: 60_000 });
  const before = await plottedLine(0);
  const readoutBefore = await page.locator(`${panel} .widget-readout`).first().innerText();
  await page.screenshot({ path: path.join(ARTIFACTS, "widgets-before.png"), fullPage: true });

  // The student drags the slider's handle to about 0.95. (The arrow keys on a focused handle do not
  // reach the slider in Lab 4's command mode: ArrowRight is bound there to
  // notebook:move-cursor-heading-below-or-expand for any focused element.)
  const track = (await page.locator(`${panel} .widget-slider .noUi-target`).first().boundingBox())!;
  const from = (await handle.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(track.x + (track.width * (0.95 - 0.5)) / (0.99 - 0.5), from.y + from.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(
    ([panel, before]) => {
      const line = document.querySelector(`${panel} .widget-output .main-svg .scatterlayer .js-line`)?.getAttribute("d");
      return line !== undefined && line !== null && line !== before;
    },
    [panel, before] as const,
    { timeout: 60_000 },
  );
  await waitIdle(60_000);
  const readoutAfter = (await page.locator(`${panel} .widget-readout`).first().innerText()).trim();
  assert.notEqual(await plottedLine(0), before, "the figure was redrawn");
  assert.equal(readoutBefore.trim(), "0.90");
  assert.notEqual(readoutAfter, "0.90", "the slider moved");
  await page.screenshot({ path: path.join(ARTIFACTS, "widgets-after.png"), fullPage: true });

  // The kernel-side value followed the slider: printed by the next cell, it reads as the slider's readout (format .2f).
  await runCell(1);
  await waitIdle(60_000);
  const value = Number(text((await outputs())[1]));
  assert.equal(value.toFixed(2), readoutAfter, `beta.value is ${value}; the slider reads ${readoutAfter}`);
  const errors = (await outputs()).flatMap((cell, i) => cell.filter((o) => o.output_type === "error").map((o) => `cell ${i}: ${o.ename}: ${o.evalue}`));
  assert.deepEqual(errors, [], "error outputs");
});

test("a training cell's progress display updates in place: one output, updated, never appended", { timeout: 300_000 }, async () => {
  writeNotebook("progress.ipynb", "progress", [
    'import { buildModel, referenceSpec, train } from "dl-workbook/cnn";\nimport { loadMnist, take } from "dl-workbook/data";\nconst mnist = loadMnist({ seed: 0 });\nconst history = await train(buildModel(referenceSpec(), { seed: 0 }), { train: take(mnist.train, 640) }, { epochs: 3, batchSize: 64, seed: 0 });\nundefined',
  ]);
  await openNotebook("progress.ipynb");
  await runCell(0);
  // Sample the cell's outputs while it trains: how many there are, and what the progress says.
  const counts: number[] = [];
  const texts = new Set<string>();
  const deadline = Date.now() + 240_000;
  for (;;) {
    const cell = (await outputs())[0];
    counts.push(cell.length);
    for (const o of cell) texts.add(asText(o.data?.["text/plain"]));
    const idle = await page.evaluate(() => {
      const panel = (window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel;
      return panel.sessionContext.session?.kernel?.status === "idle" && !Array.from(panel.content.node.querySelectorAll(".jp-InputPrompt")).some((p) => p.textContent?.includes("*"));
    });
    if (idle && counts.length > 1) break;
    if (Date.now() > deadline) assert.fail("the training cell did not finish within 240 s");
    await page.waitForTimeout(200);
  }
  const final = (await outputs())[0];
  await page.screenshot({ path: path.join(ARTIFACTS, "training-progress.png"), fullPage: true });
  assert.equal(final.filter((o) => o.output_type === "error").length, 0, JSON.stringify(final).slice(0, 2000));
  assert.equal(final.length, 1, `one output at the end: ${final.map((o) => o.output_type).join(", ")}`);
  assert.ok(Math.max(...counts) <= 1, `never more than one output while training (counts seen: ${[...new Set(counts)].join(", ")})`);
  assert.ok(texts.size >= 2, `the one output changed while training (${texts.size} distinct texts: ${[...texts].map((t) => t.slice(0, 80)).join(" | ")})`);
});

test("an assignment notebook (the instructor's source, solutions in) opens in Lab and Run All gives no error output", { timeout: 420_000 }, async () => {
  const source = path.join(PACKAGE_ROOT, "assignments", "01-adam", "01-adam.source.ipynb");
  fs.copyFileSync(source, path.join(root, "notebooks", "01-adam.source.ipynb"));
  await openNotebook("01-adam.source.ipynb");
  await command("notebook:run-all-cells");
  await waitIdle();
  const all = await outputs();
  const errors = all.flatMap((cell, i) => cell.filter((o) => o.output_type === "error").map((o) => `cell ${i}: ${o.ename}: ${o.evalue}`));
  assert.deepEqual(errors, [], "error outputs");
  assert.ok(
    all.some((cell) => cell.length > 0),
    "the cells produced outputs",
  );
  await page.screenshot({ path: path.join(ARTIFACTS, "assignment-01-adam.png"), fullPage: true });
});
