/**
 * The kernel's main thread: handles shell requests in order (execute, complete, inspect,
 * is_complete, history, comms, kernel_info), runs cells, and sends every output through the wire
 * thread (wire-thread.ts), which owns the sockets.
 */
import * as fs from "fs";
import * as path from "path";
import { MessageChannel, Worker } from "worker_threads";
import type { MessagePort } from "worker_threads";
import { KERNEL_SESSION_VARIABLE, newHeader, RELAY_PID_VARIABLE, readConnectionFile, replyTo } from "./wire";
import type { WireMessage } from "./wire";
import { Flag, FLAG_COUNT } from "./threads";
import type { Channel, ToMain, ToWire, WireThreadData } from "./threads";
import { kernelInfo } from "./info";
import { currentCell, runInCell } from "./context";
import type { CellContext } from "./context";
import { StreamCapture } from "./streams";
import { CommManager } from "./comms";
import { KernelDisplayHost } from "./display-host";
import { History, historyFile } from "./history";
import { Executor, InterruptError } from "./executor";
import type { CellError } from "./executor";
import { toBundle } from "./display/bundle";
import { FRONTEND_COMM_TARGET, frontendAnnounced } from "./display/plotly";
import { StdinReader } from "./stdin";
import { installTfjsInterrupt } from "./tfjs-interrupt";
import { installWidgetTargets } from "../lib/widgets/model";
import { conversionsFromEnvironment } from "./conversion-cache";

/** How long an interrupted cell may take to stop by itself before its pending await is rejected. */
const INTERRUPT_GRACE_MS = 1000;

/** How long after its warm-up a kernel started by the kernelspec's launcher checks that its snapshot is current. */
const SNAPSHOT_CHECK_DELAY_MS = 5000;

/** Whether this kernel was started by the kernelspec's launcher, which asks it to keep the snapshot current (WORKBOOK_SNAPSHOT_REFRESH=1). */
let refreshSnapshot = false;
/** Recorded conversions to take and where to record (a grading kernel's environment asks for them, kernel/conversion-cache.ts). */
let conversions: ReturnType<typeof conversionsFromEnvironment> = {};

/** The globals of cell-globals.ts that the kernel defines. */
const CELL_GLOBAL_NAMES = ["display", "clearOutput", "input", "password"];

/** Thrown by `process.exit()` inside a cell: the session is kept, the cell reports an error. */
export class ProcessExitError extends Error {
  constructor(code: number | string | null | undefined) {
    super(`process.exit(${code ?? ""}) was called; the kernel keeps running and keeps your variables. To really restart, use Kernel > Restart.`);
    this.name = "ProcessExit";
  }
}

type Request = { channel: "shell" | "control"; message: WireMessage };

export class Kernel {
  private readonly flags = new Int32Array(new SharedArrayBuffer(4 * FLAG_COUNT));
  private worker!: Worker;
  private inputPort!: MessagePort;
  private readonly queue: Request[] = [];
  private processing = false;
  private executionCount = 0;
  private executor?: Executor;
  private readonly streams: StreamCapture;
  private readonly comms: CommManager;
  private readonly host: KernelDisplayHost;
  private readonly history: History;
  private stdin!: StdinReader;
  /** The request being handled, for output that comes from no cell. */
  private lastParent?: WireMessage<unknown>;
  private runningCell?: CellContext;
  private warmedUp = false;
  private readonly realExit = process.exit.bind(process);

