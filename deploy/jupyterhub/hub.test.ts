/**
 * The class deployment on JupyterHub (deploy/jupyterhub/jupyterhub_config.py), end to end: Debian's
 * jupyterhub 3.0 on a free port with its local process spawner and the dummy authenticator, two
 * students created with useradd, each student's server spawned through the Hub's REST API, the
 * lecture notebook 01-adam.ipynb (the copy in the student's home) run cell by cell in each
 * student's dl-workbook kernel over the kernel websocket through the Hub's proxy, each student's
 * server serving the course's Lab (front end built once with `workbook lab --build-only --out`,
 * the course extension from the system-wide prefix; in headless Chromium a student logs in, opens
 * the lecture in Lab and a Plotly figure is drawn by the course extension), and everything
 * stopped: no Hub, proxy, server or kernel left, the users removed.
 *
 * The websocket client is @jupyterlab/services (already a dependency: the client JupyterLab itself
 * uses; under Node it speaks through the `ws` package it depends on), not kernel/client, which
 * talks ZeroMQ to a kernel process it starts itself.
 *
 * Needs root (useradd; the spawner switches to each student's uid) and `apt-get install jupyterhub`;
 * skipped with the reason otherwise. 34 to 79 s on a shared 2-core machine.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ChildProcess, spawn, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KernelManager, KernelMessage, ServerConnection, SessionManager } from "@jupyterlab/services";
import type { IOutput } from "@jupyterlab/nbformat";
import { chromium } from "playwright-core";
import type { JupyterLab } from "@jupyterlab/application";
import type { NotebookPanel } from "@jupyterlab/notebook";
import { PACKAGE_ROOT } from "../../kernel/info";
import { LABEXTENSION_NAME } from "../../kernel/labextension";
import { OutputCollector } from "../../kernel/client/outputs";
import { asText, type WireMessage } from "../../kernel/wire";
import { freePort } from "../../kernel/client/connection";

const CONFIG = path.join(PACKAGE_ROOT, "deploy", "jupyterhub", "jupyterhub_config.py");
const LECTURE = "dl-workbook/notebooks/01-adam.ipynb";
const SECRET = path.join(PACKAGE_ROOT, "assignments", "01-adam", "01-adam.grading.json");
/** The lecture's first code cell with a Plotly figure (the bias-correction ratio over t). */
const PLOTLY_CELL = 6;
const ARTIFACTS = path.join(PACKAGE_ROOT, "artifacts", "hub");
/** The per-process address-space limit jupyterhub_config.py sets with prlimit (8 GiB). */
const ADDRESS_SPACE_BYTES = 8 * 1024 ** 3;

