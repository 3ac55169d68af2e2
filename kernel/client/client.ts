import { ChildProcess, spawn } from "child_process";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as path from "path";
import { randomUUID } from "crypto";
import * as zmq from "zeromq";
import type { KernelMessage } from "@jupyterlab/services";
import type { IOutput } from "@jupyterlab/nbformat";
import { ConnectionInfo, PARENT_PID_VARIABLE, Signer, WireMessage, asText, decode, encode, newHeader, socketAddress } from "../wire";
import { writeConnectionFile } from "./connection";
import { DisplayRegistry, OutputCollector } from "./outputs";

/** The compiled kernel of this package: dist/kernel/main.js. */
export const KERNEL_MAIN = path.join(__dirname, "..", "main.js");

/** The placeholder in a kernel command that becomes the connection file's path (as in kernelspecs). */
export const CONNECTION_FILE_PLACEHOLDER = "{connection_file}";

/** The command that starts this package's kernel: `node dist/kernel/main.js {connection_file}`. */
export function defaultKernelCommand(): string[] {
  return [process.execPath, KERNEL_MAIN, CONNECTION_FILE_PLACEHOLDER];
}

/** How to start a kernel. Every field is optional. */
export interface StartKernelOptions {
  /** Working directory of the kernel process (where a notebook's relative paths resolve). */
  cwd?: string;
  /** The kernel's whole environment (plus JPY_PARENT_PID, this process, which the kernel watches). Default: this process's environment. */
  env?: NodeJS.ProcessEnv;
  /**
   * The kernel command as argv; `{connection_file}` is replaced by the connection file's path
   * (appended when absent). Default: {@link defaultKernelCommand}.
   */
  command?: string[];
  /** A prefix that wraps the command, e.g. `["prlimit", "--as=4000000000", "--"]` or `["unshare", "-n", "--"]`. */
  wrap?: string[];
  /** Folder for the connection file (and ipc sockets). Default: a fresh temp folder, removed at shutdown. */
  connectionDir?: string;
  /** "tcp" on 127.0.0.1 (default) or "ipc" (unix sockets in connectionDir; nothing listens on the network). */
  transport?: "tcp" | "ipc";
  /** How long the kernel may take to answer its first kernel_info_request. Default 60 s. */
  startupTimeoutMs?: number;
  /** How an interrupt reaches the kernel: an interrupt_request on control (default) or SIGINT. */
  interruptMode?: "message" | "signal";
  /** Called with every chunk the kernel process writes to its own stdout or stderr (not cell output). */
  onProcessOutput?: (text: string, stream: "stdout" | "stderr") => void;
}

/** Options of one {@link KernelClient.execute} call. */
export interface ExecuteOptions {
  /** Interrupt the cell after this many milliseconds; the result's status is then "timeout". Default: no limit. */
  timeoutMs?: number;
  /** After a timeout's interrupt, how long to wait for the kernel before killing it. Default 5000 ms. */
  interruptGraceMs?: number;
  silent?: boolean;
  storeHistory?: boolean;
  /** Expressions the kernel evaluates after the code; results come back in `reply.user_expressions`. */
  userExpressions?: Record<string, string>;
  /** Let the code ask for input; default: true when `onInput` is given. */
  allowStdin?: boolean;
  stopOnError?: boolean;
  /**
   * Called once per output message as it arrives, with that message's output: a stream chunk
   * (not the merged text), display data, an execute result, an error, or an
   * `update_display_data` output. Summing the chunks' sizes gives the cell's output size.
   */
  onOutput?: (output: IOutput, message: WireMessage) => void;
  /** Answers the kernel's input_request (a prompt() or readline in the cell). */
  onInput?: (prompt: string, password: boolean) => string | Promise<string>;
}

/** The content of an execute_reply (status ok, error or aborted). */
export type ExecuteReplyContent = KernelMessage.IExecuteReplyMsg["content"];

/**
 * What one execution produced.
 * status: "ok" | "error" (the code threw) | "aborted" (the kernel skipped it) |
 * "timeout" (it ran past timeoutMs and was interrupted or killed) | "died" (the kernel process ended during it).
 */
