/**
 * `interact(fn, controls)`: controls above an output area; `fn` runs once at once and again each
 * time a control changes, and what it displays (Plotly figures included) replaces the output
 * area's content. A rerun triggered by the student runs inside the comm message that carried the
 * change, so its outputs carry that message as parent and the front end routes them into the
 * output area (whose `msg_id` is set to it while `fn` runs).
 */
import { display, displayHost } from "../display";
import { Box, Output } from "./controls";
import type { Control } from "./controls";

/** The controls of an interact: named widgets with a value. */
export type Controls = Record<string, Control<unknown>>;

/** The values `fn` receives: for each control name, its current value. */
export type ControlValues<C extends Controls> = { [K in keyof C]: C[K] extends Control<infer V> ? V : never };

/** Controls, an output area and the function that fills it. */
export class Interactive<C extends Controls> extends Box {
  /** The output area `fn` draws into. */
  readonly output: Output;
  /** How many times `fn` has run (1 after the first draw). */
  runs = 0;
  /** The async redraw in progress, if any. */
  private busy?: Promise<void>;

  constructor(
    private readonly fn: (values: ControlValues<C>) => unknown,
    readonly controls: C,
  ) {
    const out = new Output();
    super([...Object.values(controls), out], "vertical");
    this.output = out;
    for (const control of Object.values(controls)) control.onChange(() => void this.rerun());
  }

  /** The controls' current values. */
  values(): ControlValues<C> {
    const values: Record<string, unknown> = {};
    for (const [name, control] of Object.entries(this.controls)) values[name] = control.value;
    return values as ControlValues<C>;
  }

  /** The first draw: errors are thrown, so that a notebook run stops at a broken cell. */
  draw(): void | Promise<void> {
    return this.output.capture(() => this.call());
  }

  /**
   * A redraw after a change: clears the area when the new output arrives; errors go into the area.
   * A synchronous `fn` redraws at once, inside the handler of the message that changed the control
   * (so the kernel reports idle after the redraw); an async one is awaited, one redraw at a time.
   */
  rerun(): void | Promise<void> {
    const report = (err: unknown): void => console.error(`interact: ${this.fn.name || "fn"} failed for ${JSON.stringify(this.values())}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const redraw = (): void | Promise<void> =>
      this.output.capture(() => {
        displayHost()?.clearOutput(true);
        try {
          const result = this.call();
          return result instanceof Promise ? result.catch(report) : result;
        } catch (err) {
          report(err);
        }
      });
    const result = this.busy ? this.busy.then(redraw) : redraw();
    if (result instanceof Promise) {
      this.busy = result;
      void result.finally(() => {
        if (this.busy === result) this.busy = undefined;
      });
    }
    return result;
  }

  /** Runs fn once, displaying what it returns (when it returns something). */
  private call(): void | Promise<void> {
    this.runs++;
    const result = this.fn(this.values());
    if (result instanceof Promise) {
      return result.then((value: unknown) => {
        if (value !== undefined) display(value);
      });
    }
    if (result !== undefined) display(result);
  }

  override describe(): string {
    return `interact(${this.fn.name || "fn"}, { ${Object.entries(this.controls)
      .map(([name, c]) => `${name}: ${c.describe()}`)
      .join(", ")} })`;
  }
}

/**
 * Shows controls above an output area and calls `fn` with their values: once now, and again
 * whenever the student moves one (or code sets a control's `.value`). `fn` displays its result
 * (or returns it). End the cell with the returned widget (or pass it to `display`) to show it.
 * An async `fn` is awaited; await `interact(...).ready` before reading what it drew.
 * @example
 * const lr = slider({ min: 0.001, max: 0.1, step: 0.001, value: 0.01, description: "learning rate", readoutFormat: ".3f" });
 * interact(({ lr }) => linePlot({ y: losses(lr), name: `lr ${lr}` }), { lr });
 */
export function interact<C extends Controls>(fn: (values: ControlValues<C>) => unknown, controls: C): Interactive<C> & { ready: Promise<void> } {
  const widget = new Interactive(fn, controls);
  const first = widget.draw();
  return Object.assign(widget, { ready: first instanceof Promise ? first : Promise.resolve() });
}
