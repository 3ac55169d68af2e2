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
import {
  displayMessage,
  echoMessage,
  installWidgetVersionTarget,
  openMessage,
  parseMessage,
  setWidgetFrontEnd,
  splitBuffers,
  updateMessage,
  viewBundle,
  widgetFrontEnd,
  WIDGET_CONTROL_TARGET,
} from "./protocol";
import type { WidgetState, WireData } from "./protocol";

export { WIDGET_CONTROL_TARGET } from "./protocol";
export type { WidgetState } from "./protocol";

/** The widgets messaging protocol this module speaks by default (the comm_open metadata's `version`). */
export const WIDGET_PROTOCOL_VERSION = "2.1.0";
/** The comm target of widget models. */
export const WIDGET_COMM_TARGET = "jupyter.widget";
/** The MIME type of a displayed widget view. */
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";

/** The JavaScript modules (and model versions) of ipywidgets 8's models. */
export const WIDGET_MODULES = {
  base: { module: "@jupyter-widgets/base", version: "2.0.0" },
  controls: { module: "@jupyter-widgets/controls", version: "2.0.0" },
  output: { module: "@jupyter-widgets/output", version: "1.0.0" },
} as const;

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
    const protocol = widgetFrontEnd().protocol;
    const open = openMessage(this.state, protocol, WIDGET_PROTOCOL_VERSION);
    this.comm = host.openComm(WIDGET_COMM_TARGET, open.data, { metadata: open.metadata ?? {}, buffers: open.buffers });
    // Protocol 1 takes no buffers in comm_open: binary values follow as an update, as ipywidgets 6 sent them.
    if (protocol === 1 && splitBuffers(this.state).paths.length > 0) this.sendState("update", this.state);
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

  /**
   * Tells a protocol-1 front end to show a view of this model in the cell now running (protocol 2
   * front ends show it from the widget-view output alone). Called as the widget is displayed.
   */
  announceDisplay(): void {
    const message = displayMessage(widgetFrontEnd().protocol);
    if (message && this.comm) this.comm.send(message);
  }

  /** Sends `patch` as an update, or as the echo of a front end's change, in the protocol of the moment. */
  private sendState(method: "update" | "echo_update", patch: WidgetState): void {
    if (!this.comm) return;
    const protocol = widgetFrontEnd().protocol;
    const message: WireData | undefined = method === "update" ? updateMessage(patch, this.state, protocol) : echoMessage(patch, protocol);
    if (message) this.comm.send(message.data, message.buffers);
  }

  private onMessage(data: Record<string, unknown>, buffers: readonly Uint8Array[]): void {
    const message = parseMessage(data, buffers, this.state);
    switch (message.kind) {
      case "state":
        Object.assign(this.state, message.patch);
        // Protocol 2.1: the kernel echoes what it accepted; the sending front end matches the echo by parent msg_id.
        this.sendState("echo_update", message.patch);
        for (const handler of this.changeHandlers) handler(message.patch, true);
        return;
      case "request_state":
        this.sendState("update", this.state);
        return;
      case "custom":
        for (const handler of this.customHandlers) handler(message.content);
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
    this.model.announceDisplay();
    const text = `${this.describe()} (an interactive widget: open the notebook in JupyterLab, Notebook or VS Code with the kernel running to use it)`;
    return viewBundle(this.model.modelId, text, widgetFrontEnd().protocol);
  }

  /** The text/plain form, also what it prints as outside a kernel. */
  toString(): string {
    return this.describe();
  }
}

/**
 * Registers the kernel-wide widget comm targets on the kernel's host at start, before any widget
 * exists: `jupyter.widget.version` (a protocol-1 front end connected) and `jupyter.widget.control`
 * (a protocol-2 front end connected). See ./protocol for what each switches.
 * @example installWidgetTargets(displayHost()!)
 */
export function installWidgetTargets(host: DisplayHost): void {
  installWidgetVersionTarget(host);
  registerControlTarget(host);
}

/**
 * Answers `jupyter.widget.control`'s request_states with every open model's state (ipywidgets 8's
 * fast reload). Only protocol-2 front ends open it, so its opening switches the kernel to protocol 2.
 */
function registerControlTarget(host: DisplayHost): void {
  if (controlHosts.has(host)) return;
  controlHosts.add(host);
  host.registerCommTarget(WIDGET_CONTROL_TARGET, (comm) => {
    setWidgetFrontEnd({ protocol: 2 });
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
