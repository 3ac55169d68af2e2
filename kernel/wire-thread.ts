/**
 * The wire thread: a worker that owns the kernel's ZeroMQ sockets (messaging spec, "sockets").
 *
 * - heartbeat: echoes every ping, even while a cell blocks the main thread;
 * - control: answers interrupt_request (raises the shared interrupt flag and sends SIGINT to the
 *   process, which breaks a synchronous loop run with vm's breakOnSigint), shutdown_request and
 *   kernel_info_request itself; forwards anything else to the main thread;
 * - shell: forwards every request to the main thread, which handles them in order;
 * - stdin: delivers input_reply to a main thread waiting synchronously in `input()`;
 * - iopub and replies: sends what the main thread posts.
 * Messages with a bad signature are dropped and logged on stderr, never handed on.
 * It also watches the front end that started the kernel (JPY_PARENT_PID, parent-poller.ts) and
 * shuts the kernel down when that process is gone, even while a cell blocks the main thread.
 */
import * as fs from "fs";
import { parentPort, workerData } from "worker_threads";
import type * as Zmq from "zeromq";
import { loadZeromq } from "./load-zeromq";
import { asText, decode, encode, readConnectionFile, replyTo, Signer, socketAddress, WireError } from "./wire";
import type { WireMessage } from "./wire";
import { Flag } from "./threads";
import type { Channel, InputAnswer, ToMain, ToWire, WireThreadData } from "./threads";
import { kernelInfo } from "./info";
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

/** Serializes sends on one socket: zeromq v6 allows one pending send per socket. */
class Outbox {
  private chain: Promise<void> = Promise.resolve();
  constructor(private readonly socket: Zmq.Writable & Socket, private readonly name: string) {}
  /** Resolves when everything sent so far has gone out. */
  drain(): Promise<void> {
    return this.chain;
  }

  send(frames: Buffer[]): Promise<void> {
    this.chain = this.chain.then(
      () => this.socket.send(frames),
    ).catch((err: Error) => log(`could not send on ${this.name}: ${err.message}`));
    return this.chain;
  }
}

/** Reads a socket until it is closed (closing ends the loop instead of throwing). */
async function* closedQuietly(socket: Zmq.Router | Zmq.Reply): AsyncGenerator<Buffer[]> {
  for (;;) {
    let frames: Buffer[];
    try {
      frames = await socket.receive();
    } catch (err) {
      if (socket.closed) return;
      log(`receive failed: ${(err as Error).message}`);
      continue;
    }
    yield frames;
  }
}