  /** `session`: the id every message of this kernel carries (the relay's, when a relay started it, kernel/relay.ts). */
  constructor(
    private readonly connectionFile: string,
    private readonly session: string = newHeader("status", "").msg_id,
  ) {
    this.streams = new StreamCapture((context, name, text) => this.publish(context.parent, "stream", { name, text }));
    this.comms = new CommManager((msgType, content, extra) => {
      this.streams.flush();
      this.publish(currentCell()?.parent ?? this.lastParent, msgType, content, extra);
    });
    this.host = new KernelDisplayHost(
      (msgType, content) => {
        this.streams.flush();
        this.publish(currentCell()?.parent ?? this.lastParent, msgType, content);
      },
      this.comms,
      () => Atomics.load(this.flags, Flag.Interrupt) === 1 || currentCell()?.interrupted === true,
      () => (currentCell()?.parent ?? this.lastParent)?.header.msg_id,
    );
    this.history = new History(historyFile(), (text) => this.log(text));
    // The course's Lab extension says the front end draws Plotly figures: no plotly.js in their
    // HTML from now on. (The extension closes the comm after opening it.)
    this.comms.registerTarget(FRONTEND_COMM_TARGET, (_comm, data) => frontendAnnounced(data));
  }

  /** Kernel log lines go to the terminal that started the kernel, never into a cell. */
  log(text: string): void {
    this.streams.originalStderrWrite(`[dl-workbook kernel] ${text}\n`);
  }

  /** Starts the wire thread and begins serving requests. */
  start(): void {
    readConnectionFile(this.connectionFile); // fail early, in the user's terms, when the file is wrong
    const { port1, port2 } = new MessageChannel();
    this.inputPort = port1;
    const data: WireThreadData = { connectionFile: this.connectionFile, flags: this.flags.buffer, inputPort: port2, session: this.session };
    this.worker = new Worker(path.join(__dirname, "wire-thread.js"), { workerData: data, transferList: [port2] });
    // the wire thread has its copy (it watches the relay); cells and what they start do not need it
    delete process.env[RELAY_PID_VARIABLE];
    this.worker.on("message", (message: ToMain) => this.onWireMessage(message));
    this.worker.on("error", (err) => {
      this.log(`wire thread failed: ${err.stack ?? err.message}`);
      this.realExit(1);
    });
    this.stdin = new StdinReader(
      this.flags,
      this.inputPort,
      (content) => this.toWire({ kind: "input-request", message: this.message(currentCell()!.parent, "input_request", content) }),
      () => this.streams.flush(),
    );
    this.installProcessHooks();
    this.streams.install();
    this.host.install();
    // Before any widget exists: a front end announces its widget protocol when it connects.
    installWidgetTargets(this.host);
    Object.assign(globalThis, {
      input: (prompt = "") => this.stdin.read(String(prompt), false),
      password: (prompt = "") => this.stdin.read(String(prompt), true),
    });
  }

  private installProcessHooks(): void {
    // The wire thread sends SIGINT on interrupt_request; outside breakOnSigint code it lands here.
    process.on("SIGINT", () => this.interrupt());
    process.on("uncaughtException", (err) => this.reportAsync(err, "an error thrown in a timer or callback"));
    process.on("unhandledRejection", (reason) => this.reportAsync(reason, "an unhandled promise rejection"));
    process.exit = ((code?: number | string | null) => {
      if (currentCell()) throw new ProcessExitError(code);
      this.realExit(typeof code === "number" ? code : undefined);
    }) as typeof process.exit;
  }

  /** An error from a timer or a rejected promise: shown in the cell that started it; the kernel lives on. */
  private reportAsync(err: unknown, what: string): void {
    const context = currentCell();
    if (!context) {
      this.log(`${what} outside any cell: ${err instanceof Error ? err.stack : String(err)}`);
      return;
    }
    if (this.runningCell === context && this.executor?.failRunning(err)) return;
    const error = (this.executor ?? new Executor(process.cwd())).runtimeError(err);
    this.streams.flush();
    this.publish(context.parent, "error", { ename: error.ename, evalue: error.evalue, traceback: [`(${what}, after cell [${context.cell}] finished)`, ...error.traceback] });
  }

  /** InterruptCount when the running cell started: an interrupt with the same count is older than the cell. */
  private interruptsBeforeCell = 0;

