import { test } from "node:test";
import * as assert from "node:assert/strict";
import { checkSandbox } from "./check-sandbox";
import { missingForGrading, probeProtections, withoutOsLayers } from "./sandbox";

// `workbook grade --check-sandbox`: every layer in force here passes its attack; with the OS layers
// switched off, the attacks that only they stop must fail (so the check can fail). Budget: about 25 s.

const protections = probeProtections();

test("--check-sandbox: the layers in force here pass every attack", { skip: missingForGrading(protections).length > 0 ? "this machine cannot sandbox kernels (the check reports it)" : false }, async () => {
  const lines: string[] = [];
  const ok = await checkSandbox((l) => lines.push(l), protections);
  const text = lines.join("\n");
  assert.equal(ok, true, text);
  for (const layer of [
    "network namespace",
    "mount namespace",
    "writes only to scratch",
    "Node permission model",
    protections.pidNamespace ? "PID namespace" : "a user of its own",
    "process cap",
    "memory cap",
    "address-space cap",
    "kernel",
  ]) {
    assert.match(text, new RegExp(`PASS  ${layer.replace(/[()]/g, "\\$&")}`), text);
  }
  assert.doesNotMatch(text, /^\s+FAIL /m);
  assert.match(text, /All layers hold/);
});

test("--check-sandbox: without the OS layers the network, hidden-file, write and signal attacks fail and grading is refused", async () => {
  const none = withoutOsLayers(protections);
  const lines: string[] = [];
  const ok = await checkSandbox((l) => lines.push(l), none);
  const text = lines.join("\n");
  assert.equal(ok, false, text);
  for (const layer of ["network namespace", "mount namespace", "writes only to scratch", "a user of its own"]) assert.match(text, new RegExp(`FAIL  ${layer}`), text);
  assert.match(text, /the listener saw 1 connection/);
  assert.match(text, /decoy KILLED/);
  assert.match(text, /PASS {2}Node permission model/);
  assert.match(text, /refuses to grade here without --unsafe-no-sandbox/);
});
