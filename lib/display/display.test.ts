/** The lib side of the display seam: rich-output helpers and the plain-text fallback outside a kernel. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { displayHost, html, isDisplayable, JUPYTER_DISPLAY, markdown, plainText, png, createDisplayHandle, interruptRequested } from "./index";

test("rich-output helpers carry their MIME type and a text/plain", () => {
  const h = html("<b>x</b>", "x");
  assert.ok(isDisplayable(h));
  assert.deepEqual(h[JUPYTER_DISPLAY](), { "text/html": "<b>x</b>", "text/plain": "x" });
  assert.equal(markdown("**m**")[JUPYTER_DISPLAY]()["text/markdown"], "**m**");
  assert.equal(png(new Uint8Array([1, 2, 3]))[JUPYTER_DISPLAY]()["image/png"], "AQID");
  assert.equal(plainText(h), "x");
});

test("outside a kernel: no host, no interrupt, display handles print text", () => {
  assert.equal(displayHost(), undefined);
  assert.equal(interruptRequested(), false);
  const lines: string[] = [];
  const log = console.log;
  console.log = (text: string) => lines.push(text);
  try {
    const handle = createDisplayHandle("epoch 1");
    handle.update("epoch 2");
    handle.close();
  } finally {
    console.log = log;
  }
  if (!process.stdout.isTTY) assert.deepEqual(lines, ["epoch 1", "epoch 2"]);
});