export interface ExecuteResult {
  status: "ok" | "error" | "aborted" | "timeout" | "died";
  /** The kernel's execute_reply; undefined when the kernel died or was killed first. */
  reply?: ExecuteReplyContent;
  /** The outputs in nbformat form, in order (streams merged, clear_output applied). */
  outputs: IOutput[];
  executionCount: number | null;
  /** ename/evalue/traceback when status is "error" (from the reply, or the error output). */
  error?: { ename: string; evalue: string; traceback: string[] };
  /** Milliseconds from request to idle. */
  durationMs: number;
  /**
   * header.date of the kernel's messages for this request, keyed as nbformat's cell
   * metadata.execution keys them ("iopub.status.busy", "iopub.execute_input",
   * "shell.execute_reply", "iopub.status.idle"); only those that arrived. Always set by execute().
   */
  timing?: Record<string, string>;
}

/** Why the kernel process ended. */
export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when this client asked for it (shutdown, restart, a timeout kill). */
  expected: boolean;
  /** The last lines the process wrote to stderr, for error messages. */
  stderrTail: string;
}

/** Thrown when a request needs a kernel that is not running, or that died while it waited. */
export class KernelDiedError extends Error {
  constructor(
    message: string,
    readonly exit?: KernelExit,
  ) {
    super(message);
    this.name = "KernelDiedError";
  }
}

type Channel = "shell" | "control";

interface PendingRequest {
  resolve(message: WireMessage): void;
  reject(error: Error): void;
}

interface RunningExecution {
  collector: OutputCollector;
  options: ExecuteOptions;
  reply?: WireMessage;
  idle: boolean;
  timing: Record<string, string>;
  /** Set when the time limit passed: the result reports "timeout" whatever the reply says. */
  timedOut: boolean;
  finish(status: ExecuteResult["status"]): void;
}

const liveClients = new Set<KernelClient>();
let exitHookInstalled = false;

/** Kills kernels still running when this process exits, so no orphan keeps ports open. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const client of liveClients) {
      client.killNow();
      client.removeConnectionFiles();
    }
  });
}

const STDERR_TAIL_CHARS = 4000;

/**
 * A Jupyter client for one kernel process: it writes the connection file, starts the kernel,
 * talks to it over the five ZeroMQ sockets, and turns what comes back into nbformat outputs.
 * Used by `workbook run`, the book, the grader and the project tools.
 *
 * Events: "exit" ({@link KernelExit}), "iopub" (every iopub {@link WireMessage}),
 * "status" (the kernel's execution_state), "restart".
 *
 * @example
 * const kernel = await startKernel({ cwd: "notebooks" });
 * const result = await kernel.execute("const x = 1 + 1; x", { timeoutMs: 30_000 });
 * result.status;   // "ok"
 * result.outputs;  // [{ output_type: "execute_result", data: { "text/plain": "2" }, ... }]
 * await kernel.shutdown();
 */
export class KernelClient extends EventEmitter {
  /** The connection file's path and contents. */
  readonly connectionFile: string;
  readonly connection: ConnectionInfo;
  /** The client's session id (header.session of every request). */
  readonly session = randomUUID();

  private readonly signer: Signer;
  private readonly routingId = `workbook-${randomUUID()}`;
  private shell!: zmq.Dealer;
  private control!: zmq.Dealer;
  private stdin!: zmq.Dealer;
  private iopub!: zmq.Subscriber;
  private child?: ChildProcess;
  /** True once the current child process has exited or failed to start. */
  private childGone = false;
  private stderrTail = "";
  private expectingExit = false;
  private closed = false;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly executions = new Map<string, RunningExecution>();
  private readonly displays = new DisplayRegistry();
  private lastExit?: KernelExit;
  private iopubCount = 0;

  /** Use {@link startKernel}; the constructor only sets fields. */
  constructor(
    connectionFile: string,
    connection: ConnectionInfo,
    private readonly options: StartKernelOptions,
    private readonly ownsConnectionDir: boolean,
  ) {
    super();
    this.connectionFile = connectionFile;
    this.connection = connection;
    this.signer = new Signer(connection.key);
  }

