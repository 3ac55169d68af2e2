/**
 * The two widget messaging protocols this kernel speaks, in one place. Protocol 2 (2.1.0,
 * ipywidgets 8 models) is the default: JupyterLab, Notebook 7, VS Code and nbclient. Protocol 1
 * is what the classic Notebook 6.4 with Debian's jupyter-js-widgets 2.1.4 (ipywidgets 6) speaks:
 * such a front end opens a comm to the target `jupyter.widget.version` when it connects to the
 * kernel, and from then on the kernel speaks protocol 1 (models from the module
 * `jupyter-js-widgets`, state at the top level of comm_open, `backbone` updates, a `display`
 * message). A protocol-2 front end that connects later (it opens `jupyter.widget.control` to
 * fetch the models) switches the kernel back: the last front end to connect wins, and every
 * model formats each message with the protocol current when it is sent.
 */
import type { DisplayHost } from "../display";

/** The widget protocol a front end speaks: 1 (ipywidgets 6) or 2 (ipywidgets 7 and 8). */
export type WidgetProtocol = 1 | 2;

/** A model's state: JSON values, or binary buffers (Uint8Array) at any depth. */
export type WidgetState = Record<string, unknown>;

/** A path to a buffer inside a state: keys and list indices. */
export type BufferPath = (string | number)[];

/** The comm target a protocol-1 front end opens to check the kernel's widget version. */
export const WIDGET_VERSION_TARGET = "jupyter.widget.version";
/** The comm target through which a protocol-2 front end asks for every model's state at once. */
export const WIDGET_CONTROL_TARGET = "jupyter.widget.control";
/** The semver range of jupyter-js-widgets that ipywidgets 6.0.0 asks protocol-1 front ends for. */
export const PROTOCOL1_FRONTEND_RANGE = "~2.1.4";
/** The JavaScript module of every protocol-1 model (jupyter-js-widgets 2.x). */
export const PROTOCOL1_MODULE = "jupyter-js-widgets";

/** What the kernel knows about the front end's widget protocol. */
export interface WidgetFrontEnd {
  protocol: WidgetProtocol;
  /** Protocol 1: the jupyter-js-widgets version the front end reported, and whether it met the range. */
  frontendVersion?: string;
  validated?: boolean;
}

const FRONT_END_KEY = Symbol.for("dl-workbook.widget-front-end");

/** The front end's protocol as the kernel last learnt it (2 until a protocol-1 front end connects). */
export function widgetFrontEnd(): WidgetFrontEnd {
  return (globalThis as { [FRONT_END_KEY]?: WidgetFrontEnd })[FRONT_END_KEY] ?? { protocol: 2 };
}

/** Sets the protocol the kernel speaks from now on (kept on globalThis: one per kernel process). */
export function setWidgetFrontEnd(frontEnd: WidgetFrontEnd): void {
  (globalThis as { [FRONT_END_KEY]?: WidgetFrontEnd })[FRONT_END_KEY] = frontEnd;
}

/**
 * Registers `jupyter.widget.version` on the kernel's host: a front end that opens it speaks
 * protocol 1. Answered as ipywidgets 6 did: the kernel sends `{ version: "~2.1.4" }`, the front
 * end replies `{ validated, frontend_version }`. The kernel calls this once at start.
 * @example installWidgetVersionTarget(displayHost()!); widgetFrontEnd().protocol // 1 once Notebook 6.4 connected
 */
export function installWidgetVersionTarget(host: DisplayHost): void {
  host.registerCommTarget(WIDGET_VERSION_TARGET, (comm) => {
    setWidgetFrontEnd({ protocol: 1 });
    comm.onMessage((data) => {
      const frontendVersion = typeof data.frontend_version === "string" ? data.frontend_version : undefined;
      setWidgetFrontEnd({ protocol: 1, frontendVersion, validated: data.validated === true });
    });
    // Protocol 1, kernel -> front end on the version comm: the jupyter-js-widgets range the kernel needs.
    comm.send({ version: PROTOCOL1_FRONTEND_RANGE });
  });
}

