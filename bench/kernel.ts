/**
 * `npm run bench:kernel`: this kernel beside tslab 1.0.22, measured in the same run.
 *
 * - cold start: from spawning the process to the first kernel_info_reply (target <= 1.0 s);
 * - trivial cell: round trip of execute_request -> execute_reply + idle, p50 over distinct
 *   one-line cells (`i + 1`) with type checking on (target p50 <= 15 ms);
 * - the same after `import * as tf from "@tensorflow/tfjs"` has run (target <= 50 ms).
 *
 * Wall times suffer on a busy machine, so the kernel process's own CPU time per cell is printed too.
 *
 * Then, through jupyter_client as Jupyter starts kernels (bench/kernel_start.py, Debian's
 * python3-jupyter-client): each kernelspec's cold start, from KernelManager.start_kernel() to the
 * first kernel_info_reply, to wait_for_ready() and to the first cell's result, medians of
 * BENCH_JUPYTER_STARTS (default 10) starts, the kernels taking turns: ours as `workbook kernel
 * install` sets it up (the launcher starts the relay, kernel/relay.ts, in front of the kernel from
 * the startup snapshot), ours from the snapshot without the relay (`node --snapshot-blob`), ours
 * from its script, and tslab 1.0.22; each with its ratio to tslab (target for the installed
 * kernelspec's first reply: <= 0.25), and whether type checking was on.
 *
 * Environment: BENCH_CELLS (default 30) cells per measurement; BENCH_STARTS (default 3) cold starts;
 * BENCH_JUPYTER_STARTS (default 10) starts per kernelspec through jupyter_client (0 skips them).
 */
