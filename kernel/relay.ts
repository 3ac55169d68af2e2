#!/usr/bin/env node
/**
 * The kernelspec's relay: answers Jupyter at once while the real kernel deserializes its startup
 * snapshot.
 *
 * `node dist/kernel/relay.js [node options for the kernel] <connection_file>`, which the launcher
 * (kernel/snapshot/launcher.ts) runs when the snapshot is current. Deserializing the snapshot takes
 * several times as long as a script start before any kernel code runs, too long for a fast first
 * kernel_info_reply; this script start (no TypeScript: zeromq, the wire code and kernel_info) binds
 * the connection file's five ports at once and starts the kernel as its child, `node <options> <private file>`,
 * on private endpoints: ipc sockets in a mode-700 temporary folder, the same key.
 *
 * - shell, control, stdin: ROUTER (front end) <-> DEALER (connected to the kernel's ROUTER), the
 *   frames unchanged. The kernel sees [relay id, client id, <IDS|MSG>, ...] and answers with the
 *   same identities; the relay's three DEALERs share one routing id, since the kernel sends
 *   input_request on stdin with the identities of the shell request.
 * - iopub: XPUB (front end, every subscription seen) <- XSUB (subscribed to all of the kernel's
 *   XPUB). The kernel greets the relay's subscription with a status message: that greeting says the
 *   kernel's sockets are bound and its iopub reaches the relay, so no output of a request can be
 *   lost to ZeroMQ's slow joiner; the relay drops it and greets each front-end subscriber itself
 *   with the execution state last published (as the kernel does, kernel/wire-thread.ts).
 * - hb: the relay echoes pings itself.
 * - Until the kernel's greeting, the relay answers kernel_info_request itself (kernel/info.ts, with
 *   busy and idle on iopub); every other request waits, in order, and goes to the kernel then.
 *
 * The relay ends with the kernel's exit code when the kernel ends (shutdown, restart); passes
 * SIGINT on and ends the kernel on SIGTERM or SIGHUP, or when the front end (JPY_PARENT_PID) is
 * gone. Killed outright, the kernel sees its parent gone (JPY_PARENT_PID is the relay) within a
 * second and shuts down. A snapshot start that fails before it is ready is retried from the script.
 *
 * ```sh
 * node dist/kernel/relay.js --snapshot-blob build/kernel-snapshot/kernel-<key>.blob kernel-1234.json
 * ```
 */
