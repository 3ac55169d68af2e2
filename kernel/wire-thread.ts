/**
 * The wire thread: a worker that owns the kernel's ZeroMQ sockets (messaging spec, "sockets").
 *
 * - heartbeat: echoes every ping, even while a cell blocks the main thread;
 * - control: answers interrupt_request (raises the shared interrupt flag and sends SIGINT to the
 *   process, which breaks a synchronous loop run with vm's breakOnSigint), shutdown_request and
 *   kernel_info_request itself; forwards anything else to the main thread;
 * - shell: forwards every request to the main thread, which handles them in order;
 * - stdin: delivers input_reply to a main thread waiting synchronously in `input()`;
 * - iopub and replies: sends what the main thread posts. iopub is an XPUB socket: each new
 *   subscriber gets one `status` message with the kernel's current execution state, so a client
 *   that subscribed after the kernel answered its first kernel_info_request still sees iopub work
 *   (jupyter_client's wait_for_ready otherwise sends kernel_info again, and that one waits behind
 *   the TypeScript warm-up, which made the time to ready vary severalfold from start to start).
 * Messages with a bad signature are dropped and logged on stderr, never handed on.
 * It also watches the front end that started the kernel (JPY_PARENT_PID, parent-poller.ts) and
 * shuts the kernel down when that process is gone, even while a cell blocks the main thread.
 */
import * as fs from "fs";
import { parentPort, workerData } from "worker_threads";
import type * as Zmq from "zeromq";
import { loadZeromq } from "./load-zeromq";
import { asText, decode, encode, newHeader, readConnectionFile, RELAY_PID_VARIABLE, replyTo, Signer, socketAddress, WireError } from "./wire";
import type { ConnectionInfo } from "./wire";
import type { WireMessage } from "./wire";
import { Flag } from "./threads";
import type { Channel, InputAnswer, ToMain, ToWire, WireThreadData } from "./threads";
import { kernelInfo } from "./info";
import { Outbox, receiveUntilClosed } from "./socket-io";
import { parentPidFromEnv, PARENT_PID_VARIABLE, watchParent } from "./parent-poller";

/** How long after interrupt_request a cell still running gets a SIGINT. */
const SIGINT_DELAY_MS = 200;

const zmq = loadZeromq();
type Socket = Zmq.Socket;
const data = workerData as WireThreadData;
const flags = new Int32Array(data.flags);
const port = parentPort!;

/** Kernel log lines go straight to file descriptor 2 (the front end's terminal), never into a cell. */
function log(text: string): void {
  try {
    fs.writeSync(2, `[dl-workbook kernel] ${text}\n`);
  } catch {
    // stderr closed: nothing to do.
  }
}

function toMain(message: ToMain): void {
  port.postMessage(message);
}

/** Structured cloning turns Buffers into Uint8Arrays; make them Buffers again. */
function revive(message: WireMessage<unknown>): WireMessage<unknown> {
  return {
    ...message,
    identities: (message.identities ?? []).map((id) => Buffer.from(id)),
    buffers: (message.buffers ?? []).map((b) => Buffer.from(b)),
  };
}

/** The kernel's five sockets, bound to the ports of the connection file. */
interface Sockets {
  shell: Zmq.Router;
  control: Zmq.Router;
  stdin: Zmq.Router;
  iopub: Zmq.XPublisher;
  hb: Zmq.Reply;
}

function allSockets(sockets: Sockets): Socket[] {
  return [sockets.shell, sockets.control, sockets.stdin, sockets.iopub, sockets.hb];
}

/** Binds the five sockets (messaging spec, "sockets") to the connection file's ports. */
async function bindSockets(info: ConnectionInfo): Promise<Sockets> {
  const sockets: Sockets = { shell: new zmq.Router(), control: new zmq.Router(), stdin: new zmq.Router(), iopub: new zmq.XPublisher(), hb: new zmq.Reply() };
  // every subscription reaches the kernel, not only the first for a topic (ZMQ_XPUB_VERBOSE)
  sockets.iopub.verbosity = "allSubs";
  for (const socket of allSockets(sockets)) socket.linger = 1000;
  await Promise.all((Object.keys(sockets) as (keyof Sockets)[]).map((name) => sockets[name].bind(socketAddress(info, name))));
  return sockets;
}

/**
 * The wire thread's state: the sockets and their outboxes, whether the main thread waits for an
 * input_reply, and whether shutdown has begun. Its phases: `bind`, then `listen` (the main
 * thread's posts, heartbeat, control, shell, stdin), then `watchFrontEnd`.
 */
