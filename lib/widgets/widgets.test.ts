/**
 * dl-workbook/widgets in process: the kernel's own CommManager and display host, with the iopub
 * messages they send recorded instead of put on the wire; front-end messages handed to the
 * CommManager as the kernel hands them over. Outside a kernel the widgets keep their state locally.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { CommManager } from "../../kernel/comms";
import { KernelDisplayHost } from "../../kernel/display-host";
import { setDisplayHost, JUPYTER_DISPLAY, plainText } from "../display";
import { button, dropdown, interact, output, slider, WidgetModel, WIDGET_VIEW_MIME } from "./index";

interface Sent {
  type: string;
  content: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  buffers?: readonly Uint8Array[];
}

/** Installs a kernel display host whose messages land in `sent`; `request.id` plays the msg_id of the request being handled. */
function recordingKernel(): { sent: Sent[]; comms: CommManager; request: { id: string }; done: () => void } {
  const sent: Sent[] = [];
  const request = { id: "execute-1" };
  const comms = new CommManager((type, content, extra) => void sent.push({ type, content, metadata: extra?.metadata, buffers: extra?.buffers }));
  const host = new KernelDisplayHost(
    (type, content) => void sent.push({ type, content }),
    comms,
    () => false,
    () => request.id,
  );
  setDisplayHost(host);
  return { sent, comms, request, done: () => setDisplayHost(undefined) };
}

function data(message: Sent): Record<string, unknown> {
  return message.content.data as Record<string, unknown>;
}

