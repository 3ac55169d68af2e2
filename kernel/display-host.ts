/**
 * The kernel's side of the lib/display seam: a {@link DisplayHost} that turns values into
 * display_data / update_display_data / clear_output messages, reports interrupts to long loops,
 * and opens comms; plus the `display`, `clearOutput` globals every cell sees.
 */
import { setDisplayHost } from "../lib/display";
import type { Comm, DisplayHost, DisplayOptions, MimeBundle } from "../lib/display";
import { toBundle } from "./display/bundle";
import type { CommExtra, CommManager } from "./comms";

/** Sends one iopub message for the cell now running (or the last one). */
export type IopubSend = (msgType: "display_data" | "update_display_data" | "clear_output", content: Record<string, unknown>) => void;

export class KernelDisplayHost implements DisplayHost {
  constructor(
    private readonly send: IopubSend,
    private readonly comms: CommManager,
    private readonly interrupted: () => boolean,
    private readonly messageId: () => string | undefined = () => undefined,
  ) {}

  display(value: unknown, options: DisplayOptions & { update?: boolean } = {}): void {
    this.sendBundle(toBundle(value), options);
  }

  /** Sends a ready-made bundle. */
  sendBundle(data: MimeBundle, options: DisplayOptions & { update?: boolean } = {}): void {
    const transient = options.displayId ? { display_id: options.displayId } : {};
    if (options.update && !options.displayId) {
      throw new Error("display: { update: true } needs a displayId naming the output to update (createDisplayHandle() makes one)");
    }
    this.send(options.update ? "update_display_data" : "display_data", { data, metadata: options.metadata ?? {}, transient });
  }

  clearOutput(wait = false): void {
    this.send("clear_output", { wait });
  }

  interruptRequested(): boolean {
    return this.interrupted();
  }

  openComm(targetName: string, data?: Record<string, unknown>, extra?: CommExtra): Comm {
    return this.comms.open(targetName, data, extra);
  }

  currentMessageId(): string | undefined {
    return this.messageId();
  }

  registerCommTarget(targetName: string, handler: (comm: Comm, data: Record<string, unknown>) => void): void {
    this.comms.registerTarget(targetName, handler);
  }

  /** Installs this host for lib/display and defines `display` and `clearOutput` for cells. */
  install(): void {
    setDisplayHost(this);
    const bundle = (type: string, data: unknown): void => this.sendBundle({ [type]: data, "text/plain": typeof data === "string" ? data : `[${type}]` });
    const bytes = (type: string, data: Uint8Array): void => this.sendBundle({ [type]: Buffer.from(data).toString("base64"), "text/plain": `[${type}, ${data.length} bytes]` });
    const display = Object.assign((value: unknown, options?: DisplayOptions & { update?: boolean }) => this.display(value, options), {
      html: (html: string) => bundle("text/html", html),
      markdown: (markdown: string) => bundle("text/markdown", markdown),
      latex: (latex: string) => bundle("text/latex", latex),
      svg: (svg: string) => bundle("image/svg+xml", svg),
      png: (data: Uint8Array) => bytes("image/png", data),
      jpeg: (data: Uint8Array) => bytes("image/jpeg", data),
      text: (text: string) => this.sendBundle({ "text/plain": text }),
      json: (value: unknown) => this.sendBundle({ "application/json": value, "text/plain": JSON.stringify(value) }),
      bundle: (data: MimeBundle) => this.sendBundle(data),
    });
    Object.assign(globalThis, { display, clearOutput: (wait?: boolean) => this.clearOutput(wait) });
  }
}
