/**
 * The seam between the course library and the kernel. Library objects never import the kernel:
 * an object that wants to look good in a notebook offers a MIME bundle through the method keyed
 * `Symbol.for("Jupyter.display")` (Deno's convention), and long-running code talks to the kernel
 * through the small {@link DisplayHost} the kernel installs on `globalThis`. Outside a kernel
 * (plain Node, a script, a test) every function here falls back to plain text on stdout.
 */
import { inspect } from "util";

/** The method key by which an object supplies its own MIME bundle. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** A Jupyter MIME bundle: `{ "text/plain": ..., "text/html": ..., "application/vnd.plotly.v1+json": {...} }`. */
export type MimeBundle = { [mimeType: string]: unknown };

/** Anything that can display itself in a notebook. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle;
}

/** Options for one `display` call. `displayId` makes the output updatable later. */
export interface DisplayOptions {
  displayId?: string;
  metadata?: Record<string, unknown>;
}

/** A message channel between kernel code and a front-end widget (Jupyter comms). */
export interface Comm {
  readonly commId: string;
  readonly targetName: string;
  /** Sends a comm_msg with `data` and optional binary buffers. */
  send(data: Record<string, unknown>, buffers?: readonly Uint8Array[]): void;
  close(data?: Record<string, unknown>): void;
  /** Called with each comm_msg's data and binary buffers (an empty list when it had none). */
  onMessage(handler: (data: Record<string, unknown>, buffers: readonly Uint8Array[]) => void): void;
  onClose(handler: (data: Record<string, unknown>) => void): void;
}

/** What the kernel provides to library code running in a cell. */
export interface DisplayHost {
  /** Sends `display_data` (or `update_display_data` when `update` is set with a displayId). */
  display(value: unknown, options?: DisplayOptions & { update?: boolean }): void;
  /** Sends `clear_output`. */
  clearOutput(wait?: boolean): void;
  /** True once the user asked to interrupt the cell now running; long loops check it between steps. */
  interruptRequested(): boolean;
  /** Opens a comm to the front end; `extra.metadata` goes into the comm_open's metadata, `extra.buffers` after it. */
  openComm(targetName: string, data?: Record<string, unknown>, extra?: { metadata?: Record<string, unknown>; buffers?: readonly Uint8Array[] }): Comm;
  /** Handles comms that the front end opens to `targetName`. */
  registerCommTarget(targetName: string, handler: (comm: Comm, data: Record<string, unknown>) => void): void;
  /**
   * The msg_id of the request whose code runs now: the execute_request of a cell, or the comm_msg
   * a widget's handler runs for. Output widgets set their `msg_id` to it to capture what follows.
   */
  currentMessageId?(): string | undefined;
}

const HOST_KEY = Symbol.for("dl-workbook.display-host");

/** The kernel's host, or undefined outside a kernel. */
export function displayHost(): DisplayHost | undefined {
  return (globalThis as { [HOST_KEY]?: DisplayHost })[HOST_KEY];
}

/** Installs (or removes, with undefined) the host. Called by the kernel only. */
export function setDisplayHost(host: DisplayHost | undefined): void {
  (globalThis as { [HOST_KEY]?: DisplayHost })[HOST_KEY] = host;
}

/** True when `value` offers its own MIME bundle. */
export function isDisplayable(value: unknown): value is Displayable {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as Partial<Displayable>)[JUPYTER_DISPLAY] === "function";
}

/** The plain-text form of a value: its bundle's text/plain when it has one, else util.inspect. */
export function plainText(value: unknown): string {
  if (isDisplayable(value)) {
    const text = value[JUPYTER_DISPLAY]()["text/plain"];
    if (typeof text === "string") return text;
  }
  return typeof value === "string" ? value : inspect(value, { depth: 4, colors: false });
}