async function run(): Promise<void> {
  const info = readConnectionFile(data.connectionFile);
  const signer = new Signer(info.key);
  const session = data.session;

  const shell = new zmq.Router();
  const control = new zmq.Router();
  const stdin = new zmq.Router();
  const iopub = new zmq.Publisher();
  const hb = new zmq.Reply();
  for (const socket of [shell, control, stdin, iopub, hb]) socket.linger = 1000;
  await Promise.all([
    shell.bind(socketAddress(info, "shell")),
    control.bind(socketAddress(info, "control")),
    stdin.bind(socketAddress(info, "stdin")),
    iopub.bind(socketAddress(info, "iopub")),
    hb.bind(socketAddress(info, "hb")),
  ]);
  const outboxes: Record<Channel, Outbox> = {
    shell: new Outbox(shell, "shell"),
    control: new Outbox(control, "control"),
    stdin: new Outbox(stdin, "stdin"),
    iopub: new Outbox(iopub, "iopub"),
  };
  const send = (channel: Channel, message: WireMessage<unknown>): Promise<void> => outboxes[channel].send(encode(message, signer));
  const status = (parent: WireMessage<unknown>, state: "busy" | "idle"): Promise<void> =>
    send("iopub", { ...replyTo(parent, "status", { execution_state: state }, session), identities: [Buffer.from("kernel.status")] });

  let pendingInputRequest = false;
  const answerInput = (answer: InputAnswer): void => {
    pendingInputRequest = false;
    data.inputPort.postMessage(answer);
    Atomics.add(flags, Flag.InputReady, 1);
    Atomics.notify(flags, Flag.InputReady);
  };

  const interrupt = (): void => {
    Atomics.add(flags, Flag.InterruptCount, 1);
    Atomics.store(flags, Flag.Interrupt, 1);
    if (Atomics.load(flags, Flag.WaitingForInput) === 1) answerInput({ kind: "interrupted" });
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
  };

  /** Sends what is queued, then closes every socket (a process that exits with open sockets aborts in zeromq). */
  const closeAll = async (): Promise<void> => {
    await Promise.all(Object.values(outboxes).map((box) => box.drain()));
    for (const socket of [shell, control, stdin, iopub, hb]) socket.close();
  };

  let shuttingDown = false;
  const shutdown = (restart: boolean): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    toMain({ kind: "shutdown", restart });
    // If the main thread is stuck in a loop it cannot exit by itself: break it, then end the process.
    setTimeout(() => {
      if (Atomics.load(flags, Flag.Executing) === 1) process.kill(process.pid, "SIGINT");
    }, 500).unref();
    setTimeout(() => process.kill(process.pid, "SIGTERM"), 3000).unref();
  };

  port.on("message", (message: ToWire) => {
    if (message.kind === "send") void send(message.channel, revive(message.message));
    else if (message.kind === "input-request") {
      pendingInputRequest = true;
      void send("stdin", revive(message.message));
    } else if (message.kind === "exit") {
      void closeAll().then(() => process.exit(message.code));
    }
  });

  /** Reads frames from one socket, drops what cannot be decoded, and hands each message on. */
  async function serve(socket: Zmq.Router, name: "shell" | "control" | "stdin", handle: (message: WireMessage) => void): Promise<void> {
    for await (const frames of closedQuietly(socket)) {
      let message: WireMessage;
      try {
        message = decode(frames, signer);
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

  void (async () => {
    for await (const [ping] of closedQuietly(hb)) await hb.send(ping).catch(() => undefined);
  })();

  void serve(control, "control", (message) => {
    const type = message.header.msg_type as string;
    if (type === "interrupt_request") {
      void status(message, "busy");
      interrupt();
      void send("control", replyTo(message, "interrupt_reply", { status: "ok" }, session));
      void status(message, "idle");
    } else if (type === "shutdown_request") {
      const restart = Boolean((message.content as { restart?: unknown }).restart);
      void status(message, "busy");
      void send("control", replyTo(message, "shutdown_reply", { status: "ok", restart }, session));
      void status(message, "idle").then(() => shutdown(restart));
    } else if (type === "kernel_info_request") {
      void status(message, "busy");
      void send("control", replyTo(message, "kernel_info_reply", kernelInfo(), session));
      void status(message, "idle");
    } else {
      toMain({ kind: "request", channel: "control", message });
    }
  });

  void serve(shell, "shell", (message) => {
    if (message.header.msg_type === ("shutdown_request" as string)) {
      const restart = Boolean((message.content as { restart?: unknown }).restart);
      void send("shell", replyTo(message, "shutdown_reply", { status: "ok", restart }, session)).then(() => shutdown(restart));
      return;
    }
    toMain({ kind: "request", channel: "shell", message });
  });

  void serve(stdin, "stdin", (message) => {
    if (message.header.msg_type !== "input_reply") {
      log(`ignored ${message.header.msg_type} on stdin`);
      return;
    }
    if (!pendingInputRequest) {
      log("ignored an input_reply that answers no pending input request");
      return;
    }
    const value = (message.content as { value?: unknown }).value;
    answerInput({ kind: "value", value: asText(value) });
  });

  const parentPid = parentPidFromEnv(process.env);
  if (parentPid !== undefined) {
    const watch = watchParent(parentPid, () => {
      log(`the front end that started this kernel (process ${parentPid}, from ${PARENT_PID_VARIABLE}) is gone; shutting down`);
      shutdown(false);
    });
    if (!watch.watching) log(`${PARENT_PID_VARIABLE}=${parentPid} names no running process; the kernel will not stop when its front end does (unset ${PARENT_PID_VARIABLE} to silence this)`);
  }

  toMain({ kind: "ready" });
}

run().catch((err: Error) => {
  log(`cannot start: ${err.message}`);
  toMain({ kind: "fatal", error: err.message });
});