class WireThread {
  private readonly outboxes: Record<Channel, Outbox>;
  private pendingInputRequest = false;
  /** The last execution_state published on iopub (a new subscriber is told it). */
  private executionState = "starting";
  private shuttingDown = false;

  private constructor(
    private readonly sockets: Sockets,
    private readonly signer: Signer,
    private readonly session: string,
  ) {
    this.outboxes = {
      shell: new Outbox(sockets.shell, "shell", log),
      control: new Outbox(sockets.control, "control", log),
      stdin: new Outbox(sockets.stdin, "stdin", log),
      iopub: new Outbox(sockets.iopub, "iopub", log),
    };
  }

  /** Reads the connection file and binds the sockets. */
  static async bind(connectionFile: string, session: string): Promise<WireThread> {
    const info = readConnectionFile(connectionFile);
    return new WireThread(await bindSockets(info), new Signer(info.key), session);
  }

  /** Starts every loop: the main thread's posts, the heartbeat, and the three request sockets. */
  listen(): void {
    port.on("message", (message: ToWire) => this.fromMain(message));
    void (async () => {
      for await (const [ping] of receiveUntilClosed(this.sockets.hb, log)) await this.sockets.hb.send(ping).catch(() => undefined);
    })();
    void this.serve(this.sockets.control, "control", (message) => this.onControl(message));
    void this.serve(this.sockets.shell, "shell", (message) => this.onShell(message));
    void this.serve(this.sockets.stdin, "stdin", (message) => this.onStdin(message));
    void this.greetSubscribers();
  }

  /** A subscription frame is 0x01 + topic: answer it with the current state, without a parent. */
  private async greetSubscribers(): Promise<void> {
    for await (const [frame] of receiveUntilClosed(this.sockets.iopub, log)) {
      if (frame?.[0] !== 1) continue;
      const header = newHeader("status", this.session);
      void this.send("iopub", { identities: [Buffer.from("kernel.status")], header, parent_header: {}, metadata: {}, content: { execution_state: this.executionState }, buffers: [] });
    }
  }

  /** Shuts the kernel down when the front end that started it (JPY_PARENT_PID) is gone. */
  watchFrontEnd(): void {
    const parentPid = parentPidFromEnv(process.env);
    if (parentPid === undefined) return;
    // started by the kernelspec's relay (kernel/relay.ts), whose child this kernel is: re-parented
    // already, the relay is gone (perhaps a zombie nobody reaped yet) and no front end can reach this kernel
    if (process.env[RELAY_PID_VARIABLE] === String(parentPid) && process.ppid !== parentPid) {
      log(`the relay that started this kernel (process ${parentPid}) is gone; shutting down`);
      this.shutdown(false);
      return;
    }
    const watch = watchParent(parentPid, () => {
      log(`the front end that started this kernel (process ${parentPid}, from ${PARENT_PID_VARIABLE}) is gone; shutting down`);
      this.shutdown(false);
    });
    if (!watch.watching) log(`${PARENT_PID_VARIABLE}=${parentPid} names no running process; the kernel will not stop when its front end does (unset ${PARENT_PID_VARIABLE} to silence this)`);
  }

  private send(channel: Channel, message: WireMessage<unknown>): Promise<void> {
    if (channel === "iopub" && message.header.msg_type === "status") this.executionState = asText((message.content as { execution_state?: unknown }).execution_state);
    return this.outboxes[channel].send(encode(message, this.signer));
  }

  private status(parent: WireMessage<unknown>, state: "busy" | "idle"): Promise<void> {
    return this.send("iopub", { ...replyTo(parent, "status", { execution_state: state }, this.session), identities: [Buffer.from("kernel.status")] });
  }

  /** What the main thread posts: messages to send, an input request, or the end. */
  private fromMain(message: ToWire): void {
    if (message.kind === "send") void this.send(message.channel, revive(message.message));
    else if (message.kind === "input-request") {
      this.pendingInputRequest = true;
      void this.send("stdin", revive(message.message));
    } else if (message.kind === "exit") {
      void this.closeAll().then(() => process.exit(message.code));
    }
  }

  private answerInput(answer: InputAnswer): void {
    this.pendingInputRequest = false;
    data.inputPort.postMessage(answer);
    Atomics.add(flags, Flag.InputReady, 1);
    Atomics.notify(flags, Flag.InputReady);
  }