import { spawn } from "child_process";
import type { ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as Zmq from "zeromq";
import { loadZeromq } from "./load-zeromq";
import { decode, encode, KERNEL_SESSION_VARIABLE, newHeader, PARENT_PID_VARIABLE, readConnectionFile, RELAY_PID_VARIABLE, replyTo, Signer, socketAddress } from "./wire";
import type { ConnectionInfo, WireMessage } from "./wire";
import { kernelInfo } from "./info";
import { Outbox, receiveUntilClosed } from "./socket-io";
import type { Inbox } from "./socket-io";
import { parentPidFromEnv, processExists, watchParent } from "./parent-poller";

/** The routing id of the relay's three DEALERs as the kernel's ROUTERs see them. */
const RELAY_ID = "dl-workbook-relay";
/** How often the relay's kernel-side sockets retry their connection until the kernel binds (ZeroMQ's default: 100 ms). */
const RECONNECT_MS = 10;
/** After the kernel exits, how long the relay still forwards what the kernel sent last (shutdown_reply, idle). */
const EXIT_GRACE_MS = 100;
/** How long the kernel gets to end after SIGTERM before SIGKILL. */
const KILL_AFTER_MS = 5000;
/** The longest ipc socket path the relay uses (sun_path holds 108 bytes). */
const MAX_IPC_PATH = 100;
/** The private folders' names: `dl-workbook-relay-<relay pid>-<random>`. */
const FOLDER_PREFIX = "dl-workbook-relay-";

type RequestChannel = "shell" | "control" | "stdin";
const REQUEST_CHANNELS: readonly RequestChannel[] = ["shell", "control", "stdin"];

function log(text: string): void {
  try {
    fs.writeSync(2, `[dl-workbook relay] ${text}\n`);
  } catch {
    // stderr closed: nothing to do.
  }
}

/**
 * The kernel's connection file behind the relay: ipc sockets `<dir>/k-1` to `<dir>/k-5`, the front end's key.
 * @example privateConnection(readConnectionFile("kernel-1.json"), "/tmp/dl-workbook-relay-42-x1").shell_port // 1, at ipc:///tmp/dl-workbook-relay-42-x1/k-1
 */
export function privateConnection(info: ConnectionInfo, dir: string): ConnectionInfo {
  return { ...info, transport: "ipc", ip: path.join(dir, "k"), shell_port: 1, iopub_port: 2, stdin_port: 3, control_port: 4, hb_port: 5 };
}

/** The relay's frame-forwarding helper: hands each message `from` receives to `to` (frames unchanged) unless `intercept` takes it, until `from` is closed. */
async function forward(from: Inbox, to: ((frames: Buffer[]) => void) | Outbox, intercept: (frames: Buffer[]) => boolean = () => false): Promise<void> {
  const deliver = to instanceof Outbox ? (frames: Buffer[]) => void to.send(frames) : to;
  for await (const frames of receiveUntilClosed(from, log)) if (!intercept(frames)) deliver(frames);
}

/** A status message's execution state and whether it has a parent (the kernel's greeting has none); undefined for other messages. Read without checking the signature: it comes from our own kernel. */
function statusOf(frames: Buffer[]): { state: string; hasParent: boolean } | undefined {
  const at = frames.findIndex((frame) => frame.length === 9 && frame.toString() === "<IDS|MSG>");
  if (at < 0 || frames.length < at + 6) return undefined;
  const header = JSON.parse(frames[at + 2].toString()) as { msg_type?: unknown };
  if (header.msg_type !== "status") return undefined;
  const parent = JSON.parse(frames[at + 3].toString()) as Record<string, unknown>;
  const content = JSON.parse(frames[at + 5].toString()) as { execution_state?: unknown };
  return { state: String(content.execution_state), hasParent: Object.keys(parent).length > 0 };
}

/** The relay's sockets, its queue of requests waiting for the kernel, and the execution state it greets with. */
class Relay {
  private readonly zmq = loadZeromq();
  private readonly front = { shell: new this.zmq.Router(), control: new this.zmq.Router(), stdin: new this.zmq.Router(), iopub: new this.zmq.XPublisher(), hb: new this.zmq.Reply() };
  private readonly back = { shell: new this.zmq.Dealer(), control: new this.zmq.Dealer(), stdin: new this.zmq.Dealer(), iopub: new this.zmq.XSubscriber() };
  private readonly toFront: Record<RequestChannel | "iopub", Outbox>;
  private readonly toKernel: Record<RequestChannel, Outbox>;
  private readonly waiting: Record<RequestChannel, Buffer[][]> = { shell: [], control: [], stdin: [] };
  private readonly signer: Signer;
  /** True once the kernel's greeting arrived: requests go straight through from then on. */
  kernelReady = false;
  private markReady!: () => void;
  /** Resolves when the kernel is ready and all four kernel-side sockets have connected: its connection file and socket paths may go then. */
  readonly kernelConnected: Promise<void>;
  private executionState = "starting";

  constructor(
    private readonly info: ConnectionInfo,
    private readonly kernelSide: ConnectionInfo,
    readonly session: string,
  ) {
    this.signer = new Signer(info.key);
    this.front.iopub.verbosity = "allSubs";
    const front = this.front;
    this.toFront = {
      shell: new Outbox(front.shell, "shell", log),
      control: new Outbox(front.control, "control", log),
      stdin: new Outbox(front.stdin, "stdin", log),
      iopub: new Outbox(front.iopub, "iopub", log),
    };
    const back = this.back;
    this.toKernel = { shell: new Outbox(back.shell, "shell (kernel)", log), control: new Outbox(back.control, "control (kernel)", log), stdin: new Outbox(back.stdin, "stdin (kernel)", log) };
    const ready = new Promise<void>((resolve) => (this.markReady = resolve));
    const connects = Object.values(back).map((socket) => new Promise<void>((resolve) => socket.events.on("connect", () => resolve())));
    this.kernelConnected = Promise.all([ready, ...connects]).then(() => undefined);
  }

  private sockets(): Zmq.Socket[] {
    return [...Object.values(this.front), ...Object.values(this.back)];
  }

  /** Binds the front end's five ports, connects to the kernel's endpoints (ZeroMQ queues until it binds) and starts forwarding. */
  async start(): Promise<void> {
    for (const socket of this.sockets()) socket.linger = 1000;
    await Promise.all((["shell", "control", "stdin", "iopub", "hb"] as const).map((name) => this.front[name].bind(socketAddress(this.info, name))));
    for (const name of REQUEST_CHANNELS) {
      this.back[name].routingId = RELAY_ID;
      this.back[name].reconnectInterval = RECONNECT_MS;
      this.back[name].connect(socketAddress(this.kernelSide, name));
      void forward(this.back[name], this.toFront[name]);
      void forward(this.front[name], (frames) => this.fromFrontEnd(name, frames));
    }
    this.back.iopub.reconnectInterval = RECONNECT_MS;
    this.back.iopub.connect(socketAddress(this.kernelSide, "iopub"));
    await this.back.iopub.send([Buffer.from([1])]); // subscribe to every topic: the front end's XPUB filters
    void forward(this.back.iopub, this.toFront.iopub, (frames) => this.fromKernelIopub(frames));
    void forward(this.front.iopub, (frames) => this.greet(frames));
    void this.echoHeartbeats();
  }

  /** hb: every ping goes back as it came (a REP socket: one reply before the next receive). */
  private async echoHeartbeats(): Promise<void> {
    const hb = this.front.hb;
    while (!hb.closed) {
      try {
        await hb.send(await hb.receive());
      } catch (err) {
        if (!hb.closed) log(`heartbeat: ${(err as Error).message}`);
      }
    }
  }

  private fromFrontEnd(channel: RequestChannel, frames: Buffer[]): void {
    if (this.kernelReady) void this.toKernel[channel].send(frames);
    else this.beforeKernel(channel, frames);
  }

  /** Before the kernel is ready: kernel_info_request is answered here, anything else waits. */
  private beforeKernel(channel: RequestChannel, frames: Buffer[]): void {
    let message: WireMessage;
    try {
      message = decode(frames, this.signer);
    } catch (err) {
      log(`dropped a message on ${channel}: ${(err as Error).message}`);
      return;
    }
    if (message.header.msg_type !== "kernel_info_request" || channel === "stdin") {
      this.waiting[channel].push(frames);
      return;
    }
    this.publishStatus(message, "busy");
    void this.toFront[channel].send(encode(replyTo(message, "kernel_info_reply", kernelInfo(), this.session), this.signer));
    this.publishStatus(message, "idle");
  }

  private publishStatus(parent: WireMessage | undefined, state: string): void {
    const content = { execution_state: state };
    const message: WireMessage<unknown> = parent
      ? replyTo(parent, "status", content, this.session)
      : { identities: [], header: newHeader("status", this.session), parent_header: {}, metadata: {}, content, buffers: [] };
    message.identities = [Buffer.from("kernel.status")];
    this.executionState = state;
    void this.toFront.iopub.send(encode(message, this.signer));
  }

  /** A front-end subscription (0x01 + topic) gets a status message with the current state, as the kernel's own XPUB gives. */
  private greet(frames: Buffer[]): void {
    if (frames[0]?.[0] === 1) this.publishStatus(undefined, this.executionState);
  }

  /** Tracks the execution state; the kernel's greeting (a status without parent) marks it ready and is not passed on. */
  private fromKernelIopub(frames: Buffer[]): boolean {
    let status: ReturnType<typeof statusOf>;
    try {
      status = statusOf(frames);
    } catch {
      return false;
    }
    if (!status) return false;
    if (!status.hasParent) {
      if (!this.kernelReady) this.onKernelReady();
      return true;
    }
    this.executionState = status.state;
    return false;
  }

  private onKernelReady(): void {
    this.kernelReady = true;
    this.markReady();
    for (const channel of REQUEST_CHANNELS) {
      for (const frames of this.waiting[channel].splice(0)) void this.toKernel[channel].send(frames);
    }
  }

  /** Sends what is queued, then closes every socket. */
  async close(): Promise<void> {
    await Promise.all([...Object.values(this.toFront), ...Object.values(this.toKernel)].map((box) => box.drain()));
    for (const socket of this.sockets()) socket.close();
  }
}

/** Starts the kernel: `node <nodeArgs> <connectionFile>`, with the relay as its front end (JPY_PARENT_PID) and the relay's session id. */
function startKernel(nodeArgs: string[], connectionFile: string, session: string): ChildProcess {
  const env = { ...process.env, [PARENT_PID_VARIABLE]: String(process.pid), [RELAY_PID_VARIABLE]: String(process.pid), [KERNEL_SESSION_VARIABLE]: session };
  const kernel = spawn(process.execPath, [...nodeArgs, connectionFile], { stdio: "inherit", env });
  kernel.on("error", (err) => log(`cannot start the kernel: ${err.message}`));
  return kernel;
}

/** The folders of relays live under: the OS temporary folder, or /tmp where that path is too long for socket paths. */
function privateBase(): string {
  return path.join(os.tmpdir(), `${FOLDER_PREFIX}${process.pid}-XXXXXX`, "k-5").length <= MAX_IPC_PATH ? os.tmpdir() : "/tmp";
}

/** A mode-700 folder for the kernel's connection file and ipc sockets, named after the relay's process id. */
function privateFolder(): string {
  return fs.mkdtempSync(path.join(privateBase(), `${FOLDER_PREFIX}${process.pid}-`), { encoding: "utf8" });
}

/**
 * Removes what relays killed before their kernel was ready left behind: this user's folders whose relay process is gone.
 * @example removeStaleFolders() // ["/tmp/dl-workbook-relay-4242-Ab12Cd"]
 */
export function removeStaleFolders(base: string = privateBase()): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(base);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(/^dl-workbook-relay-(\d+)-/.exec(name)?.[1]);
    const folder = path.join(base, name);
    if (!(pid > 1) || processExists(pid)) continue;
    try {
      if (fs.statSync(folder).uid !== process.getuid?.()) continue;
      fs.rmSync(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // another relay removed it, or it is not ours
    }
  }
  return removed;
}