  /** The process id of the kernel (of the wrapper, when `wrap` is used). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** True while the kernel process runs. See {@link heartbeat} for whether it also answers. */
  isAlive(): boolean {
    return this.child !== undefined && !this.childGone && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the kernel process wrote to stderr (its own, not cell output). */
  processStderr(): string {
    return this.stderrTail;
  }

  /** Starts the process, connects the sockets and waits for the first kernel_info_reply. */
  async start(): Promise<KernelMessage.IInfoReplyMsg["content"]> {
    this.connectSockets();
    this.spawnProcess();
    liveClients.add(this);
    installExitHook();
    return this.waitForReady(this.options.startupTimeoutMs ?? 60_000);
  }

  private connectSockets(): void {
    this.shell = new zmq.Dealer({ routingId: this.routingId, linger: 0 });
    this.stdin = new zmq.Dealer({ routingId: this.routingId, linger: 0 });
    this.control = new zmq.Dealer({ linger: 0 });
    this.iopub = new zmq.Subscriber({ linger: 0 });
    this.iopub.subscribe();
    this.shell.connect(socketAddress(this.connection, "shell"));
    this.stdin.connect(socketAddress(this.connection, "stdin"));
    this.control.connect(socketAddress(this.connection, "control"));
    this.iopub.connect(socketAddress(this.connection, "iopub"));
    void this.pump(this.shell, (m) => this.onReply(m));
    void this.pump(this.control, (m) => this.onReply(m));
    void this.pump(this.iopub, (m) => this.onIopub(m));
    void this.pump(this.stdin, (m) => void this.onStdin(m));
  }

  private spawnProcess(): void {
    const command = [...(this.options.command ?? defaultKernelCommand())];
    if (!command.includes(CONNECTION_FILE_PLACEHOLDER)) command.push(CONNECTION_FILE_PLACEHOLDER);
    const argv = [...(this.options.wrap ?? []), ...command.map((arg) => (arg === CONNECTION_FILE_PLACEHOLDER ? this.connectionFile : arg))];
    this.stderrTail = "";
    this.expectingExit = false;
    this.childGone = false;
    const child = spawn(argv[0], argv.slice(1), {
      cwd: this.options.cwd,
      // as jupyter_client does: the kernel shuts itself down if this process dies without stopping it
      env: { ...(this.options.env ?? process.env), [PARENT_PID_VARIABLE]: String(process.pid) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const keep = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      if (stream === "stderr") this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
      this.options.onProcessOutput?.(text, stream);
    };
    child.stdout?.on("data", keep("stdout"));
    child.stderr?.on("data", keep("stderr"));
    let gone = false;
    const onGone = (code: number | null, signal: NodeJS.Signals | null) => {
      if (gone || this.child !== child) return;
      gone = true;
      this.childGone = true;
      const exit: KernelExit = { code, signal, expected: this.expectingExit, stderrTail: this.stderrTail };
      this.lastExit = exit;
      const why = this.describeExit(exit);
      for (const [id, request] of this.pending) {
        this.pending.delete(id);
        request.reject(new KernelDiedError(why, exit));
      }
      for (const execution of this.executions.values()) execution.finish("died");
      this.emit("exit", exit);
    };
    child.on("error", (err) => {
      this.stderrTail += `\nCould not start the kernel command "${argv.join(" ")}": ${err.message}`;
      if (child.pid === undefined) onGone(null, null); // never started (ENOENT, EACCES): no "exit" will come
    });
    child.on("exit", onGone);
  }

  /** "the kernel exited with code 1" plus the last lines of its stderr. */
  private describeExit(exit: KernelExit): string {
    const how = exit.signal ? `was killed by ${exit.signal}` : exit.code === null ? "could not be started" : `exited with code ${exit.code}`;
    // the last lines that say something: stack frames ("    at f (file:1:2)") only repeat where
    const tail = exit.stderrTail
      .trim()
      .split("\n")
      .filter((line) => !/^\s+at /.test(line))
      .slice(-10)
      .join("\n");
    return `The kernel (${this.connectionFile}) ${how}.` + (tail ? `\nIts last stderr lines:\n${tail}` : "");
  }

  /** Reads one socket until it closes, decoding and dispatching each message. */
  private async pump(socket: zmq.Dealer | zmq.Subscriber, handle: (message: WireMessage) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        let message: WireMessage;
        try {
          message = decode(frames, this.signer);
        } catch (err) {
          this.emit("wire-error", err);
          continue;
        }
        handle(message);
      }
    } catch (err) {
      if (!this.closed) this.emit("wire-error", err);
    }
  }

  private onReply(message: WireMessage): void {
    const parentId = (message.parent_header as KernelMessage.IHeader).msg_id;
    const request = parentId === undefined ? undefined : this.pending.get(parentId);
    if (request) {
      this.pending.delete(parentId);
      request.resolve(message);
    }
    const execution = parentId === undefined ? undefined : this.executions.get(parentId);
    if (execution && message.header.msg_type === "execute_reply") {
      execution.reply = message;
      execution.timing["shell.execute_reply"] = message.header.date;
      if (execution.idle) execution.finish(statusOf(message));
    }
  }

  private onIopub(message: WireMessage): void {
    this.iopubCount++;
    this.emit("iopub", message);
    const type = message.header.msg_type as string;
    const parentId = (message.parent_header as KernelMessage.IHeader).msg_id;
    if (type === "status") this.emit("status", (message.content as { execution_state?: string }).execution_state);
    const execution = parentId === undefined ? undefined : this.executions.get(parentId);
    if (!execution) return;
    const state = type === "status" ? (message.content as { execution_state?: string }).execution_state : undefined;
    if (state === "busy") execution.timing["iopub.status.busy"] = message.header.date;
    if (type === "execute_input") execution.timing["iopub.execute_input"] = message.header.date;
    if (state === "idle") {
      execution.timing["iopub.status.idle"] = message.header.date;
      execution.idle = true;
      if (execution.reply) execution.finish(statusOf(execution.reply));
      return;
    }
    const changed = execution.collector.add(message);
    if (changed) execution.options.onOutput?.(changed, message);
  }

  private async onStdin(message: WireMessage): Promise<void> {
    if (message.header.msg_type !== "input_request") return;
    const parentId = (message.parent_header as KernelMessage.IHeader).msg_id;
    const execution = parentId === undefined ? undefined : this.executions.get(parentId);
    const content = message.content as { prompt?: string; password?: boolean };
    let value = "";
    try {
      value = execution?.options.onInput ? await execution.options.onInput(content.prompt ?? "", content.password === true) : "";
    } catch {
      value = "";
    }
    const reply: WireMessage = {
      identities: [],
      header: newHeader("input_reply", this.session, "workbook"),
      parent_header: message.header,
      metadata: {},
      content: { value },
      buffers: [],
    };
    await this.stdin.send(encode(reply, this.signer));
  }

  /**
   * Sends a request on shell or control and resolves with its reply.
   * Rejects with {@link KernelDiedError} when the kernel is gone, or an Error after `timeoutMs`.
   *
   * @example
   * const reply = await kernel.request("shell", "complete_request", { code: "Math.", cursor_pos: 5 });
   */
  async request(channel: Channel, msgType: string, content: object, timeoutMs = 30_000): Promise<WireMessage> {
    if (!this.isAlive()) throw new KernelDiedError(this.lastExit ? this.describeExit(this.lastExit) : "The kernel is not running.", this.lastExit);
    const message: WireMessage<object> = {
      identities: [],
      header: newHeader(msgType, this.session, "workbook"),
      parent_header: {},
      metadata: {},
      content,
      buffers: [],
    };
    const id = message.header.msg_id;
    const reply = new Promise<WireMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`The kernel did not answer a ${msgType} on ${channel} within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
    await (channel === "shell" ? this.shell : this.control).send(encode(message, this.signer));
    return reply;
  }

  /**
   * Waits until the kernel answers kernel_info_request on shell AND its iopub messages reach us
   * (a subscriber that joins late misses messages; a client that starts executing before iopub
   * is connected loses the first cell's outputs).
   */
  private async waitForReady(timeoutMs: number): Promise<KernelMessage.IInfoReplyMsg["content"]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const before = this.iopubCount;
      let reply: WireMessage;
      try {
        reply = await this.request("shell", "kernel_info_request", {}, deadline - Date.now());
      } catch (err) {
        if (err instanceof KernelDiedError) throw new KernelDiedError(`The kernel stopped while starting. ${err.message}`, err.exit);
        break;
      }
      // the kernel publishes status busy/idle for the request: once one arrives, iopub is connected
      const waitUntil = Math.min(deadline, Date.now() + 1000);
      while (this.iopubCount === before && Date.now() < waitUntil) await delay(10);
      if (this.iopubCount > before) return reply.content as unknown as KernelMessage.IInfoReplyMsg["content"];
    }
    this.killNow();
    throw new Error(
      `The kernel did not become ready within ${timeoutMs} ms (command: ${(this.options.command ?? defaultKernelCommand()).join(" ")}).` + (this.stderrTail ? `\nIts stderr:\n${this.stderrTail.trim()}` : ""),
    );
  }

  /** The kernel's kernel_info_reply content (language, version, banner). */
  async kernelInfo(timeoutMs = 30_000): Promise<KernelMessage.IInfoReplyMsg["content"]> {
    const reply = await this.request("shell", "kernel_info_request", {}, timeoutMs);
    return reply.content as unknown as KernelMessage.IInfoReplyMsg["content"];
  }

  /**
   * Runs `code` and resolves when the kernel is idle again, with the outputs as nbformat
   * outputs. Never rejects for errors in the code (see `status`); rejects with
   * {@link KernelDiedError} when the kernel is not running at the start.
   */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (!this.isAlive()) throw new KernelDiedError(this.lastExit ? this.describeExit(this.lastExit) : "The kernel is not running; call restart() first.", this.lastExit);
    const started = Date.now();
    const message: WireMessage<KernelMessage.IExecuteRequestMsg["content"]> = {
      identities: [],
      header: newHeader("execute_request", this.session, "workbook"),
      parent_header: {},
      metadata: {},
      content: {
        code,
        silent: options.silent ?? false,
        store_history: options.storeHistory ?? !(options.silent ?? false),
        user_expressions: options.userExpressions ?? {},
        allow_stdin: options.allowStdin ?? options.onInput !== undefined,
        stop_on_error: options.stopOnError ?? false,
      },
      buffers: [],
    };
    const id = message.header.msg_id;
    const collector = new OutputCollector(this.displays);
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<ExecuteResult>((resolve) => {
      const execution: RunningExecution = {
        collector,
        options,
        idle: false,
        timing: {},
        timedOut: false,
        finish: (status) => {
          if (!this.executions.has(id)) return;
          if (timer) clearTimeout(timer);
          this.executions.delete(id);
          const reply = execution.reply?.content as ExecuteReplyContent | undefined;
          const count = reply && typeof reply.execution_count === "number" ? reply.execution_count : null;
          resolve({
            status: execution.timedOut ? "timeout" : status,
            reply,
            outputs: collector.outputs,
            executionCount: count,
            error: errorOf(reply, collector.outputs),
            durationMs: Date.now() - started,
            timing: execution.timing,
          });
        },
      };
      this.executions.set(id, execution);
      if (options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs)) {
        timer = setTimeout(() => void this.onTimeout(id, options.interruptGraceMs ?? 5000), options.timeoutMs);
      }
    });
    try {
      await this.shell.send(encode(message, this.signer));
    } catch (err) {
      if (timer) clearTimeout(timer);
      this.executions.delete(id);
      throw new Error(`Could not send the cell to the kernel: ${(err as Error).message}`);
    }
    return done;
  }

  /** A cell ran too long: interrupt it, and kill the kernel if it does not come back in time. */
  private async onTimeout(id: string, graceMs: number): Promise<void> {
    const execution = this.executions.get(id);
    if (!execution) return;
    execution.timedOut = true;
    try {
      await this.interrupt(graceMs);
    } catch {
      // handled below: if the kernel does not go idle we kill it
    }
    const deadline = Date.now() + graceMs;
    while (this.executions.has(id) && Date.now() < deadline && this.isAlive()) await delay(20);
    // a kernel that does not come back from the interrupt is killed; the caller can restart() it
    if (this.executions.has(id)) this.killNow();
    execution.finish("timeout");
  }

  /**
   * Interrupts the running cell: interrupt_request on control (default), or SIGINT when the
   * client was started with interruptMode "signal".
   */
  async interrupt(timeoutMs = 5000): Promise<void> {
    if (!this.isAlive()) throw new KernelDiedError("Cannot interrupt: the kernel is not running.", this.lastExit);
    if (this.options.interruptMode === "signal") {
      this.child?.kill("SIGINT");
      return;
    }
    await this.request("control", "interrupt_request", {}, timeoutMs);
  }

  /** Sends "ping" on the heartbeat socket; true when the kernel echoes it within `timeoutMs`. */
  async heartbeat(timeoutMs = 2000): Promise<boolean> {
    if (!this.isAlive()) return false;
    const socket = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    try {
      socket.connect(socketAddress(this.connection, "hb"));
      await socket.send("ping");
      const [echo] = await socket.receive();
      return echo.toString() === "ping";
    } catch {
      return false;
    } finally {
      socket.close();
    }
  }

  /** Stops the process: shutdown_request on control, then SIGTERM, then SIGKILL. */
  private async stopProcess(restart: boolean, graceMs: number): Promise<void> {
    const child = this.child;
    if (!child || !this.isAlive()) return;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      await this.request("control", "shutdown_request", { restart }, graceMs);
    } catch {
      // a kernel that does not answer is stopped by signals below
    }
    if (await within(exited, graceMs)) return;
    child.kill("SIGTERM");
    if (await within(exited, 1000)) return;
    child.kill("SIGKILL");
    await exited;
  }

  /**
   * Restarts the kernel process with the same connection file; all state in the kernel is lost.
   * Works on a dead kernel too (that is how a runner recovers after a crash or a timeout kill).
   */
  async restart(graceMs = 3000): Promise<KernelMessage.IInfoReplyMsg["content"]> {
    await this.stopProcess(true, graceMs);
    this.displays.clear();
    this.spawnProcess();
    const info = await this.waitForReady(this.options.startupTimeoutMs ?? 60_000);
    this.emit("restart");
    return info;
  }

  /** Shuts the kernel down, closes the sockets and removes the connection file. Safe to call twice. */
  async shutdown(graceMs = 3000): Promise<void> {
    if (this.closed) return;
    await this.stopProcess(false, graceMs);
    this.close();
  }

  /** Kills the process at once (SIGKILL) without asking; used on exit and after a stuck timeout. */
  killNow(): void {
    if (this.isAlive()) {
      this.expectingExit = true;
      this.child?.kill("SIGKILL");
    }
  }

  private close(): void {
    this.closed = true;
    liveClients.delete(this);
    for (const socket of [this.shell, this.control, this.stdin, this.iopub]) socket?.close();
    this.removeConnectionFiles();
  }

  /** Removes the connection file (and the temp folder made for it); synchronous, so it also works in an exit hook. */
  removeConnectionFiles(): void {
    fs.rmSync(this.connectionFile, { force: true });
    if (this.ownsConnectionDir) fs.rmSync(path.dirname(this.connectionFile), { recursive: true, force: true });
  }
}

/** The result status an execute_reply stands for. */
function statusOf(reply: WireMessage): ExecuteResult["status"] {
  const status = (reply.content as { status?: string }).status;
  return status === "ok" ? "ok" : status === "error" ? "error" : "aborted";
}

/** The error of a failed execution, from its reply or else its last error output. */
function errorOf(reply: ExecuteReplyContent | undefined, outputs: IOutput[]): ExecuteResult["error"] {
  const output = [...outputs].reverse().find((o) => o.output_type === "error");
  const failed = reply?.status === "error" ? reply : undefined;
  if (!failed && !output) return undefined;
  return {
    ename: failed?.ename ?? (output ? asText(output.ename, "Error") : "Error"),
    evalue: failed?.evalue ?? (output ? asText(output.evalue) : ""),
    traceback: failed?.traceback ?? (output ? (output.traceback as string[]) : []),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when `promise` settles within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const result = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return result;
}

/**
 * Starts a kernel and resolves once it is ready to execute.
 *
 * Writes a connection file (fresh ports and HMAC key), spawns `node dist/kernel/main.js <file>`
 * (or `options.command`, wrapped by `options.wrap`), connects shell, iopub, stdin and control
 * over ZeroMQ and waits for the first kernel_info_reply.
 *
 * @example
 * const kernel = await startKernel({ cwd: "/tmp/submission-17", wrap: ["prlimit", "--as=4000000000", "--"] });
 * const { status, outputs } = await kernel.execute("console.log('hi')");
 * await kernel.shutdown();
 */
export async function startKernel(options: StartKernelOptions = {}): Promise<KernelClient> {
  const ownsDir = options.connectionDir === undefined;
  const { file, info } = await writeConnectionFile({ connectionDir: options.connectionDir, transport: options.transport });
  const client = new KernelClient(file, info, options, ownsDir);
  try {
    await client.start();
  } catch (err) {
    await client.shutdown(500).catch(() => undefined);
    throw err;
  }
  return client;
}
