/**
 * Progress of a run over notebooks and their cells, on stderr: one line redrawn in place on a
 * terminal ("[2/9] 03-cnn.ipynb [######----] cell 12/20 0:41"), plain lines otherwise (CI logs).
 */

/** What a progress display is told; the runner and the book both report through it. */
export interface RunProgress {
  notebookStarted(name: string, index: number, total: number, cells: number): void;
  cellStarted(cell: number, cells: number): void;
  notebookFinished(name: string, summary: string): void;
  /** Text that must not be drawn over (an error message): ends the in-place line first. */
  message(text: string): void;
  close(): void;
}

/** A progress display writing to `stream` (default stderr); `tty` forces in-place drawing on or off. */
export class TerminalProgress implements RunProgress {
  private readonly tty: boolean;
  private line = "";
  private notebookName = "";
  private notebookIndex = 0;
  private notebookTotal = 0;
  private started = Date.now();
  private done = 0;
  private cells = 0;
  /** False between notebookStarted and the first cell: the kernel is starting. */
  private running = false;
  /** Redraws the terminal line every second, so the clock runs during a long cell. */
  private ticker?: NodeJS.Timeout;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
    tty?: boolean,
  ) {
    this.tty = tty ?? stream.isTTY === true;
  }

  notebookStarted(name: string, index: number, total: number, cells: number): void {
    this.notebookName = name;
    this.notebookIndex = index;
    this.notebookTotal = total;
    this.started = Date.now();
    this.running = false;
    if (this.tty) {
      this.draw(0, cells);
      clearInterval(this.ticker);
      this.ticker = setInterval(() => this.draw(this.done, this.cells), 1000);
      this.ticker.unref();
    } else this.stream.write(`[${index + 1}/${total}] ${name}: ${cells} code cells\n`);
  }

  cellStarted(cell: number, cells: number): void {
    this.running = true;
    if (this.tty) this.draw(cell, cells);
    else this.stream.write(`[${this.notebookIndex + 1}/${this.notebookTotal}] ${this.notebookName}: cell ${cell + 1}/${cells}\n`);
  }

  notebookFinished(name: string, summary: string): void {
    clearInterval(this.ticker);
    this.endLine();
    this.stream.write(`[${this.notebookIndex + 1}/${this.notebookTotal}] ${name}: ${summary} (${elapsed(Date.now() - this.started)})\n`);
  }

  message(text: string): void {
    this.endLine();
    this.stream.write(text.endsWith("\n") ? text : text + "\n");
  }

  close(): void {
    clearInterval(this.ticker);
    this.endLine();
  }

  /** [i/n] name [#####-----] cell k/m 0:12, with a bar of the cells done. */
  private draw(done: number, cells: number): void {
    this.done = done;
    this.cells = cells;
    const width = 20;
    const filled = cells === 0 ? width : Math.round((done / cells) * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    this.line = `[${this.notebookIndex + 1}/${this.notebookTotal}] ${this.notebookName} [${bar}] ${this.running ? `cell ${Math.min(done + 1, cells)}/${cells}` : "starting the kernel"} ${elapsed(Date.now() - this.started)}`;
    this.stream.write(`\r${this.line}\x1b[K`);
  }

  private endLine(): void {
    if (this.tty && this.line !== "") {
      this.stream.write("\n");
      this.line = "";
    }
  }
}

/** m:ss */
function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
