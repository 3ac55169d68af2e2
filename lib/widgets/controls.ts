/**
 * The controls of `dl-workbook/widgets`: slider, dropdown, button, output area and boxes, each an
 * ipywidgets 8 model (`@jupyter-widgets/controls` 2.0.0, `@jupyter-widgets/output` 1.0.0) that
 * JupyterLab, Notebook 7 and VS Code draw with their standard widget manager (and, through
 * ./protocol, the ipywidgets 6 model of the same name that Notebook 6.4's jupyter-js-widgets draws).
 */
import { displayHost } from "../display";
import { DOMWidget, WidgetModel } from "./model";
import type { WidgetState } from "./model";

/**
 * A control as `interact` takes it: a widget with a value and change notifications (method
 * syntax, so that a `Slider` is a `Control<unknown>` too).
 */
export interface Control<T> extends DOMWidget {
  readonly value: T;
  onChange(handler: (value: T, old: T) => void): unknown;
}

/** A widget with a `.value` that follows the front end. */
export abstract class ValueWidget<T> extends DOMWidget implements Control<T> {
  private readonly handlers: ((value: T, old: T) => void)[] = [];
  private last!: T;

  /** Starts tracking value changes (called by subclasses once their model exists). */
  protected track(): void {
    this.last = this.value;
    this.model.onStateChange((changed) => {
      if (!this.changes(changed)) return;
      const old = this.last;
      this.last = this.value;
      for (const handler of this.handlers) handler(this.last, old);
    });
  }

  /** Whether a state change touches the value. */
  protected abstract changes(changed: WidgetState): boolean;

  /** The current value (the front end's, once the student moved the control). */
  abstract get value(): T;
  abstract set value(value: T);

  /**
   * Runs `handler(value, old)` whenever the value changes, from the front end or from code.
   * @example lr.onChange((value) => console.log(`learning rate ${value}`));
   */
  onChange(handler: (value: T, old: T) => void): this {
    this.handlers.push(handler);
    return this;
  }
}

/** Options of {@link slider}. */
export interface SliderOptions {
  min: number;
  max: number;
  /** Step between values (default (max - min) / 100, or 1 for an integer slider). */
  step?: number;
  /** Start value (default min). */
  value?: number;
  /** Label shown before the slider, e.g. "learning rate". */
  description?: string;
  /** Integer values (IntSlider) instead of floats (FloatSlider). */
  integer?: boolean;
  /** d3-format of the readout, e.g. ".3f" (default ".2f", "d" for integers). */
  readoutFormat?: string;
  /** Send values while dragging (true) or only on release (false, for slow callbacks). Default true. */
  continuousUpdate?: boolean;
  disabled?: boolean;
}

/** A horizontal slider over numbers (ipywidgets' FloatSlider or IntSlider). */
export class Slider extends ValueWidget<number> {
  readonly integer: boolean;

  constructor(options: SliderOptions) {
    const { min, max } = options;
    if (!(Number.isFinite(min) && Number.isFinite(max) && min < max)) throw new Error(`slider: min (${min}) must be a finite number below max (${max})`);
    const integer = options.integer === true;
    const step = options.step ?? (integer ? 1 : (max - min) / 100);
    const value = options.value ?? min;
    if (!(value >= min && value <= max)) throw new Error(`slider: value ${value} lies outside [${min}, ${max}]; pick a value inside the range`);
    const style = new WidgetModel({ modelName: "SliderStyleModel", viewName: "StyleView", module: "controls", viewModule: "base" }, { description_width: "initial", handle_color: null });
    super(
      { modelName: integer ? "IntSliderModel" : "FloatSliderModel", viewName: integer ? "IntSliderView" : "FloatSliderView", module: "controls" },
      {
        value,
        min,
        max,
        step,
        description: options.description ?? "",
        description_allow_html: false,
        disabled: options.disabled ?? false,
        continuous_update: options.continuousUpdate ?? true,
        orientation: "horizontal",
        readout: true,
        readout_format: options.readoutFormat ?? (integer ? "d" : ".2f"),
        behavior: "drag-tap",
      },
      { style },
    );
    this.integer = integer;
    this.track();
  }

  protected changes(changed: WidgetState): boolean {
    return "value" in changed;
  }

