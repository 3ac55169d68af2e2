/**
 * The messages that pass between the kernel's two threads.
 *
 * The wire thread (a worker) owns the five ZeroMQ sockets, so heartbeat, interrupt and shutdown
 * keep working while the main thread runs a cell that never yields (`while (true) {}`).
 * The main thread runs the cells and posts every outgoing message to the wire thread, which
 * signs and sends it.
 */
import type { WireMessage } from "./wire";

/** The sockets a message can be sent on (heartbeat only echoes, so it is not listed). */
export type Channel = "shell" | "iopub" | "stdin" | "control";

/** Sent by the wire thread to the main thread. */
export type ToMain =
  { kind: "request"; channel: "shell" | "control"; message: WireMessage } | { kind: "interrupt" } | { kind: "shutdown"; restart: boolean } | { kind: "ready" } | { kind: "fatal"; error: string };

/** Sent by the main thread to the wire thread. */
export type ToWire =
  | { kind: "send"; channel: Channel; message: WireMessage<unknown> }
  /** Asks the front end for a line of input; the answer arrives on the input port (see {@link InputAnswer}). */
  | { kind: "input-request"; message: WireMessage<unknown> }
  | { kind: "exit"; code: number };

/** The answer to an input request, posted on the dedicated input port. */
export type InputAnswer = { kind: "value"; value: string } | { kind: "interrupted" };

/** What the main thread hands to the wire thread when it starts it. */
export interface WireThreadData {
  connectionFile: string;
  /** Shared flags, see {@link Flag}. */
  flags: SharedArrayBuffer;
  inputPort: import("worker_threads").MessagePort;
  /** The kernel's session id (the same in every message header from both threads). */
  session: string;
}

/** Slots of the shared Int32Array of flags. */
export const enum Flag {
  /** 1 while an interrupt has been requested and not yet consumed by the main thread. */
  Interrupt = 0,
  /** Incremented by the wire thread each time it posts an input answer. */
  InputReady = 1,
  /** 1 while the main thread runs cell code (a SIGINT then breaks a synchronous loop). */
  Executing = 2,
  /** 1 while the main thread waits synchronously for an input answer. */
  WaitingForInput = 3,
  /** How many interrupt_requests have arrived; lets the main thread ignore a late SIGINT from an interrupt it already handled. */
  InterruptCount = 4,
  /** Incremented by the main thread each time a cell starts; tells a late SIGINT which cell it was meant for. */
  CellSerial = 5,
}

/** Number of Int32 slots in the shared flags buffer. */
export const FLAG_COUNT = 6;
