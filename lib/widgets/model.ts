/**
 * The kernel side of the Jupyter widgets protocol, version 2.1.0 (ipywidgets 8): each widget is a
 * model whose state is kept in step with its front-end twin over one comm to the target
 * `jupyter.widget`. Kernel changes go out as `update`; front-end changes come in as `update` and
 * are echoed back as `echo_update` (so other front ends on the same kernel follow); `request_state`
 * gets the whole state; `custom` carries events such as a button's click. Outside a kernel a model
 * keeps its state locally, so the same code runs in plain Node and in tests.
 */
import { randomUUID } from "crypto";
import { displayHost, JUPYTER_DISPLAY } from "../display";
import type { Comm, DisplayHost, Displayable, MimeBundle } from "../display";

/** The widgets messaging protocol this module speaks (the comm_open metadata's `version`). */
export const WIDGET_PROTOCOL_VERSION = "2.1.0";
/** The comm target of widget models. */
export const WIDGET_COMM_TARGET = "jupyter.widget";
/** The comm target through which a front end asks for every model's state at once. */
export const WIDGET_CONTROL_TARGET = "jupyter.widget.control";
/** The MIME type of a displayed widget view. */
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";

/** The JavaScript modules (and model versions) of ipywidgets 8's models. */
export const WIDGET_MODULES = {
  base: { module: "@jupyter-widgets/base", version: "2.0.0" },
  controls: { module: "@jupyter-widgets/controls", version: "2.0.0" },
  output: { module: "@jupyter-widgets/output", version: "1.0.0" },
} as const;

/** A model's state: JSON values, or binary buffers (Uint8Array) at any depth. */
export type WidgetState = Record<string, unknown>;

/** A path to a buffer inside a state: keys and list indices. */
type BufferPath = (string | number)[];

/** Where the model and view classes of a widget live. */
export interface ModelSpec {
  modelName: string;
  viewName: string | null;
  module: keyof typeof WIDGET_MODULES;
  /** The view's module when it differs from the model's (style models use the base StyleView). */
  viewModule?: keyof typeof WIDGET_MODULES;
}

/** Models of this process by model id, for `jupyter.widget.control`'s request_states. */
const models = new Map<string, WidgetModel>();
/** Hosts (kernels) on which the control target is registered. */
const controlHosts = new WeakSet<DisplayHost>();

/**
 * One widget model and its comm.
 * @example const m = new WidgetModel({ modelName: "LayoutModel", viewName: "LayoutView", module: "base" }, {}); m.modelId
 */
export class WidgetModel {
  /** The comm id, which front ends use as the model id ("local-..." outside a kernel). */
  readonly modelId: string;
  private readonly state: WidgetState;
  private comm?: Comm;
  private readonly changeHandlers: ((changed: WidgetState, fromFrontEnd: boolean) => void)[] = [];
  private readonly customHandlers: ((content: Record<string, unknown>) => void)[] = [];

  constructor(spec: ModelSpec, state: WidgetState) {
    const model = WIDGET_MODULES[spec.module];
    const view = WIDGET_MODULES[spec.viewModule ?? spec.module];
    this.state = {
      _model_module: model.module,
      _model_module_version: model.version,
      _model_name: spec.modelName,
      _view_module: view.module,
      _view_module_version: view.version,
      _view_name: spec.viewName,
      _view_count: null,
      ...state,
    };
    const host = displayHost();
    if (!host) {
      this.modelId = `local-${randomUUID()}`;
      return;
    }
    registerControlTarget(host);
    const { state: json, paths, buffers } = splitBuffers(this.state);
    this.comm = host.openComm(WIDGET_COMM_TARGET, { state: json, buffer_paths: paths }, { metadata: { version: WIDGET_PROTOCOL_VERSION }, buffers });
    this.modelId = this.comm.commId;
    models.set(this.modelId, this);
    this.comm.onMessage((data, received) => this.onMessage(data, received));
    this.comm.onClose(() => {
      this.comm = undefined;
      models.delete(this.modelId);
    });
  }

  /** The value of one state key. */
  get(key: string): unknown {
    return this.state[key];
  }

  /** A copy of the whole state. */
  getState(): WidgetState {
    return { ...this.state };
  }

  /** Changes state from kernel code: sent to the front end as an `update`, then handlers run. */
  set(patch: WidgetState): void {
    Object.assign(this.state, patch);
    this.sendState("update", patch);
    for (const handler of this.changeHandlers) handler(patch, false);
  }

  /** Runs `handler` after every state change, with the changed keys and whether the front end made it. */
  onStateChange(handler: (changed: WidgetState, fromFrontEnd: boolean) => void): void {
    this.changeHandlers.push(handler);
  }

  /** Runs `handler` for each `custom` message from the front end (a button's `{ event: "click" }`). */
  onCustom(handler: (content: Record<string, unknown>) => void): void {
    this.customHandlers.push(handler);
  }

  /** The model as a reference inside another model's state ("IPY_MODEL_<id>"). */
  get reference(): string {
    return `IPY_MODEL_${this.modelId}`;
  }