/**
 * `relay.js [node options] <connection_file>`: runs the relay until the kernel ends, then exits with the kernel's code.
 * @example runRelay(["--snapshot-blob", blob, "/run/user/1000/jupyter/kernel-1.json"])
 */
export function runRelay(argv: string[]): void {
  const connectionFile = argv[argv.length - 1];
  const nodeArgs = argv.slice(0, -1);
  const info = readConnectionFile(connectionFile);
  const dir = privateFolder();
  const kernelSide = privateConnection(info, dir);
  const kernelFile = path.join(dir, "kernel.json");
  fs.writeFileSync(kernelFile, JSON.stringify(kernelSide), { mode: 0o600 });
  const session = newHeader("status", "").msg_id;
  let kernel = startKernel(nodeArgs, kernelFile, session);
  const relay = new Relay(info, kernelSide, session);
  let ending = false;
  const endKernel = (why: string): void => {
    if (ending) return;
    ending = true;
    log(`${why}; ending the kernel (process ${kernel.pid})`);
    kernel.kill("SIGTERM");
    setTimeout(() => kernel.kill("SIGKILL"), KILL_AFTER_MS).unref();
  };
  const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    if (!relay.kernelReady && !ending && code !== 0 && nodeArgs.includes("--snapshot-blob")) {
      log(`the kernel started from the snapshot ended before it was ready (${code ?? signal}); starting it from its script`);
      kernel = startKernel([path.join(__dirname, "main.js")], kernelFile, session);
      kernel.once("exit", onExit);
      return;
    }
    const status = code ?? 128 + (signal ? os.constants.signals[signal] : 0);
    setTimeout(() => {
      void relay.close().finally(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        process.exit(status);
      });
    }, EXIT_GRACE_MS);
  };
  kernel.once("exit", onExit);
  process.on("SIGINT", () => kernel.kill("SIGINT"));
  process.on("SIGTERM", () => endKernel("SIGTERM"));
  process.on("SIGHUP", () => endKernel("SIGHUP"));
  // connected sockets outlive their paths: nothing of the kernel's stays on disk, even after a SIGKILL
  void relay.kernelConnected.then(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    removeStaleFolders();
  });
  relay.start().catch((err: Error) => endKernel(`cannot bind the ports of ${connectionFile}: ${err.message}`));
  const parentPid = parentPidFromEnv(process.env);
  if (parentPid !== undefined) watchParent(parentPid, () => endKernel(`the front end (process ${parentPid}, from ${PARENT_PID_VARIABLE}) is gone`));
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h") {
    console.error("Usage: node dist/kernel/relay.js [node options for the kernel] <connection_file>\nBinds the connection file's ports at once and starts the dl-workbook kernel behind them (kernel/relay.ts).");
    process.exitCode = argv.length === 0 ? 2 : 0;
  } else {
    try {
      runRelay(argv);
    } catch (err) {
      console.error(`dl-workbook relay: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  }
}