  private interrupt(): void {
    // vm re-raises a SIGINT that broke a loop once the loop has ended; by then the next cell may run.
    if (Atomics.load(this.flags, Flag.InterruptCount) === this.interruptsBeforeCell) return;
    Atomics.store(this.flags, Flag.Interrupt, 1);
    const cell = this.runningCell;
    if (cell) cell.interrupted = true;
    // Code that checks interruptRequested() (training loops, compare) gets a moment to stop by
    // itself and keep its work; an await that has not settled by then is cut short.
    setTimeout(() => {
      if (this.runningCell === cell) this.executor?.interrupt();
    }, INTERRUPT_GRACE_MS);
    this.tfjsInterrupt?.();
  }

  private tfjsInterrupt?: () => void;

  private onWireMessage(message: ToMain): void {
    switch (message.kind) {
      case "ready":
        // Load TypeScript soon, but after the first kernel_info_reply had its chance to go out fast.
        setTimeout(() => this.warmUp(), 1500).unref();
        return;
      case "fatal":
        this.log(`cannot start: ${message.error}`);
        this.realExit(1);
        return;
      case "interrupt":
        this.interrupt();
        return;
      case "shutdown":
        this.streams.flush();
        // The wire thread sends what is queued, closes its sockets, then ends; then this process ends.
        this.toWire({ kind: "exit", code: 0 });
        this.worker.once("exit", () => this.realExit(0));
        setTimeout(() => this.realExit(0), 2000).unref();
        return;
      case "request":
        if (message.channel === "control") void this.handle(message.message, "control");
        else {
          this.queue.push({ channel: message.channel, message: message.message });
          void this.pump();
        }
    }
  }

  private warmUp(): void {
    if (this.warmedUp || this.processing) return;
    this.warmedUp = true;
    try {
      this.getExecutor().warmUp();
    } catch (err) {
      this.log(`could not load the TypeScript compiler: ${(err as Error).stack}`);
    }
    // started by the kernelspec's launcher: rebuild a missing or stale snapshot for the next start
    // (loaded only then: the check reads the snapshot's manifest and stats its files)
    if (refreshSnapshot)
      setTimeout(
        () =>
          void import("./snapshot/launcher").then(
            (launcher) => launcher.refreshKernelspecSnapshotInBackground(true),
            () => undefined,
          ),
        SNAPSHOT_CHECK_DELAY_MS,
      ).unref();
  }

  private getExecutor(): Executor {
    if (!this.executor) {
      this.executor = new Executor(
        process.cwd(),
        (id, exported) => {
          if (id.startsWith("@tensorflow/tfjs") && !this.tfjsInterrupt) this.tfjsInterrupt = installTfjsInterrupt(exported, () => Atomics.load(this.flags, Flag.Interrupt) === 1);
        },
        () => Atomics.load(this.flags, Flag.Interrupt) === 1,
        conversions,
      );
      for (const name of CELL_GLOBAL_NAMES) this.executor.defineGlobal(name, (globalThis as Record<string, unknown>)[name]);
    }
    return this.executor;
  }