/** A comm message as the adapter builds it: data, and binary buffers to send after it. */
export interface WireData {
  data: WidgetState;
  buffers: Uint8Array[];
  /** The comm_open's metadata (protocol 2 puts its version there). */
  metadata?: Record<string, unknown>;
}

/** A message from the front end, whichever protocol it came in. */
export type Incoming = { kind: "state"; patch: WidgetState } | { kind: "request_state" } | { kind: "custom"; content: Record<string, unknown> } | { kind: "other" };

/** The comm_open of a model whose full state is `state` (protocol 2 state names). */
export function openMessage(state: WidgetState, protocol: WidgetProtocol, version: string): WireData {
  if (protocol === 2) {
    // Protocol 2 comm_open: { state, buffer_paths }, metadata { version }, buffers at any depth.
    const { state: json, paths, buffers } = splitBuffers(state);
    return { data: { state: json, buffer_paths: paths }, buffers, metadata: { version } };
  }
  // Protocol 1 comm_open: the state itself is the data (no buffers: they follow in an update).
  const { state: json } = splitTopLevelBuffers(toProtocol1(state, state));
  return { data: json, buffers: [] };
}

/** An `update` to the front end: `patch` changed keys of the model whose full state is `state`. */
export function updateMessage(patch: WidgetState, state: WidgetState, protocol: WidgetProtocol): WireData {
  if (protocol === 2) {
    // Protocol 2 update: { method: "update", state, buffer_paths }.
    const { state: json, paths, buffers } = splitBuffers(patch);
    return { data: { method: "update", state: json, buffer_paths: paths }, buffers };
  }
  // Protocol 1 update: { method: "update", state, buffers: [top-level keys of the binary values] }.
  const { state: json, keys, buffers } = splitTopLevelBuffers(toProtocol1(patch, state));
  return { data: { method: "update", state: json, buffers: keys }, buffers };
}

/** The echo of a front end's change (protocol 2.1 only; protocol 1 has none). */
export function echoMessage(patch: WidgetState, protocol: WidgetProtocol): WireData | undefined {
  if (protocol === 1) return undefined;
  // Protocol 2.1 echo_update: { method: "echo_update", state, buffer_paths }.
  const { state: json, paths, buffers } = splitBuffers(patch);
  return { data: { method: "echo_update", state: json, buffer_paths: paths }, buffers };
}

/** The comm message a protocol-1 front end needs to put a view in the cell (protocol 2: none). */
export function displayMessage(protocol: WidgetProtocol): WidgetState | undefined {
  // Protocol 1 display: { method: "display" }, parent the cell's execute_request, before the display_data.
  return protocol === 1 ? { method: "display" } : undefined;
}

/** The widget-view output's data: protocol 2 with a text/plain for front ends without widgets. */
export function viewBundle(modelId: string, text: string, protocol: WidgetProtocol): Record<string, unknown> {
  const mime = "application/vnd.jupyter.widget-view+json";
  // Protocol 1 display_data: { model_id } alone, as ipywidgets 6 sent it; Notebook 6.4 would print a text/plain under the widget.
  if (protocol === 1) return { [mime]: { model_id: modelId } };
  // Protocol 2 display_data: { version_major: 2, version_minor: 0, model_id } plus text/plain.
  return { [mime]: { version_major: 2, version_minor: 0, model_id: modelId }, "text/plain": text };
}