  private interrupt(): void {
    Atomics.add(flags, Flag.InterruptCount, 1);
    Atomics.store(flags, Flag.Interrupt, 1);
    if (Atomics.load(flags, Flag.WaitingForInput) === 1) this.answerInput({ kind: "interrupted" });
    toMain({ kind: "interrupt" });
    // Loops written in a cell stop on the flag by themselves. A SIGINT (vm breakOnSigint) breaks
    // synchronous code without loop checks, e.g. inside a library; it goes only to a cell still
    // running a moment later, so a signal that arrives late cannot break the cell after it.
    if (Atomics.load(flags, Flag.Executing) === 1) {
      const serial = Atomics.load(flags, Flag.CellSerial);
      setTimeout(() => {
        if (Atomics.load(flags, Flag.Executing) === 1 && Atomics.load(flags, Flag.CellSerial) === serial) process.kill(process.pid, "SIGINT");
      }, SIGINT_DELAY_MS);
    }
  }

  /** Sends what is queued, then closes every socket (a process that exits with open sockets aborts in zeromq). */
  private async closeAll(): Promise<void> {
    await Promise.all(Object.values(this.outboxes).map((box) => box.drain()));
    for (const socket of allSockets(this.sockets)) socket.close();
  }

  private shutdown(restart: boolean): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    toMain({ kind: "shutdown", restart });
    // If the main thread is stuck in a loop it cannot exit by itself: break it, then end the process.
    setTimeout(() => {
      if (Atomics.load(flags, Flag.Executing) === 1) process.kill(process.pid, "SIGINT");
    }, 500).unref();
    setTimeout(() => process.kill(process.pid, "SIGTERM"), 3000).unref();
  }

  /** Reads frames from one socket, drops what cannot be decoded, and hands each message on. */
  private async serve(socket: Zmq.Router, name: "shell" | "control" | "stdin", handle: (message: WireMessage) => void): Promise<void> {
    for await (const frames of receiveUntilClosed(socket, log)) {
      let message: WireMessage;
      try {
        message = decode(frames, this.signer);
      } catch (err) {
        const reason = err instanceof WireError ? err.reason : "error";
        log(`dropped a message on ${name} (${reason}): ${(err as Error).message}`);
        continue;
      }
      try {
        handle(message);
      } catch (err) {
        log(`error handling ${message.header.msg_type} on ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
  }

  /** Control: interrupt, shutdown and kernel_info are answered here, even while a cell runs; the rest goes to the main thread. */
  private onControl(message: WireMessage): void {
    const type = message.header.msg_type as string;
    if (type === "interrupt_request") {
      void this.status(message, "busy");
      this.interrupt();
      void this.send("control", replyTo(message, "interrupt_reply", { status: "ok" }, this.session));
      void this.status(message, "idle");
    } else if (type === "shutdown_request") {
      const restart = Boolean((message.content as { restart?: unknown }).restart);
      void this.status(message, "busy");
      void this.send("control", replyTo(message, "shutdown_reply", { status: "ok", restart }, this.session));
      void this.status(message, "idle").then(() => this.shutdown(restart));
    } else if (type === "kernel_info_request") {
      void this.status(message, "busy");
      void this.send("control", replyTo(message, "kernel_info_reply", kernelInfo(), this.session));
      void this.status(message, "idle");
    } else {
      toMain({ kind: "request", channel: "control", message });
    }
  }

  /** Shell: every request goes to the main thread in order, except shutdown (older clients send it here). */
  private onShell(message: WireMessage): void {
    if (message.header.msg_type === ("shutdown_request" as string)) {
      const restart = Boolean((message.content as { restart?: unknown }).restart);
      void this.send("shell", replyTo(message, "shutdown_reply", { status: "ok", restart }, this.session)).then(() => this.shutdown(restart));
      return;
    }
    toMain({ kind: "request", channel: "shell", message });
  }

  /** Stdin: an input_reply answers the main thread waiting in `input()`; anything else is logged. */
  private onStdin(message: WireMessage): void {
    if (message.header.msg_type !== "input_reply") {
      log(`ignored ${message.header.msg_type} on stdin`);
      return;
    }
    if (!this.pendingInputRequest) {
      log("ignored an input_reply that answers no pending input request");
      return;
    }
    const value = (message.content as { value?: unknown }).value;
    this.answerInput({ kind: "value", value: asText(value) });
  }
}

async function run(): Promise<void> {
  const wire = await WireThread.bind(data.connectionFile, data.session);
  wire.listen();
  wire.watchFrontEnd();
  toMain({ kind: "ready" });
}

run().catch((err: Error) => {
  log(`cannot start: ${err.message}`);
  toMain({ kind: "fatal", error: err.message });
});