function which(command: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Why this test cannot run here, or undefined when it can. */
function skipReason(): string | undefined {
  if (process.platform !== "linux") return "JupyterHub's local process spawner test runs on Linux only";
  if (process.getuid?.() !== 0) return "needs root: the local process spawner starts each student's server as a real system user (useradd), as CI does";
  if (!fs.existsSync("/usr/bin/jupyterhub")) return "Debian's jupyterhub is not installed (apt-get install jupyterhub)";
  if (!fs.existsSync("/usr/bin/chromium")) return "Debian's chromium is not installed (apt-get install chromium): the test opens a student's Lab in it";
  for (const tool of ["useradd", "userdel", "runuser", "prlimit", "pgrep"]) {
    if (!which(tool)) return `${tool} is missing (Debian's passwd, util-linux and procps provide it)`;
  }
  if (spawnSync("runuser", ["-u", "nobody", "--", process.execPath, "--version"]).status !== 0) {
    return `${process.execPath} cannot be run by other users: the kernelspec names this node, and students' kernels run it; install Node where every account can run it (e.g. /usr/bin/node)`;
  }
  const kernelMain = path.join(PACKAGE_ROOT, "dist", "kernel", "main.js");
  if (spawnSync("runuser", ["-u", "nobody", "--", "test", "-r", kernelMain]).status !== 0) {
    return `${kernelMain} is not readable by other users (a folder above ${PACKAGE_ROOT} lacks o+x): students' kernels run the package from there; check out the course under a world-readable folder`;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Process ids owned by a user (pgrep -u), empty when none. */
function processesOf(user: string): number[] {
  const found = spawnSync("pgrep", ["-u", user], { encoding: "utf8" });
  return found.stdout.split("\n").filter(Boolean).map(Number);
}

/** Waits up to 10 s for the user's processes to end (a kernel finishing its shutdown); fails naming those left. */
async function noProcessesLeft(user: string, when: string): Promise<void> {
  const started = Date.now();
  while (processesOf(user).length > 0 && Date.now() - started < 10_000) await sleep(250);
  const left = processesOf(user);
  const listing = left.length > 0 ? spawnSync("ps", ["-o", "pid,ppid,etime,args", "-p", left.join(",")], { encoding: "utf8" }).stdout : "";
  assert.deepEqual(left, [], `${user} still has processes ${when}:\n${listing}`);
  console.log(`hub test: ${user}'s processes ended ${Date.now() - started} ms ${when}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The students' server settings jupyterhub_config.py (loaded through `overlay`, as the Hub loads it) makes under `env`. */
function spawnerSettings(overlay: string, env: NodeJS.ProcessEnv): { app: string; url: string; idle: string[]; lab: string[] } {
  const script = [
    "import json, sys",
    "from traitlets.config.loader import PyFileConfigLoader",
    "c = PyFileConfigLoader(sys.argv[1]).load_config()",
    "args = list(c.Spawner.args)",
    'print(json.dumps({"app": c.Spawner.environment["JUPYTERHUB_SINGLEUSER_APP"], "url": c.Spawner.default_url,',
    '  "idle": [a for a in args if "shutdown_no_activity" in a], "lab": [a for a in args if "LabServerApp" in a or "jpserver" in a]}))',
  ].join("\n");
  const loaded = spawnSync("/usr/bin/python3", ["-c", script, overlay], { env, encoding: "utf8" });
  assert.equal(loaded.status, 0, `loading ${overlay}: ${loaded.stderr}`);
  return JSON.parse(loaded.stdout) as { app: string; url: string; idle: string[]; lab: string[] };
}

/** Everything the test started, so that `finally` can remove it whatever failed. */
interface Started {
  dir: string;
  users: string[];
  hub?: ChildProcess;
  modes: Map<string, number>;
}

/** A JSON request to the Hub (REST API under /hub/api or a user's server under /user/NAME). */
async function hubRequest(base: string, token: string, method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { Authorization: `token ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (an HTML error page): keep the text for the assertion message
  }
  return { status: response.status, json };
}

interface ServerModel {
  ready: boolean;
  pending: string | null;
  url: string;
  state?: { pid?: number };
}

/** Waits until the Hub reports the user's default server ready (or gone, with `stopped`). */
async function waitForServer(base: string, token: string, user: string, want: "ready" | "stopped", timeoutMs: number): Promise<ServerModel | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, json } = await hubRequest(base, token, "GET", `/hub/api/users/${user}`);
    assert.equal(status, 200, `GET /hub/api/users/${user}: ${JSON.stringify(json)}`);
    const server = (json as { servers: Record<string, ServerModel> }).servers[""];
    if (want === "ready" && server?.ready) return server;
    if (want === "stopped" && server === undefined) return undefined;
    if (Date.now() > deadline) assert.fail(`${user}'s server is not ${want} after ${timeoutMs / 1000} s: ${JSON.stringify(server)}`);
    await sleep(250);
  }
}

/** One executed code cell. */
interface CellRun {
  index: number;
  status: string;
  outputs: IOutput[];
}

function outputText(outputs: IOutput[]): string {
  return outputs
    .map((o) => {
      if (o.output_type === "stream") return asText(o.text);
      if (o.output_type === "error") return `${asText(o.ename)}: ${asText(o.evalue)}`;
      const data = (o as { data?: Record<string, unknown> }).data ?? {};
      const plain = data["text/plain"];
      return asText(plain);
    })
    .join("\n");
}

/**
 * Runs a notebook's code cells in order in a new session of the user's server, through the Hub's
 * proxy: REST for the session, the kernel websocket for execute_request/iopub. Stops at the first
 * cell that does not reply "ok", like a notebook run.
 */