  /** Closes the comm: front ends drop the model and its views. */
  close(): void {
    this.comm?.close();
  }

  private sendState(method: "update" | "echo_update", patch: WidgetState): void {
    if (!this.comm) return;
    const { state, paths, buffers } = splitBuffers(patch);
    this.comm.send({ method, state, buffer_paths: paths }, buffers);
  }

  private onMessage(data: Record<string, unknown>, buffers: readonly Uint8Array[]): void {
    switch (data.method) {
      case "update": {
        const patch = joinBuffers(isRecord(data.state) ? data.state : {}, Array.isArray(data.buffer_paths) ? (data.buffer_paths as BufferPath[]) : [], buffers);
        Object.assign(this.state, patch);
        // Protocol 2.1: the kernel echoes what it accepted; the sending front end matches the echo by parent msg_id.
        this.sendState("echo_update", patch);
        for (const handler of this.changeHandlers) handler(patch, true);
        return;
      }
      case "request_state":
        this.sendState("update", this.state);
        return;
      case "custom":
        for (const handler of this.customHandlers) handler(isRecord(data.content) ? data.content : {});
        return;
      default:
        return;
    }
  }
}

/**
 * A model that front ends can show: it displays as a widget view, with a text/plain that says
 * what it is for front ends without widgets (nbconvert, a terminal, GitHub).
 */
export abstract class DOMWidget implements Displayable {
  /** The widget's model. */
  readonly model: WidgetModel;
  /** Its layout model (sizes, margins), as every ipywidgets DOM widget has one. */
  readonly layout: WidgetModel;

  constructor(spec: ModelSpec, state: WidgetState, extra: { style?: WidgetModel } = {}) {
    this.layout = new WidgetModel({ modelName: "LayoutModel", viewName: "LayoutView", module: "base" }, {});
    const style = extra.style ? { style: extra.style.reference } : {};
    this.model = new WidgetModel(spec, { _dom_classes: [], tabbable: null, tooltip: null, ...state, layout: this.layout.reference, ...style });
  }

  /** The model id front ends know this widget by. */
  get modelId(): string {
    return this.model.modelId;
  }

  /** One line describing the widget, for text/plain. */
  abstract describe(): string;

  [JUPYTER_DISPLAY](): MimeBundle {
    return {
      [WIDGET_VIEW_MIME]: { version_major: 2, version_minor: 0, model_id: this.model.modelId },
      "text/plain": `${this.describe()} (an interactive widget: open the notebook in JupyterLab, Notebook or VS Code with the kernel running to use it)`,
    };
  }

  /** The text/plain form, also what it prints as outside a kernel. */
  toString(): string {
    return this.describe();
  }
}

/** Splits binary buffers out of a state: JSON state, buffer paths, buffers (protocol 2: any depth). */
function splitBuffers(state: WidgetState): { state: WidgetState; paths: BufferPath[]; buffers: Uint8Array[] } {
  const paths: BufferPath[] = [];
  const buffers: Uint8Array[] = [];
  const walk = (value: unknown, path: BufferPath): unknown => {
    if (value instanceof Uint8Array) {
      paths.push(path);
      buffers.push(value);
      return undefined;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]) ?? null);
    if (isRecord(value)) {
      const out: WidgetState = {};
      for (const [k, v] of Object.entries(value)) {
        const w = walk(v, [...path, k]);
        if (w !== undefined || !(v instanceof Uint8Array)) out[k] = w;
      }
      return out;
    }
    return value;
  };
  return { state: walk(state, []) as WidgetState, paths, buffers };
}

/** Puts received buffers back into a state at their paths. */
function joinBuffers(state: WidgetState, paths: BufferPath[], buffers: readonly Uint8Array[]): WidgetState {
  const out = structuredClone(state);
  paths.forEach((path, i) => {
    let at: unknown = out;
    for (const key of path.slice(0, -1)) at = (at as Record<string | number, unknown>)[key];
    if (typeof at === "object" && at !== null) (at as Record<string | number, unknown>)[path[path.length - 1]] = buffers[i];
  });
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Answers `jupyter.widget.control`'s request_states with every open model's state (ipywidgets 8's fast reload). */
function registerControlTarget(host: DisplayHost): void {
  if (controlHosts.has(host)) return;
  controlHosts.add(host);
  host.registerCommTarget(WIDGET_CONTROL_TARGET, (comm) => {
    comm.onMessage((data) => {
      if (data.method !== "request_states") return;
      // As ipywidgets 8 sends it: per model id its model name, module and state; buffer paths into the whole.
      const full: WidgetState = {};
      for (const [id, model] of models) {
        const state = model.getState();
        full[id] = { model_name: state._model_name, model_module: state._model_module, model_module_version: state._model_module_version, state };
      }
      const { state: states, paths, buffers } = splitBuffers(full);
      comm.send({ method: "update_states", states, buffer_paths: paths }, buffers);
    });
  });
}