/** Shows `value` in the notebook, or prints its plain text outside a kernel. */
export function display(value: unknown, options?: DisplayOptions): void {
  const host = displayHost();
  if (host) host.display(value, options);
  else console.log(plainText(value));
}

/** True when the user asked to interrupt the running cell (always false outside a kernel). */
export function interruptRequested(): boolean {
  return displayHost()?.interruptRequested() ?? false;
}

let handleCounter = 0;

/**
 * One output that updates in place: a progress bar, a live loss plot.
 * In a kernel it is a display with a display_id; outside, each update prints one line
 * (rewritten in place on a terminal).
 */
export class DisplayHandle {
  readonly displayId: string;
  private shown = false;

  constructor(initial?: unknown) {
    this.displayId = `dl-workbook-${process.pid}-${Date.now().toString(36)}-${++handleCounter}`;
    if (initial !== undefined) this.update(initial);
  }

  update(value: unknown): void {
    const host = displayHost();
    if (host) {
      host.display(value, { displayId: this.displayId, update: this.shown });
    } else if (process.stdout.isTTY) {
      process.stdout.write(`\r${plainText(value).split("\n")[0]}\x1b[K`);
    } else {
      console.log(plainText(value));
    }
    this.shown = true;
  }

  /** Ends a terminal line started by in-place updates. */
  close(): void {
    if (!displayHost() && process.stdout.isTTY && this.shown) process.stdout.write("\n");
  }
}

/** Creates an updatable display, optionally showing `initial` at once. */
export function createDisplayHandle(initial?: unknown): DisplayHandle {
  return new DisplayHandle(initial);
}

/** A value that shows as one fixed MIME bundle (what {@link html}, {@link markdown}, ... return). */
export class RichOutput implements Displayable {
  constructor(readonly bundle: MimeBundle) {}

  [JUPYTER_DISPLAY](): MimeBundle {
    return this.bundle;
  }

  /** Outside a kernel it prints as its text/plain. */
  toString(): string {
    const text = this.bundle["text/plain"];
    return typeof text === "string" ? text : Array.isArray(text) ? text.join("") : "";
  }
}

/**
 * HTML that renders in the notebook (text/html, with the HTML itself as text/plain).
 * @example html("<b>loss</b> went down") // the last expression of a cell, or display(html(...))
 */
export function html(markup: string, plain = markup): RichOutput {
  return new RichOutput({ "text/html": markup, "text/plain": plain });
}

/** Markdown rendered by the front end. @example markdown("**Adam**: $w \\leftarrow w - \\eta \\hat m / (\\sqrt{\\hat v} + \\epsilon)$") */
export function markdown(text: string): RichOutput {
  return new RichOutput({ "text/markdown": text, "text/plain": text });
}

/** LaTeX math, e.g. latex("$$h_t = \\tanh(W_{hh} h_{t-1} + W_{xh} x_t)$$"). */
export function latex(math: string): RichOutput {
  return new RichOutput({ "text/latex": math, "text/plain": math });
}

/** An SVG image given as markup. @example svg('<svg width="10" height="10"><circle r="5" cx="5" cy="5"/></svg>') */
export function svg(markup: string): RichOutput {
  return new RichOutput({ "image/svg+xml": markup, "text/plain": "[SVG image]" });
}

/** A PNG image from its file bytes (sent base64-encoded). @example png(fs.readFileSync("plot.png")) */
export function png(bytes: Uint8Array): RichOutput {
  return new RichOutput({ "image/png": Buffer.from(bytes).toString("base64"), "text/plain": `[PNG image, ${bytes.length} bytes]` });
}

/** A JPEG image from its file bytes (sent base64-encoded). */
export function jpeg(bytes: Uint8Array): RichOutput {
  return new RichOutput({ "image/jpeg": Buffer.from(bytes).toString("base64"), "text/plain": `[JPEG image, ${bytes.length} bytes]` });
}

/** The PNG encoder behind image displays (gray, RGB, RGBA bytes). */
export { encodePng } from "./png";