import { spawn, spawnSync } from "child_process";
import type { ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zmq from "zeromq";
import { decode, encode, newHeader, Signer } from "../kernel/wire";
import type { ConnectionInfo, WireMessage } from "../kernel/wire";
import { PACKAGE_ROOT } from "../kernel/info";
import { installKernelspec, KERNEL_NAME } from "../kernel/kernelspec";
import { ensureKernelspecSnapshot } from "../kernel/snapshot/launcher";
import type { KernelJson } from "../kernel/kernelspec";
import { freePort } from "../lab/jupyter-process";

const CELLS = Number(process.env.BENCH_CELLS ?? 30);
const STARTS = Number(process.env.BENCH_STARTS ?? 3);
const JUPYTER_STARTS = Number(process.env.BENCH_JUPYTER_STARTS ?? 10);
const TSLAB_SPEC = "tslab-1.0.22";
const SCRIPT_SPEC = "dl-workbook-script";
const SNAPSHOT_SPEC = "dl-workbook-snapshot";
/** The kernelspecs timed through jupyter_client, in the table's order. */
const JUPYTER_KERNELS: readonly { spec: string; label: string }[] = [
  { spec: KERNEL_NAME, label: "dl-workbook as installed (relay + snapshot)" },
  { spec: SNAPSHOT_SPEC, label: "dl-workbook snapshot, no relay" },
  { spec: SCRIPT_SPEC, label: "dl-workbook script start" },
  { spec: TSLAB_SPEC, label: "tslab 1.0.22" },
];

/** tslab as published, with its own TypeScript fork (bench/tslab-anchor.ts). */
const TSLAB_ANCHOR = path.join(__dirname, "tslab-anchor.js");

/** How to start one kernel given its connection file. */
interface KernelUnderTest {
  name: string;
  /** tslab resolves modules from its working directory only, so it runs in the package; ours runs in a temporary directory. */
  inPackage: boolean;
  command(connectionFile: string): string[];
}

const KERNELS: KernelUnderTest[] = [
  { name: "dl-workbook", inPackage: false, command: (file) => [process.execPath, path.join(PACKAGE_ROOT, "dist", "kernel", "main.js"), file] },
  { name: "tslab 1.0.22", inPackage: true, command: (file) => [process.execPath, "-r", TSLAB_ANCHOR, path.join(PACKAGE_ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", file] },
];

/** A minimal Jupyter client: a DEALER on shell, a SUB on iopub. */
class BenchClient {
  private readonly shell = new zmq.Dealer();
  private readonly iopub = new zmq.Subscriber();
  private readonly signer: Signer;
  private readonly session = newHeader("status", "").msg_id;
  private readonly waiting = new Map<string, { reply?: WireMessage; idle: boolean; done: () => void }>();

  constructor(info: ConnectionInfo) {
    this.signer = new Signer(info.key);
    this.shell.connect(`tcp://${info.ip}:${info.shell_port}`);
    this.iopub.connect(`tcp://${info.ip}:${info.iopub_port}`);
    this.iopub.subscribe();
    void this.read(this.shell, (m) => this.onMessage(m, "shell"));
    void this.read(this.iopub, (m) => this.onMessage(m, "iopub"));
  }

  private async read(socket: zmq.Dealer | zmq.Subscriber, handle: (m: WireMessage) => void): Promise<void> {
    try {
      for await (const frames of socket) handle(decode(frames, this.signer));
    } catch {
      // closed
    }
  }

  private onMessage(message: WireMessage, channel: "shell" | "iopub"): void {
    const parent = (message.parent_header as { msg_id?: string }).msg_id;
    const entry = parent ? this.waiting.get(parent) : undefined;
    if (!entry) return;
    if (channel === "shell") entry.reply = message;
    else if (message.header.msg_type === "status" && (message.content as { execution_state?: string }).execution_state === "idle") entry.idle = true;
    // kernel_info needs only its reply (some kernels send no status for it before they are ready).
    if (entry.reply && (entry.idle || entry.reply.header.msg_type === "kernel_info_reply")) entry.done();
  }

  /** Sends a request and resolves with its reply once the kernel is idle again. */
  request(msgType: string, content: Record<string, unknown>): Promise<WireMessage> {
    const header = newHeader(msgType, this.session, "bench");
    const message: WireMessage<unknown> = { identities: [], header, parent_header: {}, metadata: {}, content, buffers: [] };
    return new Promise((resolve) => {
      const entry = { idle: false, reply: undefined as WireMessage | undefined, done: () => undefined as void };
      entry.done = () => {
        this.waiting.delete(header.msg_id);
        resolve(entry.reply!);
      };
      this.waiting.set(header.msg_id, entry);
      void this.shell.send(encode(message, this.signer));
    });
  }

  execute(code: string): Promise<WireMessage> {
    return this.request("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
  }

  close(): void {
    this.shell.close();
    this.iopub.close();
  }
}

async function connectionFile(dir: string): Promise<{ file: string; info: ConnectionInfo }> {
  const info: ConnectionInfo = {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port: await freePort(),
    iopub_port: await freePort(),
    stdin_port: await freePort(),
    control_port: await freePort(),
    hb_port: await freePort(),
    key: newHeader("status", "").msg_id,
    signature_scheme: "hmac-sha256",
  };
  const file = path.join(dir, `kernel-${info.shell_port}.json`);
  fs.writeFileSync(file, JSON.stringify(info));
  return { file, info };
}

/** CPU time (user + system) the process has used so far, in ms; Linux /proc only, else NaN. Robust to a busy machine, unlike wall time. */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[11], fields[12] are utime and stime (fields 14 and 15 of proc(5)), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** The measurements of one kernel. */
interface Result {
  coldStartMs: number[];
  trivialP50: number;
  trivialAfterTfP50: number;
  /** Mean CPU ms of the kernel process per trivial cell, before and after the tfjs import. */
  trivialCpu: number;
  trivialAfterTfCpu: number;
  typeCheckOn: boolean;
}

async function measure(kernel: KernelUnderTest, dir: string): Promise<Result> {
  const coldStartMs: number[] = [];
  let trivialP50 = NaN;
  let trivialAfterTfP50 = NaN;
  let typeCheckOn = false;
  let trivialCpu = NaN;
  let trivialAfterTfCpu = NaN;
  for (let start = 0; start < STARTS; start++) {
    const { file, info } = await connectionFile(dir);
    const client = new BenchClient(info);
    const [cmd, ...args] = kernel.command(file);
    const begin = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: kernel.inPackage ? PACKAGE_ROOT : dir, stdio: "ignore", env: { ...process.env, WORKBOOK_HISTORY_FILE: path.join(dir, "history.jsonl") } });
    try {
      await client.request("kernel_info_request", {});
      coldStartMs.push(Number(process.hrtime.bigint() - begin) / 1e6);
      if (start === STARTS - 1) {
        await client.execute("const warm: number = 1; warm");
        let cpu = cpuMs(child.pid);
        trivialP50 = await cellP50(client, "a");
        trivialCpu = (cpuMs(child.pid) - cpu) / (CELLS + 2);
        const tf = await client.execute('import * as tf from "@tensorflow/tfjs"; tf.scalar(1).dataSync()[0]');
        if ((tf.content as { status?: string }).status !== "ok") throw new Error(`${kernel.name}: importing tfjs failed: ${JSON.stringify(tf.content)}`);
        cpu = cpuMs(child.pid);
        trivialAfterTfP50 = await cellP50(client, "b");
        trivialAfterTfCpu = (cpuMs(child.pid) - cpu) / (CELLS + 2);
        // Last, since a kernel may abort what follows an error.
        const typeError = await client.execute("const notANumber: number = 'text'");
        typeCheckOn = (typeError.content as { status?: string }).status === "error";
      }
    } finally {
      client.close();
      await stop(child);
    }
  }
  return { coldStartMs, trivialP50, trivialAfterTfP50, trivialCpu, trivialAfterTfCpu, typeCheckOn };
}

/** p50 round trip of distinct trivial cells (`i + 1`), after two warm-up cells. */
async function cellP50(client: BenchClient, tag: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < CELLS + 2; i++) {
    const begin = process.hrtime.bigint();
    const reply = await client.execute(`${i} + 1 // ${tag}`);
    const ms = Number(process.hrtime.bigint() - begin) / 1e6;
    if ((reply.content as { status?: string }).status !== "ok") throw new Error(`trivial cell failed: ${JSON.stringify(reply.content)}`);
    if (i >= 2) times.push(ms);
  }
  return median(times);
}

/** One start through jupyter_client, as bench/kernel_start.py prints it. */
interface JupyterStart {
  kernel: string;
  first_reply_ms: number;
  ready_ms: number;
  first_cell_ms?: number;
  type_checking?: boolean;
  from_snapshot?: boolean;
  /** RSS in MB of the process Jupyter started (for ours as installed: the relay) and of its child processes (the kernel behind the relay), last start only. */
  rss_mb?: number;
  children_rss_mb?: number;
}

/** A Python that has jupyter_client: Debian's first (pyenv's python3 often lacks it), then python3 on PATH. */
function pythonWithJupyterClient(): string | undefined {
  for (const python of ["/usr/bin/python3", "python3"]) {
    if (spawnSync(python, ["-c", "import jupyter_client"], { stdio: "ignore" }).status === 0) return python;
  }
  return undefined;
}

/**
 * Installs three kernelspecs into a temporary Jupyter path (ours as `workbook kernel install` does,
 * ours from the script, tslab) and times their cold starts through jupyter_client.
 */
function measureThroughJupyter(dir: string): JupyterStart[] | string {
  const python = pythonWithJupyterClient();
  if (!python) return "skipped: no python3 with jupyter_client (apt-get install python3-jupyter-client)";
  const script = path.join(PACKAGE_ROOT, "bench", "kernel_start.py");
  if (!fs.existsSync(script)) return `skipped: ${script} is missing (run the benchmark from a checkout)`;
  const prefix = path.join(dir, "jupyter");
  const built = Date.now();
  installKernelspec({ scope: "prefix", prefix, quiet: true });
  const installMs = Date.now() - built;
  const kernels = path.join(prefix, "share", "jupyter", "kernels");
  const writeSpec = (name: string, argv: string[]): void => {
    fs.mkdirSync(path.join(kernels, name), { recursive: true });
    const spec: KernelJson = { argv, display_name: name, language: "typescript", interrupt_mode: "message" };
    fs.writeFileSync(path.join(kernels, name, "kernel.json"), JSON.stringify(spec));
  };
  writeSpec(SNAPSHOT_SPEC, [process.execPath, "--snapshot-blob", ensureKernelspecSnapshot().blob, "{connection_file}"]);
  writeSpec(SCRIPT_SPEC, [process.execPath, path.join(PACKAGE_ROOT, "dist", "kernel", "main.js"), "{connection_file}"]);
  writeSpec(TSLAB_SPEC, [process.execPath, "-r", TSLAB_ANCHOR, path.join(PACKAGE_ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"]);
  console.log(`\nThrough jupyter_client (${python}): ${JUPYTER_STARTS} cold starts per kernelspec, taking turns (install with the snapshot: ${(installMs / 1000).toFixed(1)} s) ...`);
  const run = spawnSync(python, [script, String(JUPYTER_STARTS), ...JUPYTER_KERNELS.map((k) => k.spec)], {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
      JUPYTER_RUNTIME_DIR: path.join(dir, "runtime"),
      JUPYTER_DATA_DIR: path.join(dir, "data"),
      JUPYTER_CONFIG_DIR: path.join(dir, "config"),
      WORKBOOK_HISTORY_FILE: path.join(dir, "history.jsonl"),
      // measure starts, not a rebuild of the snapshot in the background
      WORKBOOK_SNAPSHOT_REFRESH: "0",
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`bench/kernel_start.py failed (${run.status ?? run.signal}):\n${run.stderr}`);
  return run.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as JupyterStart);
}

/** The table of starts through jupyter_client: medians per kernelspec, each with its ratio to tslab. */
function printJupyterTable(starts: JupyterStart[]): void {
  const names = JUPYTER_KERNELS.map((k) => k.spec);
  const of = (name: string): JupyterStart[] => starts.filter((s) => s.kernel === name);
  const last = (name: string): JupyterStart | undefined => of(name).pop();
  const medianOf = (name: string, field: "first_reply_ms" | "ready_ms" | "first_cell_ms"): number => median(of(name).map((s) => s[field] ?? NaN));
  const yes = (flag: boolean | undefined): string => (flag ? "yes" : "no");
  const rows = [["", ...JUPYTER_KERNELS.map((k) => k.label)]];
  for (const [field, label] of [
    ["first_reply_ms", "first kernel_info_reply"],
    ["ready_ms", "wait_for_ready()"],
    ["first_cell_ms", "first cell's result"],
  ] as const) {
    const tslab = medianOf(TSLAB_SPEC, field);
    rows.push([`cold start -> ${label} (median ms)`, ...names.map((n) => medianOf(n, field).toFixed(0))]);
    rows.push(["  ratio to tslab", ...names.map((n) => (medianOf(n, field) / tslab).toFixed(2))]);
  }
  rows.push(["first kernel_info_reply, min - max (ms)", ...names.map((n) => `${Math.min(...of(n).map((s) => s.first_reply_ms)).toFixed(0)} - ${Math.max(...of(n).map((s) => s.first_reply_ms)).toFixed(0)}`)]);
  rows.push(["RSS after the first cells: started process + its children (MB)", ...names.map((n) => `${last(n)?.rss_mb?.toFixed(0) ?? "-"} + ${last(n)?.children_rss_mb?.toFixed(0) ?? "-"}`)]);
  rows.push(["type checking on", ...names.map((n) => yes(last(n)?.type_checking))]);
  rows.push(["started from the dl-workbook snapshot", ...names.map((n) => yes(last(n)?.from_snapshot))]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join("  "));
  const ratio = medianOf(KERNEL_NAME, "first_reply_ms") / medianOf(TSLAB_SPEC, "first_reply_ms");
  console.log(`ratio ours (kernelspec as installed) / tslab, cold start to first kernel_info_reply: ${ratio.toFixed(2)} (target <= 0.25: ${ratio <= 0.25 ? "met" : "NOT met"})`);
  const cell = medianOf(KERNEL_NAME, "first_cell_ms") / medianOf(SNAPSHOT_SPEC, "first_cell_ms");
  console.log(`first cell's result, ours as installed / snapshot without the relay: ${cell.toFixed(2)} (the relay should cost nothing here: about 1)`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-bench-"));
  console.log(`Kernel benchmark (${os.cpus().length} CPUs, Node ${process.version}; ${CELLS} cells per p50, ${STARTS} cold starts).`);
  console.log("Numbers on a shared or busy machine are noisy; compare the two columns of one run.\n");
  const results: [string, Result][] = [];
  for (const kernel of KERNELS) results.push([kernel.name, await measure(kernel, dir)]);
  const rows = [
    ["", ...results.map(([name]) => name), "target"],
    ["cold start -> kernel_info_reply (median ms)", ...results.map(([, r]) => median(r.coldStartMs).toFixed(0)), "<= 1000"],
    ["trivial cell round trip p50 (ms)", ...results.map(([, r]) => r.trivialP50.toFixed(1)), "<= 15"],
    ["trivial cell after tfjs import p50 (ms)", ...results.map(([, r]) => r.trivialAfterTfP50.toFixed(1)), "<= 50"],
    ["kernel CPU per trivial cell (mean ms)", ...results.map(([, r]) => r.trivialCpu.toFixed(1)), ""],
    ["kernel CPU per cell after tfjs (mean ms)", ...results.map(([, r]) => r.trivialAfterTfCpu.toFixed(1)), ""],
    ["type checking on", ...results.map(([, r]) => (r.typeCheckOn ? "yes" : "no")), "yes"],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join("  "));
  if (JUPYTER_STARTS > 0) {
    const starts = measureThroughJupyter(dir);
    if (typeof starts === "string") console.log(`\nThrough jupyter_client: ${starts}`);
    else printJupyterTable(starts);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench:kernel: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