  get value(): number {
    return Number(this.model.get("value"));
  }

  set value(value: number) {
    const min = Number(this.model.get("min"));
    const max = Number(this.model.get("max"));
    if (!(value >= min && value <= max)) throw new Error(`slider "${String(this.model.get("description"))}": value ${value} lies outside [${min}, ${max}]`);
    this.model.set({ value });
  }

  describe(): string {
    const s = this.model.getState();
    return `${this.integer ? "IntSlider" : "FloatSlider"}(value=${this.value}, min=${String(s.min)}, max=${String(s.max)}, step=${String(s.step)}, description=${JSON.stringify(s.description)})`;
  }
}

/**
 * A slider over numbers. `.value` follows the student's moves once the cell has shown it.
 * @example const lr = slider({ min: 0.001, max: 0.1, step: 0.001, value: 0.01, description: "learning rate", readoutFormat: ".3f" }); lr
 */
export function slider(options: SliderOptions): Slider {
  return new Slider(options);
}

/** Options of {@link dropdown}. */
export interface DropdownOptions<T> {
  /** The choices. */
  options: readonly T[];
  /** What the list shows for each choice (default String(choice)). */
  labels?: readonly string[];
  /** Start value (default the first choice). */
  value?: T;
  description?: string;
  disabled?: boolean;
}

/** A drop-down list (ipywidgets' Dropdown): the front end sends the chosen index, the kernel maps it to a value. */
export class Dropdown<T> extends ValueWidget<T> {
  readonly labels: string[];
  readonly values: T[];

  constructor(options: DropdownOptions<T>) {
    if (options.options.length === 0) throw new Error("dropdown: options is empty; give at least one choice");
    if (options.labels && options.labels.length !== options.options.length) throw new Error(`dropdown: ${options.labels.length} labels for ${options.options.length} options; give one label per option`);
    const pairs = options.options.map((o, i): readonly [string, T] => [options.labels?.[i] ?? String(o), o]);
    const index = options.value === undefined ? 0 : pairs.findIndex(([, v]) => v === options.value);
    if (index < 0) throw new Error(`dropdown: value ${String(options.value)} is not one of the options (${pairs.map(([l]) => l).join(", ")})`);
    const style = new WidgetModel({ modelName: "DescriptionStyleModel", viewName: "StyleView", module: "controls", viewModule: "base" }, { description_width: "initial" });
    super(
      { modelName: "DropdownModel", viewName: "DropdownView", module: "controls" },
      { _options_labels: pairs.map(([l]) => l), index, description: options.description ?? "", description_allow_html: false, disabled: options.disabled ?? false },
      { style },
    );
    this.labels = pairs.map(([l]) => l);
    this.values = pairs.map(([, v]) => v);
    this.track();
  }

  protected changes(changed: WidgetState): boolean {
    return "index" in changed;
  }

  /** The chosen index into the options. */
  get index(): number {
    return Number(this.model.get("index"));
  }

  get value(): T {
    return this.values[this.index];
  }

  set value(value: T) {
    const index = this.values.indexOf(value);
    if (index < 0) throw new Error(`dropdown "${String(this.model.get("description"))}": ${String(value)} is not one of the options (${this.labels.join(", ")})`);
    this.model.set({ index });
  }

  describe(): string {
    return `Dropdown(value=${JSON.stringify(this.labels[this.index])}, options=${JSON.stringify(this.labels)}, description=${JSON.stringify(this.model.get("description"))})`;
  }
}

/**
 * A drop-down list of choices.
 * @example const optimizer = dropdown({ options: ["sgd", "sgdMomentum", "adam"], labels: ["SGD", "momentum", "Adam"], value: "adam", description: "optimizer" });
 */
export function dropdown<T>(options: DropdownOptions<T>): Dropdown<T> {
  return new Dropdown(options);
}

/** Options of {@link button}. */
export interface ButtonOptions {
  description: string;
  tooltip?: string;
  /** Colour by role: "primary", "success", "info", "warning", "danger" or "" (plain). */
  buttonStyle?: "primary" | "success" | "info" | "warning" | "danger" | "";
  /** A Font Awesome icon name, e.g. "refresh". */
  icon?: string;
  disabled?: boolean;
}