test("outside a kernel widgets keep their value locally and print as text", () => {
  const lr = slider({ min: 0, max: 1, value: 0.25, description: "lr" });
  const seen: number[] = [];
  lr.onChange((v) => seen.push(v));
  lr.value = 0.5;
  assert.equal(lr.value, 0.5);
  assert.deepEqual(seen, [0.5]);
  assert.match(lr.modelId, /^local-/);
  assert.match(plainText(lr), /FloatSlider\(value=0.5, min=0, max=1/);
  assert.throws(() => (lr.value = 2), /value 2 lies outside \[0, 1\]/);
  assert.throws(() => slider({ min: 1, max: 0 }), /slider: min \(1\) must be a finite number below max \(0\)/);
  const runs: number[] = [];
  const shown = interact(({ lr }) => void runs.push(lr), { lr });
  lr.value = 0.75;
  assert.deepEqual(runs, [0.5, 0.75]);
  assert.equal(shown.runs, 2);
});

test("comm_open carries protocol 2.1.0, the model state and a layout; the view bundle names the model", () => {
  const kernel = recordingKernel();
  try {
    const k = slider({ min: 1, max: 9, value: 3, integer: true, description: "k" });
    const opens = kernel.sent.filter((m) => m.type === "comm_open");
    assert.deepEqual(
      opens.map((m) => (data(m).state as Record<string, unknown>)._model_name),
      ["SliderStyleModel", "LayoutModel", "IntSliderModel"],
    );
    const open = opens[2];
    assert.deepEqual(open.metadata, { version: "2.1.0" });
    assert.equal(open.content.target_name, "jupyter.widget");
    const state = data(open).state as Record<string, unknown>;
    assert.equal(state.style, `IPY_MODEL_${opens[0].content.comm_id as string}`);
    assert.equal(state.layout, `IPY_MODEL_${opens[1].content.comm_id as string}`);
    assert.deepEqual([state._model_module, state._model_module_version, state.readout_format, state.step], ["@jupyter-widgets/controls", "2.0.0", "d", 1]);
    const bundle = k[JUPYTER_DISPLAY]();
    assert.deepEqual(bundle[WIDGET_VIEW_MIME], { version_major: 2, version_minor: 0, model_id: k.modelId });
    assert.match(String(bundle["text/plain"]), /IntSlider\(value=3.*interactive widget/);
    assert.deepEqual(kernel.comms.info("jupyter.widget").comms[k.modelId], { target_name: "jupyter.widget" });
  } finally {
    kernel.done();
  }
});

test("a front-end update sets the value, is echoed, and runs onChange; a dropdown maps its index to the value", () => {
  const kernel = recordingKernel();
  try {
    const opt = dropdown({ options: ["sgd", "adam"], labels: ["SGD", "Adam"], value: "adam", description: "optimizer" });
    assert.equal(opt.value, "adam");
    const changes: string[] = [];
    opt.onChange((value, old) => changes.push(`${old} -> ${value}`));
    kernel.sent.length = 0;
    kernel.comms.handleMessage({ comm_id: opt.modelId, data: { method: "update", state: { index: 0 }, buffer_paths: [] } });
    assert.equal(opt.value, "sgd");
    assert.deepEqual(changes, ["adam -> sgd"]);
    assert.deepEqual(
      kernel.sent.map((m) => data(m)),
      [{ method: "echo_update", state: { index: 0 }, buffer_paths: [] }],
    );
    assert.throws(() => (opt.value = "rmsprop"), /rmsprop is not one of the options \(SGD, Adam\)/);
    assert.throws(() => dropdown({ options: [1, 2], labels: ["one"] }), /dropdown: 1 labels for 2 options/);
  } finally {
    kernel.done();
  }
});

test("binary buffers go out at their paths and come back into the state", () => {
  const kernel = recordingKernel();
  try {
    const bytes = Uint8Array.of(1, 2, 3);
    const model = new WidgetModel({ modelName: "TestModel", viewName: null, module: "base" }, { nested: { raw: bytes, n: 1 }, list: [bytes] });
    const open = kernel.sent.find((m) => m.type === "comm_open")!;
    assert.deepEqual(data(open).buffer_paths, [
      ["nested", "raw"],
      ["list", 0],
    ]);
    assert.deepEqual((data(open).state as Record<string, unknown>).nested, { n: 1 });
    assert.deepEqual((data(open).state as Record<string, unknown>).list, [null]);
    assert.equal(open.buffers?.length, 2);
    kernel.comms.handleMessage({ comm_id: model.modelId, data: { method: "update", state: { nested: { n: 2 } }, buffer_paths: [["nested", "raw"]] } }, [Uint8Array.of(9)]);
    assert.deepEqual(model.get("nested"), { n: 2, raw: Uint8Array.of(9) });
  } finally {
    kernel.done();
  }
});

test("interact: a change reruns fn inside the Output widget's msg_id; a failing rerun prints into the output", () => {
  const kernel = recordingKernel();
  const errors: string[] = [];
  const consoleError = console.error;
  try {
    const beta = slider({ min: 0, max: 1, step: 0.1, value: 0.5, description: "beta" });
    const shown = interact(
      ({ beta }) => {
        if (beta > 0.9) throw new Error("beta too large");
        return `beta ${beta}`;
      },
      { beta },
    );
    const out = shown.output.modelId;
    const trace = (from: number): string[] =>
      kernel.sent.slice(from).flatMap((m) => {
        if (m.type === "comm_msg" && m.content.comm_id === out) return [`msg_id=${String((data(m).state as Record<string, unknown>).msg_id)}`];
        if (m.type === "display_data") return [`display ${String((m.content.data as Record<string, unknown>)["text/plain"])}`];
        if (m.type === "clear_output") return [`clear wait=${String(m.content.wait)}`];
        return [];
      });
    assert.deepEqual(trace(0), ["msg_id=execute-1", "display 'beta 0.5'", "msg_id="]);
    kernel.request.id = "comm-msg-7";
    let from = kernel.sent.length;
    kernel.comms.handleMessage({ comm_id: beta.modelId, data: { method: "update", state: { value: 0.7 }, buffer_paths: [] } });
    assert.deepEqual(trace(from), ["msg_id=comm-msg-7", "clear wait=true", "display 'beta 0.7'", "msg_id="]);
    console.error = (text: string) => void errors.push(text);
    from = kernel.sent.length;
    beta.value = 1;
    assert.deepEqual(trace(from), ["msg_id=comm-msg-7", "clear wait=true", "msg_id="]);
    assert.match(errors.join("\n"), /interact: fn failed for \{"beta":1\}: Error: beta too large/);
  } finally {
    console.error = consoleError;
    kernel.done();
  }
});

test("output.capture awaits an async fn before it stops routing; a button click arrives as a custom message", async () => {
  const kernel = recordingKernel();
  try {
    const out = output();
    const states = (): unknown[] => kernel.sent.filter((m) => m.type === "comm_msg" && m.content.comm_id === out.modelId).map((m) => (data(m).state as Record<string, unknown>).msg_id);
    const pending = out.capture(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(states(), ["execute-1"]);
    });
    await pending;
    assert.deepEqual(states(), ["execute-1", ""]);
    let clicks = 0;
    const again = button({ description: "again" }).onClick(() => clicks++);
    kernel.comms.handleMessage({ comm_id: again.modelId, data: { method: "custom", content: { event: "click" } } });
    assert.equal(clicks, 1);
  } finally {
    kernel.done();
  }
});