  private async pump(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const request = this.queue.shift()!;
        await this.handle(request.message, request.channel);
      }
    } finally {
      this.processing = false;
    }
    if (!this.warmedUp) setTimeout(() => this.warmUp(), 0);
  }

  private toWire(message: ToWire): void {
    this.worker.postMessage(message);
  }

  private message<C>(parent: WireMessage<unknown> | undefined, msgType: string, content: C): WireMessage<C> {
    if (parent) return replyTo(parent, msgType, content, this.session);
    return { identities: [], header: newHeader(msgType, this.session), parent_header: {}, metadata: {}, content, buffers: [] };
  }

  /** Sends on iopub, with the message type as the PUB topic. */
  publish(parent: WireMessage<unknown> | undefined, msgType: string, content: unknown, extra: { metadata?: Record<string, unknown>; buffers?: readonly Uint8Array[] } = {}): void {
    const message = this.message(parent, msgType, content);
    if (extra.metadata) message.metadata = extra.metadata;
    if (extra.buffers?.length) message.buffers = extra.buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    message.identities = [Buffer.from(`kernel.${this.session.slice(0, 8)}.${msgType}`)];
    this.toWire({ kind: "send", channel: "iopub", message });
  }

  private reply(parent: WireMessage, channel: Channel, msgType: string, content: unknown): void {
    this.toWire({ kind: "send", channel, message: this.message(parent, msgType, content) });
  }

  private async handle(message: WireMessage, channel: "shell" | "control"): Promise<void> {
    const type = String(message.header.msg_type);
    this.lastParent = message;
    this.publish(message, "status", { execution_state: "busy" });
    try {
      await this.dispatch(message, channel, type);
    } catch (err) {
      // A malformed request: answer with an error reply rather than crash.
      this.log(`could not handle ${type}: ${err instanceof BadRequestError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (type.endsWith("_request")) {
        this.reply(message, channel, type.replace(/_request$/, "_reply"), { status: "error", ename: "BadRequest", evalue: (err as Error).message, traceback: [] });
      }
    } finally {
      this.streams.flush();
      this.publish(message, "status", { execution_state: "idle" });
    }
  }

  private async dispatch(message: WireMessage, channel: "shell" | "control", type: string): Promise<void> {
    const content = typeof message.content === "object" && message.content !== null ? message.content : {};
    switch (type) {
      case "kernel_info_request":
        this.reply(message, channel, "kernel_info_reply", kernelInfo());
        return;
      case "execute_request":
        await this.execute(message, content);
        return;
      case "complete_request": {
        const code = requireString(content, "code", type);
        const cursor = typeof content.cursor_pos === "number" ? content.cursor_pos : code.length;
        const info = this.getExecutor().complete(code, cursor);
        this.reply(message, channel, "complete_reply", { status: "ok", matches: info.candidates, cursor_start: info.start, cursor_end: info.end, metadata: {} });
        return;
      }
      case "inspect_request": {
        const code = requireString(content, "code", type);
        const cursor = typeof content.cursor_pos === "number" ? content.cursor_pos : code.length;
        const found = this.getExecutor().inspect(code, cursor);
        this.reply(message, channel, "inspect_reply", { status: "ok", found: found.found, data: found.found ? { "text/plain": found.text } : {}, metadata: {} });
        return;
      }
      case "is_complete_request": {
        const code = requireString(content, "code", type);
        this.reply(message, channel, "is_complete_reply", this.getExecutor().isComplete(code));
        return;
      }
      case "history_request":
        this.reply(message, channel, "history_reply", { status: "ok", history: this.history.query(content) });
        return;
      case "comm_info_request":
        this.reply(message, channel, "comm_info_reply", this.comms.info(typeof content.target_name === "string" ? content.target_name : undefined));
        return;
      case "comm_open":
      case "comm_msg":
      case "comm_close": {
        const context: CellContext = { parent: message, cell: this.executionCount, allowStdin: false };
        const problem = runInCell(context, () =>
          type === "comm_open" ? this.comms.handleOpen(content) : type === "comm_msg" ? this.comms.handleMessage(content, message.buffers) : this.comms.handleClose(content),
        );
        if (problem) this.log(problem);
        return;
      }
      default:
        this.log(`ignored a message of unknown type "${type}" on ${channel}`);
    }
  }

  private async execute(message: WireMessage, content: Record<string, unknown>): Promise<void> {
    const code = requireString(content, "code", "execute_request");
    const silent = content.silent === true;
    const storeHistory = silent ? false : content.store_history !== false;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.publish(message, "execute_input", { code, execution_count: count });
    const context: CellContext = { parent: message, cell: count, allowStdin: content.allow_stdin !== false };
    const executor = this.getExecutor();
    this.interruptsBeforeCell = Atomics.load(this.flags, Flag.InterruptCount);
    Atomics.store(this.flags, Flag.Interrupt, 0);
    Atomics.add(this.flags, Flag.CellSerial, 1);
    Atomics.store(this.flags, Flag.Executing, 1);
    this.runningCell = context;
    let outcome;
    try {
      outcome = await runInCell(context, () => executor.run(code, count, () => Atomics.load(this.flags, Flag.Interrupt) === 1));
    } finally {
      Atomics.store(this.flags, Flag.Executing, 0);
      this.runningCell = undefined;
    }
    this.streams.flush();
    let error: CellError | undefined = outcome.status === "error" ? outcome : undefined;
    let resultText: string | undefined;
    if (outcome.status === "ok" && outcome.hasValue && !silent) {
      try {
        const data = runInCell(context, () => toBundle(outcome.value));
        resultText = String(data["text/plain"]);
        this.publish(message, "execute_result", { execution_count: count, data, metadata: {} });
      } catch (err) {
        error = executor.runtimeError(err);
      }
    }
    if (error) this.publish(message, "error", { ename: error.ename, evalue: error.evalue, traceback: error.traceback });
    if (storeHistory) this.history.add(count, code, resultText);
    const userExpressions = error ? {} : this.userExpressions(content.user_expressions, executor);
    if (error) {
      this.reply(message, "shell", "execute_reply", { status: "error", execution_count: count, ename: error.ename, evalue: error.evalue, traceback: error.traceback, user_expressions: {}, payload: [] });
      if (content.stop_on_error !== false) await this.abortQueued();
    } else {
      this.reply(message, "shell", "execute_reply", { status: "ok", execution_count: count, user_expressions: userExpressions, payload: [] });
    }
  }

  private userExpressions(expressions: unknown, executor: Executor): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (typeof expressions !== "object" || expressions === null) return out;
    for (const [name, expression] of Object.entries(expressions as Record<string, unknown>)) {
      try {
        out[name] = { status: "ok", data: toBundle(executor.evaluate(String(expression))), metadata: {} };
      } catch (err) {
        const e = executor.runtimeError(err);
        out[name] = { status: "error", ename: e.ename, evalue: e.evalue, traceback: e.traceback };
      }
    }
    return out;
  }

  /** After an error with stop_on_error, execute requests already queued are answered "aborted". */
  private async abortQueued(): Promise<void> {
    // Let requests that arrived while the cell ran reach the queue first.
    await new Promise((resolve) => setImmediate(resolve));
    const keep: Request[] = [];
    for (const request of this.queue.splice(0)) {
      if (request.message.header.msg_type === "execute_request") {
        this.publish(request.message, "status", { execution_state: "busy" });
        this.reply(request.message, "shell", "execute_reply", { status: "aborted", execution_count: this.executionCount, user_expressions: {}, payload: [] });
        this.publish(request.message, "status", { execution_state: "idle" });
      } else keep.push(request);
    }
    this.queue.push(...keep);
  }
}

/** A request that lacks a field the spec requires. */
class BadRequestError extends Error {}

function requireString(content: Record<string, unknown>, field: string, type: string): string {
  const value = content[field];
  if (typeof value !== "string") throw new BadRequestError(`${type} needs a string "${field}" field, got ${value === undefined ? "none" : typeof value}`);
  return value;
}

/** Starts a kernel for `connectionFile` (the entry point of dist/kernel/main.js and `workbook kernel start`). */
export function startKernel(connectionFile: string): Kernel {
  if (!fs.existsSync(connectionFile)) throw new Error(`The Jupyter connection file ${connectionFile} does not exist. Jupyter writes it and passes its path as {connection_file}.`);
  // set by the kernelspec's launcher for this kernel only: cells and the processes they start do not inherit it
  refreshSnapshot = process.env.WORKBOOK_SNAPSHOT_REFRESH === "1";
  delete process.env.WORKBOOK_SNAPSHOT_REFRESH;
  conversions = conversionsFromEnvironment((why) => process.stderr.write(`dl-workbook kernel: ${why}\n`));
  // set by the kernelspec's relay (kernel/relay.ts): its session id, for this kernel only
  const session = process.env[KERNEL_SESSION_VARIABLE] || undefined;
  delete process.env[KERNEL_SESSION_VARIABLE];
  const kernel = new Kernel(connectionFile, session);
  kernel.start();
  return kernel;
}

export { InterruptError };
