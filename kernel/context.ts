/**
 * Which cell is running: an AsyncLocalStorage store that follows timers and promises started by
 * a cell, so output, errors in timers and unhandled rejections reach the cell that caused them.
 */
import { AsyncLocalStorage } from "async_hooks";
import type { WireMessage } from "./wire";

/** The request a piece of cell code runs for. */
export interface CellContext {
  /** The execute_request (the parent of everything the cell outputs). */
  parent: WireMessage<unknown>;
  /** The cell's execution count (numbers it in tracebacks). */
  cell: number;
  /** Whether the front end accepts input_request (execute_request's allow_stdin). */
  allowStdin: boolean;
  /**
   * Set when the user interrupted this cell. Code the cell started keeps seeing it after the cell
   * has ended (a loop whose await was cut short by the interrupt), so it stops at its next check.
   */
  interrupted?: boolean;
}

const storage = new AsyncLocalStorage<CellContext>();

/** Runs `fn` as part of cell `context`. */
export function runInCell<T>(context: CellContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The cell whose code is running now (also inside its timers and promise callbacks). */
export function currentCell(): CellContext | undefined {
  return storage.getStore();
}