async function runOnHub(base: string, user: string, token: string, notebook: string, extraCells: string[]): Promise<{ kernelName: string; codeCells: number; cells: CellRun[]; extra: CellRun[]; ms: number }> {
  const serverSettings = ServerConnection.makeSettings({ baseUrl: `${base}/user/${user}/`, token });
  const contents = await hubRequest(base, token, "GET", `/user/${user}/api/contents/${notebook}?content=1`);
  assert.equal(contents.status, 200, `GET ${notebook} from ${user}'s server: ${JSON.stringify(contents.json).slice(0, 300)}`);
  const nb = (contents.json as { content: { cells: { cell_type: string; source: string | string[] }[] } }).content;
  const kernelManager = new KernelManager({ serverSettings });
  const sessionManager = new SessionManager({ serverSettings, kernelManager });
  const started = Date.now();
  try {
    const session = await sessionManager.startNew(
      { path: notebook, name: path.basename(notebook), type: "notebook", kernel: { name: "dl-workbook" } },
      // The widget cells open comms (jupyter.widget) that no front end handles here.
      { kernelConnectionOptions: { handleComms: false } },
    );
    const kernel = session.kernel;
    assert.ok(kernel, `${user}: the session for ${notebook} has no kernel`);
    const execute = async (code: string, index: number): Promise<CellRun> => {
      const collector = new OutputCollector();
      const future = kernel.requestExecute({ code, stop_on_error: true });
      future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
        const wire: WireMessage = {
          identities: [],
          header: msg.header,
          parent_header: msg.parent_header,
          metadata: msg.metadata,
          content: msg.content as unknown as Record<string, unknown>,
          buffers: [],
        };
        collector.add(wire);
      };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${user}: cell ${index} of ${notebook} gave no execute_reply within 120 s`)), 120_000);
      });
      try {
        const reply = await Promise.race([future.done, timeout]);
        return { index, status: reply.content.status, outputs: collector.outputs };
      } finally {
        clearTimeout(timer);
      }
    };
    const cells: CellRun[] = [];
    for (const [index, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const run = await execute(Array.isArray(cell.source) ? cell.source.join("") : cell.source, index);
      cells.push(run);
      if (run.status !== "ok") break;
    }
    const extra: CellRun[] = [];
    for (const [i, code] of extraCells.entries()) extra.push(await execute(code, nb.cells.length + i));
    const kernelName = kernel.name;
    await session.shutdown();
    return { kernelName, codeCells: nb.cells.filter((cell) => cell.cell_type === "code").length, cells, extra, ms: Date.now() - started };
  } finally {
    sessionManager.dispose();
    kernelManager.dispose();
  }
}

/** A cell that reports, as one JSON line, who runs the kernel and what it may read. */
function probeCell(otherHome: string): string {
  return [
    'import * as fs from "fs";',
    'import * as os from "os";',
    'const tryRead = (file: string): string => { try { fs.readFileSync(file); return "read"; } catch (e) { return String((e as NodeJS.ErrnoException).code); } };',
    'const tryList = (dir: string): string => { try { fs.readdirSync(dir); return "listed"; } catch (e) { return String((e as NodeJS.ErrnoException).code); } };',
    'const limit = /^Max address space\\s+(\\d+)/m.exec(fs.readFileSync("/proc/self/limits", "utf8"));',
    "console.log(JSON.stringify({",
    "  user: os.userInfo().username,",
    "  ci: process.env.CI,",
    "  addressSpace: limit ? Number(limit[1]) : null,",
    `  otherNotebook: tryRead(${JSON.stringify(path.join(otherHome, LECTURE))}),`,
    `  otherHome: tryList(${JSON.stringify(otherHome)}),`,
    `  solutions: tryRead(${JSON.stringify(SECRET)}),`,
    "  rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),",
    "}));",
  ].join("\n");
}

interface Probe {
  user: string;
  ci: string;
  addressSpace: number | null;
  otherNotebook: string;
  otherHome: string;
  solutions: string;
  /** The kernel's resident memory after the notebook, in MiB (reported, not checked beyond > 0). */
  rssMB: number;
}

/** The page's globals the browser check reads (the course app's page config sets exposeAppInBrowser). */
interface LabWindow {
  jupyterapp: JupyterLab;
}

/** The built course extension's remoteEntry, as `workbook kernel install` copied it into `labextensions`. */
function installedRemoteEntry(labextensions: string): { load: string; file: string } {
  const dir = path.join(labextensions, LABEXTENSION_NAME);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { jupyterlab: { _build: { load: string } } };
  return { load: pkg.jupyterlab._build.load, file: path.join(dir, pkg.jupyterlab._build.load) };
}

/**
 * The student's /user/NAME/lab answers with the course's Lab page, whose page config lists the
 * course extension with the remoteEntry installed in `labextensions` (the system-wide prefix), and
 * the server serves that file byte for byte.
 */
async function checkLabPage(base: string, user: string, token: string, labextensions: string): Promise<void> {
  const headers = { Authorization: `token ${token}` };
  const page = await fetch(`${base}/user/${user}/lab`, { headers });
  assert.equal(page.status, 200, `GET /user/${user}/lab`);
  const html = await page.text();
  const json = /<script id="jupyter-config-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1];
  assert.ok(json, `/user/${user}/lab has no page config:\n${html.slice(0, 500)}`);
  const config = JSON.parse(json) as { appName: string; baseUrl: string; federated_extensions: { name: string; load: string }[] };
  assert.equal(config.appName, "DL Workbook Lab", "the course's Lab app, not another JupyterLab");
  assert.equal(config.baseUrl, `/user/${user}/`);
  const { load, file } = installedRemoteEntry(labextensions);
  const listed = config.federated_extensions.find((e) => e.name === LABEXTENSION_NAME);
  assert.deepEqual(listed && { name: listed.name, load: listed.load }, { name: LABEXTENSION_NAME, load }, `federated_extensions: ${JSON.stringify(config.federated_extensions)}`);
  const served = await fetch(`${base}/user/${user}/lab/extensions/${LABEXTENSION_NAME}/${load}`, { headers });
  assert.equal(served.status, 200);
  assert.equal(await served.text(), fs.readFileSync(file, "utf8"), `the served ${load} is not the copy in ${labextensions}`);
}

/**
 * As the student in headless Chromium, through the Hub's proxy: logs in at /hub/login, lands in
 * Lab on the course folder, opens the lecture, runs its cells up to the first Plotly figure (cell
 * 6, the bias-correction ratio) and waits for plotly.js's SVG drawn by the course extension,
 * whose plotly.js chunk came from /user/NAME/lab/extensions/. A screenshot goes to artifacts/hub/.
 */
async function labInBrowser(base: string, user: string, password: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on("pageerror", (err) => console.log(`[hub lab page error] ${err.message}`));
    await page.goto(`${base}/hub/login`);
    await page.fill("#username_input", user);
    await page.fill("#password_input", password);
    await Promise.all([page.waitForURL(new RegExp(`/user/${user}/lab/tree/dl-workbook(\\?.*)?$`), { timeout: 60_000 }), page.click("#login_submit")]);
    await page.goto(`${base}/user/${user}/lab/tree/${LECTURE}`);
    await page.waitForFunction(
      (name) => {
        const app = (window as unknown as LabWindow).jupyterapp;
        const panel = app?.shell.currentWidget as NotebookPanel | null;
        return panel?.context?.path === name && panel.sessionContext.session?.kernel?.status === "idle";
      },
      LECTURE,
      { timeout: 90_000 },
    );
    // Cells 0 to 6 (the "run all above" command of the menu, from cell 7), then wait for the kernel.
    await page.evaluate((plotlyCell) => {
      const app = (window as unknown as LabWindow).jupyterapp;
      (app.shell.currentWidget as NotebookPanel).content.activeCellIndex = plotlyCell + 1;
      return app.commands.execute("notebook:run-all-above");
    }, PLOTLY_CELL);
    await page.waitForFunction(
      () => {
        const panel = (window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel;
        if (panel.sessionContext.session?.kernel?.status !== "idle") return false;
        return !Array.from(panel.content.node.querySelectorAll(".jp-InputPrompt")).some((p) => p.textContent?.includes("*"));
      },
      undefined,
      { timeout: 120_000 },
    );
    const ran = await page.evaluate(async (plotlyCell) => {
      const panel = (window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel;
      await panel.content.scrollToItem(plotlyCell, "start");
      return panel.content.widgets.slice(0, plotlyCell + 1).map((cell) => JSON.stringify((cell.model.toJSON() as { outputs?: unknown[] }).outputs ?? []));
    }, PLOTLY_CELL);
    assert.ok(!ran.some((o) => o.includes('"output_type":"error"')), `an error output in Lab: ${ran.find((o) => o.includes('"output_type":"error"'))?.slice(0, 500)}`);
    assert.match(ran[PLOTLY_CELL], /step 1: ratio 3\.162/);
    assert.match(ran[PLOTLY_CELL], /application\/vnd\.plotly\.v1\+json/);
    await page.waitForFunction(
      (plotlyCell) => {
        const cell = ((window as unknown as LabWindow).jupyterapp.shell.currentWidget as NotebookPanel).content.widgets[plotlyCell].node;
        return cell.querySelector(".dl-workbook-lab-plotly .main-svg") !== null;
      },
      PLOTLY_CELL,
      { timeout: 60_000 },
    );
    const chunks = await page.evaluate(() => (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((e) => e.decodedBodySize > 1_000_000).map((e) => new URL(e.name).pathname));
    assert.ok(
      chunks.some((p) => p.startsWith(`/user/${user}/lab/extensions/${LABEXTENSION_NAME}/static/`)),
      `plotly.js came from the course extension: ${chunks.join(", ")}`,
    );
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "lab-01-adam.png") });
  } finally {
    await browser.close();
  }
}

const reason = skipReason();

test(
  "the class on JupyterHub: two students' servers spawned through the REST API run 01-adam in their dl-workbook kernels over the proxy's websocket, isolated, then everything stops",
  { skip: reason, timeout: 300_000 },
  async (t) => {
    const suffix = randomBytes(3).toString("hex");
    const started: Started = { dir: fs.mkdtempSync(path.join(os.tmpdir(), "workbook-hub-")), users: [], modes: new Map() };
    const users = [`wbhub${suffix}a`, `wbhub${suffix}b`];
    const timings: Record<string, number> = {};
    const t0 = Date.now();
    try {
      // Homes live under the test's folder, which students must be able to enter.
      fs.chmodSync(started.dir, 0o755);
      const homes = new Map<string, string>();
      for (const user of users) {
        const home = path.join(started.dir, "home", user);
        fs.mkdirSync(path.dirname(home), { recursive: true, mode: 0o755 });
        const added = spawnSync("useradd", ["--create-home", "--home-dir", home, "--shell", "/bin/bash", "--comment", "dl-workbook hub test", user], { encoding: "utf8" });
        assert.equal(added.status, 0, `useradd ${user}: ${added.stderr}`);
        started.users.push(user);
        homes.set(user, home);
      }

      // The kernelspec, with the README's command line, into a prefix the Hub's JUPYTER_PATH names
      // (the test leaves /usr/local alone); jupyterhub_config.py passes JUPYTER_PATH to the servers.
      const prefix = path.join(started.dir, "prefix");
      const install = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, "dist", "bin", "workbook.js"), "kernel", "install", "--prefix", prefix], { encoding: "utf8" });
      assert.equal(install.status, 0, `workbook kernel install --prefix ${prefix}: ${install.stderr}`);
      fs.chmodSync(prefix, 0o755);
      // The Lab front end, built once by the admin with the README's command into a folder every
      // student reads (the Hub's WORKBOOK_LAB_APP names it; the README's default is /usr/local/share/dl-workbook/lab).
      const labApp = path.join(started.dir, "lab-app");
      const buildStarted = Date.now();
      const built = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, "dist", "bin", "workbook.js"), "lab", "--build-only", "--out", labApp], { encoding: "utf8" });
      assert.equal(built.status, 0, `workbook lab --build-only --out ${labApp}: ${built.stdout}${built.stderr}`);
      timings.labBuildMs = Date.now() - buildStarted;

      const [port, hubPort, apiPort] = [await freePort(), await freePort(), await freePort()];
      const adminToken = randomBytes(24).toString("hex");
      const password = randomBytes(12).toString("hex");
      const overlay = path.join(started.dir, "jupyterhub_config.py");
      fs.writeFileSync(
        overlay,
        [
          "c = get_config()  # noqa",
          `load_subconfig(${JSON.stringify(CONFIG)})`,
          'c.JupyterHub.authenticator_class = "dummy"',
          `c.DummyAuthenticator.password = ${JSON.stringify(password)}`,
          `c.Authenticator.allowed_users = {${users.map((u) => JSON.stringify(u)).join(", ")}}`,
          `c.JupyterHub.bind_url = "http://127.0.0.1:${port}"`,
          'c.JupyterHub.hub_ip = "127.0.0.1"',
          `c.JupyterHub.hub_port = ${hubPort}`,
          `c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:${apiPort}"`,
          `c.JupyterHub.db_url = "sqlite:///${path.join(started.dir, "jupyterhub.sqlite")}"`,
          `c.JupyterHub.cookie_secret_file = ${JSON.stringify(path.join(started.dir, "jupyterhub_cookie_secret"))}`,
          `c.JupyterHub.services = [{"name": "workbook-test", "api_token": ${JSON.stringify(adminToken)}}]`,
          'c.JupyterHub.load_roles = [{"name": "workbook-test", "scopes": ["admin:users", "admin:servers", "tokens"], "services": ["workbook-test"]}]',
          'c.Spawner.environment["CI"] = "true"',
          "",
        ].join("\n"),
        { mode: 0o600 },
      );
      const hubEnv: NodeJS.ProcessEnv = { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8", HOME: started.dir, JUPYTER_PATH: path.join(prefix, "share", "jupyter"), WORKBOOK_LAB_APP: labApp };
      const hubLog = path.join(started.dir, "hub.log");
      const startHub = (env: NodeJS.ProcessEnv = hubEnv): ChildProcess => {
        const out = fs.openSync(hubLog, "a");
        const hub = spawn("/usr/bin/jupyterhub", ["-f", overlay], { cwd: started.dir, env, stdio: ["ignore", out, out] });
        fs.closeSync(out);
        return hub;
      };
      const logTail = () => fs.readFileSync(hubLog, "utf8").split("\n").slice(-40).join("\n");

      // 1. The Hub refuses to start while students could read the solutions in assignments/.
      const secrets = fs.readdirSync(path.join(PACKAGE_ROOT, "assignments")).flatMap((dir) =>
        fs
          .readdirSync(path.join(PACKAGE_ROOT, "assignments", dir))
          .filter((f) => f.endsWith(".source.ipynb") || f.endsWith(".grading.json"))
          .map((f) => path.join(PACKAGE_ROOT, "assignments", dir, f)),
      );
      assert.ok(secrets.includes(SECRET), `${SECRET} is missing`);
      for (const file of secrets) started.modes.set(file, fs.statSync(file).mode & 0o7777);
      fs.chmodSync(SECRET, 0o644);
      const refused = startHub();
      const refusedCode = await new Promise<number | null>((resolve) => refused.once("exit", (code) => resolve(code)));
      assert.equal(refusedCode, 1, `jupyterhub with readable solutions exited with ${refusedCode}, not 1:\n${logTail()}`);
      assert.match(fs.readFileSync(hubLog, "utf8"), /readable by students[^\n]*Run: chmod go-rwx/);
      // The README's command: chmod go-rwx assignments/*/*.source.ipynb assignments/*/*.grading.json
      for (const file of secrets) fs.chmodSync(file, fs.statSync(file).mode & 0o700);
      // ... and while the Lab front end is not built where the config looks, naming the command.
      const noLab = startHub({ ...hubEnv, WORKBOOK_LAB_APP: path.join(started.dir, "no-lab-app") });
      const noLabCode = await new Promise<number | null>((resolve) => noLab.once("exit", (code) => resolve(code)));
      assert.equal(noLabCode, 1, `jupyterhub without the Lab front end exited with ${noLabCode}, not 1:\n${logTail()}`);
      assert.match(fs.readFileSync(hubLog, "utf8"), /Lab front end is not built in [^\n]*no-lab-app\. Run: node [^\n]*workbook\.js lab --build-only --out /);
      // The switch to the classic Notebook (README): the servers' app, URL and idle setting, read from the config as the Hub loads it.
      assert.deepEqual(spawnerSettings(overlay, { ...hubEnv, WORKBOOK_HUB_UI: "notebook" }), {
        app: "notebook.notebookapp.NotebookApp",
        url: "/tree/dl-workbook",
        idle: ["--NotebookApp.shutdown_no_activity_timeout=7200"],
        lab: [],
      });
      assert.deepEqual(spawnerSettings(overlay, hubEnv), {
        app: "jupyter_server.serverapp.ServerApp",
        url: "/lab/tree/dl-workbook",
        idle: ["--ServerApp.shutdown_no_activity_timeout=7200"],
        lab: [
          "--ServerApp.jpserver_extensions=jupyterlab_server=True",
          ...["app_settings_dir=settings", "schemas_dir=schemas", "static_dir=static", "templates_dir=templates", "themes_dir=themes"].map((d) => `--LabServerApp.${d.replace("=", `=${labApp}/`)}`),
        ],
      });

      // 2. The Hub and its proxy.
      const hubStarted = Date.now();
      started.hub = startHub();
      const hub = started.hub;
      let hubExit: number | null | undefined;
      hub.once("exit", (code) => (hubExit = code));
      const base = `http://127.0.0.1:${port}`;
      for (;;) {
        if (hubExit !== undefined) assert.fail(`jupyterhub exited with ${hubExit} while starting:\n${logTail()}`);
        const up = await hubRequest(base, adminToken, "GET", "/hub/api/users").catch(() => undefined);
        if (up?.status === 200) break;
        if (Date.now() - hubStarted > 60_000) assert.fail(`jupyterhub did not answer on ${base} within 60 s:\n${logTail()}`);
        await sleep(200);
      }
      timings.hubStartMs = Date.now() - hubStarted;
      const proxyPid = Number(fs.readFileSync(path.join(started.dir, "jupyterhub-proxy.pid"), "utf8"));
      assert.ok(isAlive(proxyPid), "configurable-http-proxy is not running");

      // 3. Each student's server through the REST API; a token for each student.
      const spawnStarted = Date.now();
      for (const user of users) {
        const spawned = await hubRequest(base, adminToken, "POST", `/hub/api/users/${user}/server`);
        assert.ok(spawned.status === 201 || spawned.status === 202, `POST /hub/api/users/${user}/server: ${spawned.status} ${JSON.stringify(spawned.json)}\n${logTail()}`);
      }
      const serverPids: number[] = [];
      for (const user of users) serverPids.push((await waitForServer(base, adminToken, user, "ready", 90_000))?.state?.pid ?? 0);
      timings.spawnBothMs = Date.now() - spawnStarted;
      // The single-user server's resident memory (the Notebook server, before any kernel), in MiB.
      const vmRss = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
      timings.server_rss_mb = Math.round(vmRss(serverPids[0]));
      const tokens = new Map<string, string>();
      for (const user of users) {
        const created = await hubRequest(base, adminToken, "POST", `/hub/api/users/${user}/tokens`, { note: "hub.test", expires_in: 600 });
        assert.equal(created.status, 201, `POST /hub/api/users/${user}/tokens: ${JSON.stringify(created.json)}`);
        tokens.set(user, (created.json as { token: string }).token);
      }

      // The pre-spawn copy: every lecture and student notebook, no solution file, a private home.
      for (const user of users) {
        const home = homes.get(user) as string;
        assert.equal(fs.statSync(home).mode & 0o777, 0o700, `${home} is not private after the spawn`);
        const copied = spawnSync("find", [path.join(home, "dl-workbook"), "-type", "f"], { encoding: "utf8" })
          .stdout.split("\n")
          .filter(Boolean);
        const lectures = fs.readdirSync(path.join(PACKAGE_ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
        const assignments = fs.readdirSync(path.join(PACKAGE_ROOT, "assignments"));
        assert.equal(copied.length, lectures.length + assignments.length, `${user}'s copy: ${copied.join(", ")}`);
        for (const f of lectures) assert.ok(copied.includes(path.join(home, "dl-workbook", "notebooks", f)), `${user} lacks notebooks/${f}`);
        for (const a of assignments) assert.ok(copied.includes(path.join(home, "dl-workbook", "assignments", a, `${a}.ipynb`)), `${user} lacks assignments/${a}/${a}.ipynb`);
        assert.ok(!copied.some((f) => f.endsWith(".source.ipynb") || f.endsWith(".grading.json")), `${user} received a solution file`);
        assert.equal(fs.statSync(path.join(home, LECTURE)).uid, fs.statSync(home).uid, `${user}'s ${LECTURE} is not owned by ${user}`);
      }

      // 4. The lecture notebook in both students' kernels at once, over the websocket.
      const runStarted = Date.now();
      const runs = await Promise.all(users.map((user, i) => runOnHub(base, user, tokens.get(user) as string, LECTURE, [probeCell(homes.get(users[1 - i]) as string)])));
      timings.runBothMs = Date.now() - runStarted;
      for (const [i, run] of runs.entries()) {
        const user = users[i];
        timings[`run_${i === 0 ? "a" : "b"}_ms`] = run.ms;
        assert.equal(run.kernelName, "dl-workbook");
        const failed = run.cells.find((c) => c.status !== "ok");
        assert.equal(failed, undefined, `${user}: cell ${failed?.index} of ${LECTURE} ended "${failed?.status}": ${outputText(failed?.outputs ?? []).slice(0, 800)}`);
        assert.ok(run.codeCells >= 11, `${user}: ${LECTURE} has ${run.codeCells} code cells`);
        assert.equal(run.cells.length, run.codeCells, `${user}: ${run.cells.length} code cells ran, the notebook has ${run.codeCells}`);
        const text = run.cells.map((c) => outputText(c.outputs)).join("\n");
        assert.ok(!run.cells.some((c) => c.outputs.some((o) => o.output_type === "error")), `${user}: an error output`);
        // The bias-correction ratio at step 1, sqrt(1 - 0.999) / (1 - 0.9) = 3.162, printed by cell 6.
        assert.match(text, /step 1: ratio 3\.162/);
        // CI=true from the spawner's environment reached the kernel: the Rosenbrock runs take 100 steps, not 500.
        assert.match(text, /from \(-1\.2, 1\), 100 steps:/);
        const claims = text.split("\n").filter((line) => /^[✓✗]/.test(line));
        assert.ok(claims.length >= 12 && claims.every((line) => line.startsWith("✓")), `${user}: claims ${claims.join(" | ")}`);

        const probeRun = run.extra[0];
        assert.equal(probeRun.status, "ok", `${user}: the probe cell: ${outputText(probeRun.outputs)}`);
        const { rssMB, ...probe } = JSON.parse(outputText(probeRun.outputs).trim()) as Probe;
        assert.ok(rssMB > 0, `${user}: kernel rss ${rssMB}`);
        timings[`kernel_rss_mb_${i === 0 ? "a" : "b"}`] = rssMB;
        assert.deepEqual(probe, {
          user,
          ci: "true",
          addressSpace: ADDRESS_SPACE_BYTES,
          otherNotebook: "EACCES",
          otherHome: "EACCES",
          solutions: "EACCES",
        });
      }

      // 5. One student's token opens only that student's server.
      const [a, b] = users;
      const own = await hubRequest(base, tokens.get(a) as string, "GET", `/user/${a}/api/contents/dl-workbook`);
      assert.equal(own.status, 200);
      const other = await hubRequest(base, tokens.get(a) as string, "GET", `/user/${b}/api/contents/dl-workbook`);
      assert.equal(other.status, 403, `${a}'s token on ${b}'s server: ${other.status} ${JSON.stringify(other.json).slice(0, 200)}`);
      // The student's UI is the course's Lab: the server's root redirects to the course folder in
      // Lab, whose page config lists the course extension installed in the system-wide prefix, and
      // the server serves that very copy.
      const root = await hubRequest(base, tokens.get(a) as string, "GET", `/user/${a}/`);
      assert.equal(root.status, 302);
      assert.match(
        String((await fetch(`${base}/user/${a}/`, { headers: { Authorization: `token ${tokens.get(a)}` }, redirect: "manual" })).headers.get("location")),
        new RegExp(`/user/${a}/lab/tree/dl-workbook\\??$`),
      );
      await checkLabPage(base, a, tokens.get(a) as string, path.join(prefix, "share", "jupyter", "labextensions"));
      // In headless Chromium, as the student: log in, open the lecture in Lab, run up to its first
      // Plotly cell, and see the figure drawn by the course extension.
      const uiStarted = Date.now();
      await labInBrowser(base, a, password);
      timings.labUiMs = Date.now() - uiStarted;

      // 6. A restart keeps the student's edits and brings back a deleted notebook; stopping a server
      // ends every process of that student.
      const edited = path.join(homes.get(a) as string, LECTURE);
      const removed = path.join(homes.get(a) as string, "dl-workbook", "notebooks", "02-optimizers.ipynb");
      const editedNb = await hubRequest(base, tokens.get(a) as string, "GET", `/user/${a}/api/contents/${LECTURE}?content=1`);
      const model = editedNb.json as { content: { cells: unknown[] } };
      model.content.cells.push({ cell_type: "markdown", id: "student-note", metadata: {}, source: "My notes on Adam." });
      const saved = await hubRequest(base, tokens.get(a) as string, "PUT", `/user/${a}/api/contents/${LECTURE}`, { type: "notebook", format: "json", content: model.content });
      assert.equal(saved.status, 200, `saving ${LECTURE} as ${a}: ${JSON.stringify(saved.json).slice(0, 200)}`);
      const deleted = await hubRequest(base, tokens.get(a) as string, "DELETE", `/user/${a}/api/contents/dl-workbook/notebooks/02-optimizers.ipynb`);
      assert.equal(deleted.status, 204);
      const stopped = await hubRequest(base, adminToken, "DELETE", `/hub/api/users/${a}/server`);
      assert.ok(stopped.status === 204 || stopped.status === 202, `DELETE /hub/api/users/${a}/server: ${stopped.status}`);
      await waitForServer(base, adminToken, a, "stopped", 30_000);
      await noProcessesLeft(a, "after the server stopped");
      const respawnStarted = Date.now();
      const respawn = await hubRequest(base, adminToken, "POST", `/hub/api/users/${a}/server`);
      assert.ok(respawn.status === 201 || respawn.status === 202, `respawning ${a}: ${respawn.status}`);
      await waitForServer(base, adminToken, a, "ready", 90_000);
      timings.respawnMs = Date.now() - respawnStarted;
      assert.match(fs.readFileSync(edited, "utf8"), /My notes on Adam\./, "the respawn overwrote the student's edited notebook");
      assert.ok(fs.existsSync(removed), "the respawn did not bring back the deleted notebook");

      // 7. Stop: the servers through the API, then the Hub (SIGTERM), which stops its proxy.
      for (const user of users) {
        const stop = await hubRequest(base, adminToken, "DELETE", `/hub/api/users/${user}/server`);
        assert.ok(stop.status === 204 || stop.status === 202, `DELETE /hub/api/users/${user}/server: ${stop.status}`);
        await waitForServer(base, adminToken, user, "stopped", 30_000);
      }
      const stopStarted = Date.now();
      hub.kill("SIGTERM");
      for (let i = 0; hubExit === undefined && i < 300; i++) await sleep(100);
      assert.notEqual(hubExit, undefined, "jupyterhub did not exit within 30 s of SIGTERM");
      timings.hubStopMs = Date.now() - stopStarted;
      for (let i = 0; isAlive(proxyPid) && i < 50; i++) await sleep(100);
      assert.equal(isAlive(proxyPid), false, `configurable-http-proxy (pid ${proxyPid}) outlived the Hub`);
      for (const user of users) assert.deepEqual(processesOf(user), [], `${user} still has processes (a server or kernel) after the Hub stopped`);
      timings.totalMs = Date.now() - t0;
      t.diagnostic(`timings: ${JSON.stringify(timings)}`);
    } finally {
      // Whatever failed: nothing of the test stays behind.
      if (started.hub && started.hub.exitCode === null && started.hub.signalCode === null) {
        started.hub.kill("SIGTERM");
        await sleep(3000);
        if (started.hub.exitCode === null && started.hub.signalCode === null) started.hub.kill("SIGKILL");
      }
      const proxyPidFile = path.join(started.dir, "jupyterhub-proxy.pid");
      if (fs.existsSync(proxyPidFile)) {
        const pid = Number(fs.readFileSync(proxyPidFile, "utf8"));
        if (pid > 0 && isAlive(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("configurable-http-proxy")) process.kill(pid, "SIGKILL");
      }
      for (const user of started.users) {
        for (const pid of processesOf(user)) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
        spawnSync("userdel", ["--force", "--remove", user]);
      }
      for (const [file, mode] of started.modes) fs.chmodSync(file, mode);
      fs.rmSync(started.dir, { recursive: true, force: true });
    }
  },
);