/** Reads a message from the front end in either protocol; `state` is the model's full state (protocol 2 names). */
export function parseMessage(data: WidgetState, buffers: readonly Uint8Array[], state: WidgetState): Incoming {
  switch (data.method) {
    case "update": {
      // Protocol 2 front end -> kernel: { method: "update", state, buffer_paths }.
      const paths = Array.isArray(data.buffer_paths) ? (data.buffer_paths as BufferPath[]) : [];
      return { kind: "state", patch: joinBuffers(isRecord(data.state) ? data.state : {}, paths, buffers) };
    }
    case "backbone": {
      // Protocol 1 front end -> kernel: { method: "backbone", sync_data, buffer_keys } (sync_method "update" when throttled).
      const keys = Array.isArray(data.buffer_keys) ? (data.buffer_keys as string[]) : [];
      const patch = joinBuffers(
        isRecord(data.sync_data) ? data.sync_data : {},
        keys.map((k) => [k]),
        buffers,
      );
      return { kind: "state", patch: fromProtocol1(patch, state) };
    }
    case "request_state":
      // Both protocols: { method: "request_state" }, answered with an update of the whole state.
      return { kind: "request_state" };
    case "custom":
      // Both protocols: { method: "custom", content } (a button's { event: "click" }).
      return { kind: "custom", content: isRecord(data.content) ? data.content : {} };
    default:
      return { kind: "other" };
  }
}

/** ipywidgets 8 model names that jupyter-js-widgets 2.1.4 calls otherwise. */
const PROTOCOL1_NAMES: Record<string, string> = { DescriptionStyleModel: "StyleModel" };

/**
 * Protocol 2 state keys as a protocol-1 front end reads them: every module is jupyter-js-widgets
 * at ~2.1.4, a few model names differ, and a Dropdown's choice travels as its label (`value`), not
 * as `index`. `full` is the model's whole state (for the Dropdown's labels).
 */
function toProtocol1(patch: WidgetState, full: WidgetState): WidgetState {
  const out: WidgetState = { ...patch };
  for (const key of ["_model_module", "_view_module"]) if (key in out) out[key] = PROTOCOL1_MODULE;
  for (const key of ["_model_module_version", "_view_module_version"]) if (key in out) out[key] = PROTOCOL1_FRONTEND_RANGE;
  if (typeof out._model_name === "string") out._model_name = PROTOCOL1_NAMES[out._model_name] ?? out._model_name;
  if (full._model_name === "DropdownModel" && "index" in out) {
    const labels = Array.isArray(full._options_labels) ? (full._options_labels as unknown[]) : [];
    out.value = labels[Number(out.index)] ?? "";
    delete out.index;
  }
  return out;
}

/** A protocol-1 change back in protocol 2 keys (a Dropdown's label back to its index). */
function fromProtocol1(patch: WidgetState, full: WidgetState): WidgetState {
  if (full._model_name !== "DropdownModel" || !("value" in patch)) return patch;
  const { value, ...rest } = patch;
  const labels = Array.isArray(full._options_labels) ? (full._options_labels as unknown[]) : [];
  const index = labels.indexOf(value);
  return index < 0 ? rest : { ...rest, index };
}

/** Splits binary buffers out of a state: JSON state, buffer paths, buffers (protocol 2: any depth). */
export function splitBuffers(state: WidgetState): { state: WidgetState; paths: BufferPath[]; buffers: Uint8Array[] } {
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

/** Protocol 1 carries binary values only as top-level keys; a buffer deeper down is an error. */
function splitTopLevelBuffers(state: WidgetState): { state: WidgetState; keys: string[]; buffers: Uint8Array[] } {
  const { paths } = splitBuffers(state);
  const deep = paths.find((p) => p.length !== 1);
  if (deep)
    throw new Error(`widgets: a binary value at ${deep.join(".")} cannot be sent to a protocol-1 front end (Notebook 6.4 takes binary values only as top-level state keys); open the notebook in JupyterLab`);
  const out: WidgetState = {};
  const keys: string[] = [];
  const buffers: Uint8Array[] = [];
  for (const [k, v] of Object.entries(state)) {
    if (v instanceof Uint8Array) {
      keys.push(k);
      buffers.push(v);
    } else out[k] = v;
  }
  return { state: out, keys, buffers };
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

/** A plain object (not a list, not a buffer). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
