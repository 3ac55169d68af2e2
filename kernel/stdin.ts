/**
 * `input(prompt)` in cells, synchronous like Python's: the main thread posts an input_request,
 * then sleeps on a shared flag (Atomics.wait) until the wire thread delivers the input_reply
 * (or an interrupt) on a dedicated port, which is read synchronously.
 */
import { receiveMessageOnPort } from "worker_threads";
import type { MessagePort } from "worker_threads";
import { Flag } from "./threads";
import type { InputAnswer } from "./threads";
import { currentCell } from "./context";
import { InterruptError } from "./executor";

export class StdinReader {
  constructor(
    private readonly flags: Int32Array,
    private readonly port: MessagePort,
    private readonly request: (parentContent: { prompt: string; password: boolean }) => void,
    private readonly beforeWait: () => void,
  ) {}

  /** Asks the front end for one line; throws when stdin is not allowed or the cell is interrupted. */
  read(prompt: string, password: boolean): string {
    const fn = password ? "password" : "input";
    const context = currentCell();
    if (!context) throw new Error(`${fn}(): can only be called while a cell runs, not from a timer or callback after it finished`);
    if (!context.allowStdin) {
      throw new Error(`${fn}(): this front end does not accept input (its execute_request has allow_stdin: false). Run the cell in Jupyter Notebook/Lab, or pass the value in code instead.`);
    }
    if (Atomics.load(this.flags, Flag.Interrupt) === 1) throw new InterruptError();
    this.beforeWait();
    const seen = Atomics.load(this.flags, Flag.InputReady);
    Atomics.store(this.flags, Flag.WaitingForInput, 1);
    try {
      this.request({ prompt, password });
      for (;;) {
        Atomics.wait(this.flags, Flag.InputReady, seen, 1000);
        const received = receiveMessageOnPort(this.port);
        if (received) {
          const answer = received.message as InputAnswer;
          if (answer.kind === "interrupted") throw new InterruptError();
          return answer.value;
        }
        if (Atomics.load(this.flags, Flag.Interrupt) === 1) throw new InterruptError();
      }
    } finally {
      Atomics.store(this.flags, Flag.WaitingForInput, 0);
    }
  }
}
