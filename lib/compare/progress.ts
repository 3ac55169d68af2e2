/**
 * The progress display of a comparison: "run 5 of 12: 3-NN on mnist, seed 1", as a bar in a
 * notebook (updated in place through lib/display) and as a line on a terminal.
 */
import { JUPYTER_DISPLAY, type MimeBundle } from "../display";

/** A snapshot of a comparison's progress that displays itself. */
export class ComparisonProgress {
  constructor(
    /** Runs finished so far. */
    readonly done: number,
    /** Runs in all. */
    readonly total: number,
    /** What runs now (or what finished last). */
    readonly current: string,
  ) {}

  /** "[#####.....] 5/12 3-NN on mnist, seed 1" */
  toString(): string {
    const width = 20;
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${this.done}/${this.total} ${this.current}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const label = this.current.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] ?? c);
    return {
      "text/plain": this.toString(),
      "text/html": `<div><progress value="${this.done}" max="${this.total}" style="width:20em"></progress> ${this.done}/${this.total} ${label}</div>`,
    };
  }
}
