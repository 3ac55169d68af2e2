/**
 * The protocol adapter (lib/widgets/protocol.ts) on its own: each message shape of protocol 1
 * (ipywidgets 6, Notebook 6.4's jupyter-js-widgets 2.1.4) and protocol 2 (2.1.0) as built and read.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { displayMessage, echoMessage, openMessage, parseMessage, updateMessage, viewBundle } from "./protocol";

const SLIDER = {
  _model_module: "@jupyter-widgets/controls",
  _model_module_version: "2.0.0",
  _model_name: "FloatSliderModel",
  _view_module: "@jupyter-widgets/controls",
  _view_module_version: "2.0.0",
  _view_name: "FloatSliderView",
  value: 0.5,
};
const DROPDOWN = { ...SLIDER, _model_name: "DropdownModel", _view_name: "DropdownView", _options_labels: ["one", "two"], index: 1 };

test("protocol 2 messages: comm_open { state, buffer_paths } with the version in metadata, update, echo_update, view with text/plain", () => {
  const bytes = new Uint8Array([1, 2]);
  assert.deepEqual(openMessage({ ...SLIDER, data: { x: bytes } }, 2, "2.1.0"), { data: { state: { ...SLIDER, data: {} }, buffer_paths: [["data", "x"]] }, buffers: [bytes], metadata: { version: "2.1.0" } });
  assert.deepEqual(updateMessage({ value: 0.7 }, SLIDER, 2), { data: { method: "update", state: { value: 0.7 }, buffer_paths: [] }, buffers: [] });
  assert.deepEqual(echoMessage({ value: 0.7 }, 2)?.data, { method: "echo_update", state: { value: 0.7 }, buffer_paths: [] });
  assert.equal(displayMessage(2), undefined);
  assert.deepEqual(viewBundle("m1", "FloatSlider(...)", 2), { "application/vnd.jupyter.widget-view+json": { version_major: 2, version_minor: 0, model_id: "m1" }, "text/plain": "FloatSlider(...)" });
});

test("protocol 1 messages: top-level comm_open state of jupyter-js-widgets ~2.1.4, update with buffer keys, no echo, display, model_id-only view", () => {
  const open = openMessage(SLIDER, 1, "2.1.0");
  assert.deepEqual(open.data, { ...SLIDER, _model_module: "jupyter-js-widgets", _model_module_version: "~2.1.4", _view_module: "jupyter-js-widgets", _view_module_version: "~2.1.4" });
  assert.equal(open.metadata, undefined);
  const bytes = new Uint8Array([3]);
  assert.deepEqual(updateMessage({ value: 0.7, data: bytes }, SLIDER, 1), { data: { method: "update", state: { value: 0.7 }, buffers: ["data"] }, buffers: [bytes] });
  assert.throws(() => updateMessage({ nested: { data: bytes } }, SLIDER, 1), /binary value at nested\.data cannot be sent to a protocol-1 front end/);
  assert.equal(echoMessage({ value: 0.7 }, 1), undefined);
  assert.deepEqual(displayMessage(1), { method: "display" });
  assert.deepEqual(viewBundle("m1", "FloatSlider(...)", 1), { "application/vnd.jupyter.widget-view+json": { model_id: "m1" } });
  assert.equal((openMessage({ ...SLIDER, _model_name: "DescriptionStyleModel" }, 1, "2.1.0").data as { _model_name: string })._model_name, "StyleModel");
});

test("front-end messages of both protocols read into one change; a protocol-1 Dropdown travels as its label", () => {
  const bytes = new Uint8Array([9]);
  assert.deepEqual(parseMessage({ method: "update", state: { value: 0.2, b: {} }, buffer_paths: [["b", "x"]] }, [bytes], SLIDER), { kind: "state", patch: { value: 0.2, b: { x: bytes } } });
  assert.deepEqual(parseMessage({ method: "backbone", sync_data: { value: 0.3 }, buffer_keys: ["b"] }, [bytes], SLIDER), { kind: "state", patch: { value: 0.3, b: bytes } });
  assert.deepEqual(parseMessage({ method: "backbone", sync_method: "update", sync_data: { value: "one" } }, [], DROPDOWN), { kind: "state", patch: { index: 0 } });
  assert.deepEqual(parseMessage({ method: "backbone", sync_data: { value: "none of them" } }, [], DROPDOWN), { kind: "state", patch: {} });
  assert.deepEqual(updateMessage({ index: 0 }, DROPDOWN, 1).data, { method: "update", state: { value: "one" }, buffers: [] });
  assert.deepEqual((openMessage(DROPDOWN, 1, "2.1.0").data as { value: string; index?: number }).value, "two");
  assert.equal("index" in openMessage(DROPDOWN, 1, "2.1.0").data, false);
  assert.deepEqual(parseMessage({ method: "request_state" }, [], SLIDER), { kind: "request_state" });
  assert.deepEqual(parseMessage({ method: "custom", content: { event: "click" } }, [], SLIDER), { kind: "custom", content: { event: "click" } });
  assert.deepEqual(parseMessage({ method: "something new" }, [], SLIDER), { kind: "other" });
});
