/**
 * stdout and stderr of cells as Jupyter `stream` messages.
 *
 * `process.stdout.write` and `process.stderr.write` are replaced; text is buffered and sent
 * at most every 50 ms (or at 64 KiB, or before any other output), so a loop that prints a
 * million lines costs a few hundred messages. Output goes to the cell that caused it (found
 * through the async context), even when a timer prints after the cell finished.
 */
import { currentCell } from "./context";
import type { CellContext } from "./context";

/** tfjs's advice to install tfjs-node, which this course does not use; it never reaches a cell. */
const TFJS_NODE_BANNER = /\n?=+\nHi, looks like you are running TensorFlow\.js in Node\.js\.[^=]*\n=+\n?/;

type Send = (context: CellContext, name: "stdout" | "stderr", text: string) => void;

export class StreamCapture {
  private pending: { context: CellContext; name: "stdout" | "stderr"; text: string }[] = [];
  private size = 0;
  private timer?: NodeJS.Timeout;
  private lastFlush = Date.now();
  readonly originalStdoutWrite = process.stdout.write.bind(process.stdout);
  readonly originalStderrWrite = process.stderr.write.bind(process.stderr);

  constructor(private readonly send: Send) {}

  /** Starts capturing. Text written outside any cell goes to the terminal as before. */
  install(): void {
    process.stdout.write = this.writer("stdout", this.originalStdoutWrite);
    process.stderr.write = this.writer("stderr", this.originalStderrWrite);
  }

  private writer(name: "stdout" | "stderr", original: (chunk: string | Uint8Array) => boolean) {
    return (chunk: string | Uint8Array, encodingOrCallback?: BufferEncoding | ((err?: Error) => void), callback?: (err?: Error) => void): boolean => {
      const context = currentCell();
      const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
      if (!context) {
        const ok = original(chunk);
        done?.();
        return ok;
      }
      let text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString(typeof encodingOrCallback === "string" ? encodingOrCallback : "utf8");
      if (name === "stderr" && TFJS_NODE_BANNER.test(text)) text = text.replace(TFJS_NODE_BANNER, "");
      if (text.length > 0) this.push(context, name, text);
      done?.();
      return true;
    };
  }

  private push(context: CellContext, name: "stdout" | "stderr", text: string): void {
    const last = this.pending[this.pending.length - 1];
    if (last && last.context === context && last.name === name) last.text += text;
    else this.pending.push({ context, name, text });
    this.size += text.length;
    // During a synchronous loop timers cannot fire, so flush by size and age here too.
    if (this.size >= 65536 || Date.now() - this.lastFlush >= 100) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), 50);
  }

  /** Sends everything buffered. Called before any other output and at the end of every request. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.lastFlush = Date.now();
    const pending = this.pending;
    this.pending = [];
    this.size = 0;
    for (const item of pending) this.send(item.context, item.name, item.text);
  }
}