/** A push button (ipywidgets' Button); a click reaches the kernel as a `custom` message. */
export class Button extends DOMWidget {
  private readonly handlers: ((button: Button) => void)[] = [];

  constructor(options: ButtonOptions) {
    const style = new WidgetModel(
      { modelName: "ButtonStyleModel", viewName: "StyleView", module: "controls", viewModule: "base" },
      { button_color: null, font_family: null, font_size: null, font_style: null, font_variant: null, font_weight: null, text_color: null, text_decoration: null },
    );
    super(
      { modelName: "ButtonModel", viewName: "ButtonView", module: "controls" },
      { description: options.description, tooltip: options.tooltip ?? null, button_style: options.buttonStyle ?? "", icon: options.icon ?? "", disabled: options.disabled ?? false },
      { style },
    );
    this.model.onCustom((content) => {
      if (content.event === "click") this.click();
    });
  }

  /** Runs `handler` on each click. @example button({ description: "resample" }).onClick(() => redraw()) */
  onClick(handler: (button: Button) => void): this {
    this.handlers.push(handler);
    return this;
  }

  /** Clicks it from code (what a click in the front end does). */
  click(): void {
    for (const handler of this.handlers) handler(this);
  }

  describe(): string {
    return `Button(description=${JSON.stringify(this.model.get("description"))})`;
  }
}

/**
 * A push button.
 * @example const again = button({ description: "sample again", buttonStyle: "primary" }).onClick(() => draw());
 */
export function button(options: ButtonOptions): Button {
  return new Button(options);
}

/**
 * An output area (ipywidgets' Output). What code shows inside {@link Output.capture} lands in
 * it: the kernel sets the widget's `msg_id` to the request now running (the cell, or the comm
 * message of a moved control), and front ends route that request's outputs into the widget.
 * Without a front end (a headless run) those outputs stay in the cell.
 */
export class Output extends DOMWidget {
  constructor() {
    super({ modelName: "OutputModel", viewName: "OutputView", module: "output" }, { msg_id: "", outputs: [] });
  }

  /**
   * Runs `fn` with its displays and prints routed into this output area; awaits `fn` when it is async.
   * @example const out = output(); out; // then, in a later cell or a handler: out.capture(() => display(fig))
   */
  capture<R>(fn: () => R): R {
    const id = displayHost()?.currentMessageId?.() ?? "";
    const outer = String(this.model.get("msg_id"));
    this.model.set({ msg_id: id });
    // Back to what it was (nested captures restore the outer one; "" stops the routing).
    const done = (): void => this.model.set({ msg_id: outer });
    let result: R;
    try {
      result = fn();
    } catch (err) {
      done();
      throw err;
    }
    if (result instanceof Promise) return result.finally(done) as R;
    done();
    return result;
  }

  /** Clears the output area (`wait`: when the next output arrives, to avoid flicker). */
  clear(wait = false): void {
    this.capture(() => displayHost()?.clearOutput(wait));
  }

  describe(): string {
    return "Output()";
  }
}

/** An output area for captured displays. @example const out = output(); out.capture(() => display(linePlot(...))) */
export function output(): Output {
  return new Output();
}

/** A vertical (VBox) or horizontal (HBox) row of widgets. */
export class Box extends DOMWidget {
  constructor(
    readonly children: readonly DOMWidget[],
    readonly direction: "vertical" | "horizontal" = "vertical",
  ) {
    const name = direction === "vertical" ? "VBox" : "HBox";
    super({ modelName: `${name}Model`, viewName: `${name}View`, module: "controls" }, { children: children.map((c) => c.model.reference), box_style: "" });
  }

  describe(): string {
    return `${this.direction === "vertical" ? "VBox" : "HBox"}(${this.children.map((c) => c.describe()).join(", ")})`;
  }
}

/** Widgets stacked vertically. @example vbox([lr, momentum, out]) */
export function vbox(children: readonly DOMWidget[]): Box {
  return new Box(children, "vertical");
}

/** Widgets side by side. @example hbox([lr, momentum]) */
export function hbox(children: readonly DOMWidget[]): Box {
  return new Box(children, "horizontal");
}
