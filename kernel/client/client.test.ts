/**
 * The client against this project's kernel (node dist/kernel/main.js): one kernel process for the
 * whole file, restarted where a test needs it. About 15 s, most of it kernel start-ups.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { IOutput } from "@jupyterlab/nbformat";
import { KernelClient, KernelDiedError, KernelExit, startKernel, OutputCollector, DisplayRegistry } from ".";
import { asText, type WireMessage } from "../wire";

let kernel: KernelClient;

before(async () => {
  kernel = await startKernel({ env: { ...process.env, CI: process.env.CI ?? "" } });
});

after(async () => {
  await kernel?.shutdown();
});

test("kernel_info names our kernel and the connection file is private", async () => {
  const info = await kernel.kernelInfo();
  assert.equal(info.status, "ok");
  if (info.status === "ok") {
    assert.equal(info.implementation, "dl-workbook");
    assert.equal(info.language_info.name, "typescript");
  }
  assert.equal(fs.statSync(kernel.connectionFile).mode & 0o077, 0, "no one but the owner may read the HMAC key");
  assert.equal(await kernel.heartbeat(), true);
});

test("execute returns streams merged in order, then the execute_result", async () => {
  const seen: IOutput[] = [];
  const result = await kernel.execute("const answer: number = 6 * 7;\nconsole.log('one');\nconsole.log('two');\nanswer", { onOutput: (o) => seen.push(o) });
  assert.equal(result.status, "ok");
  assert.equal(typeof result.executionCount, "number");
  assert.deepEqual(Object.keys(result.timing ?? {}).sort(), ["iopub.execute_input", "iopub.status.busy", "iopub.status.idle", "shell.execute_reply"]);
  assert.ok(Date.parse(result.timing?.["iopub.status.idle"] ?? "") >= Date.parse(result.timing?.["iopub.status.busy"] ?? ""));
  assert.deepEqual(result.outputs, [
    { output_type: "stream", name: "stdout", text: "one\ntwo\n" },
    { output_type: "execute_result", execution_count: result.executionCount, data: { "text/plain": "42" }, metadata: {} },
  ]);
  const streamed = seen
    .filter((o) => o.output_type === "stream")
    .map((o) => asText(o.text))
    .join("");
  assert.equal(streamed, "one\ntwo\n", "onOutput saw each chunk once, as it came");
  assert.equal(seen.at(-1)?.output_type, "execute_result");
  const again = await kernel.execute("answer + 1");
  assert.equal(again.executionCount, (result.executionCount as number) + 1, "state and the execution counter carry over");
  assert.deepEqual(again.outputs[0].data, { "text/plain": "43" });
});

test("a throwing cell gives status error with ename, evalue and a traceback naming the line", async () => {
  const result = await kernel.execute("const n = 1;\nthrow new RangeError('n is ' + n);");
  assert.equal(result.status, "error");
  assert.equal(result.error?.ename, "RangeError");
  assert.equal(result.error?.evalue, "n is 1");
  assert.ok(
    result.error?.traceback.some((line) => /line 2/.test(line)),
    `traceback names line 2: ${result.error?.traceback.join("\n")}`,
  );
  assert.equal(result.outputs.at(-1)?.output_type, "error");
  const typeError = await kernel.execute("let s: string = 3;");
  assert.equal(typeError.status, "error");
  assert.match(typeError.error?.evalue ?? "", /not assignable/);
});

test("a Jupyter.display object arrives as display data with its MIME bundle", async () => {
  const result = await kernel.execute('({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "fig", "text/html": "<b>fig</b>" }) })');
  assert.equal(result.status, "ok");
  const rich = result.outputs.find((o) => o.output_type === "execute_result" || o.output_type === "display_data");
  assert.equal((rich?.data as Record<string, unknown>)["text/html"], "<b>fig</b>");
});

test("input() in a cell is answered by onInput over the stdin channel", async () => {
  const prompts: string[] = [];
  const result = await kernel.execute('const who = input("Your name? ");\n"hello " + who', {
    onInput: (prompt) => {
      prompts.push(prompt);
      return "Ada";
    },
  });
  assert.equal(result.status, "ok");
  assert.deepEqual(prompts, ["Your name? "]);
  assert.deepEqual(result.outputs.at(-1)?.data, { "text/plain": "'hello Ada'" });
  const refused = await kernel.execute('input("Your name? ")');
  assert.equal(refused.status, "error", "without onInput the client sends allow_stdin: false");
});

test("interrupt stops a waiting cell and the kernel keeps its state", async () => {
  await kernel.execute("const kept = 'still here';");
  const running = kernel.execute("await new Promise((resolve) => setTimeout(resolve, 60_000));");
  await new Promise((resolve) => setTimeout(resolve, 300));
  await kernel.interrupt();
  const result = await running;
  assert.equal(result.status, "error");
  assert.ok(result.durationMs < 30_000);
  const after = await kernel.execute("kept");
  assert.deepEqual(after.outputs[0].data, { "text/plain": "'still here'" });
});

test("timeoutMs stops a cell that runs too long and reports status timeout", async () => {
  const result = await kernel.execute("await new Promise((resolve) => setTimeout(resolve, 60_000));", { timeoutMs: 500, interruptGraceMs: 3000 });
  assert.equal(result.status, "timeout");
  assert.ok(result.durationMs < 10_000);
  const busy = await kernel.execute("while (true) {}", { timeoutMs: 500, interruptGraceMs: 3000 });
  assert.equal(busy.status, "timeout", "a busy loop is stopped too (by the interrupt, or by killing the kernel)");
  if (!kernel.isAlive()) await kernel.restart();
  assert.equal((await kernel.execute("1 + 1")).status, "ok");
});

test("a kernel killed mid-cell: status died, an exit event, KernelDiedError, then restart", async () => {
  await kernel.execute("(globalThis as Record<string, unknown>).marker = 1;");
  const exited = new Promise<KernelExit>((resolve) => kernel.once("exit", resolve));
  const running = kernel.execute("await new Promise((resolve) => setTimeout(resolve, 60_000));");
  await new Promise((resolve) => setTimeout(resolve, 300));
  process.kill(kernel.pid as number, "SIGKILL"); // what the OOM killer or a crash does
  const result = await running;
  assert.equal(result.status, "died");
  const exit = await exited;
  assert.equal(exit.signal, "SIGKILL");
  assert.equal(exit.expected, false);
  assert.equal(kernel.isAlive(), false);
  assert.equal(await kernel.heartbeat(), false);
  await assert.rejects(kernel.execute("1"), (err: Error) => err instanceof KernelDiedError && /was killed by SIGKILL/.test(err.message));
  await kernel.restart();
  assert.equal(kernel.isAlive(), true);
  const fresh = await kernel.execute("(globalThis as Record<string, unknown>).marker === undefined");
  assert.deepEqual(fresh.outputs[0].data, { "text/plain": "true" }, "a restarted kernel starts empty");
  assert.equal(fresh.executionCount, 1);
});

test("restart of a live kernel gives a new process without the old state", async () => {
  await kernel.execute("(globalThis as Record<string, unknown>).marker = 2;");
  const pid = kernel.pid;
  await kernel.restart();
  assert.notEqual(kernel.pid, pid);
  assert.deepEqual((await kernel.execute("(globalThis as Record<string, unknown>).marker === undefined")).outputs[0].data, { "text/plain": "true" });
});

test("a second kernel over ipc sockets, with a wrapped command, its own env and cwd", async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "client-cwd-"));
  const second = await startKernel({
    transport: "ipc",
    wrap: ["env", "WRAPPED_BY=env"], // a sandbox prefix such as prlimit or unshare goes here
    env: { PATH: process.env.PATH, ONLY_THIS: "yes" },
    cwd,
  });
  try {
    assert.match(second.connection.ip, /kernel-/);
    const result = await second.execute("[process.env.WRAPPED_BY, process.env.ONLY_THIS, process.env.HOME === undefined, process.cwd()].join(' ')");
    assert.deepEqual(result.outputs[0].data, { "text/plain": `'env yes true ${fs.realpathSync(cwd)}'` });
  } finally {
    await second.shutdown();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
  assert.equal(fs.existsSync(second.connectionFile), false, "shutdown removes the connection file");
});

test("a kernel command that fails to start is reported with its stderr", async () => {
  await assert.rejects(
    startKernel({ command: [process.execPath, "-e", "console.error('no kernel here'); process.exit(4)"], startupTimeoutMs: 20_000 }),
    (err: Error) => err instanceof KernelDiedError && /exited with code 4/.test(err.message) && /no kernel here/.test(err.message),
  );
});

test("a kernel command that does not exist is reported at once, naming the command", async () => {
  await assert.rejects(
    startKernel({ command: ["/no/such/kernel-binary"], startupTimeoutMs: 20_000 }),
    (err: Error) => err instanceof KernelDiedError && /could not be started/.test(err.message) && /\/no\/such\/kernel-binary/.test(err.message) && /ENOENT/.test(err.message),
  );
});

function iopub(msgType: string, content: Record<string, unknown>): WireMessage {
  return { identities: [], header: { msg_id: "m", msg_type: msgType, session: "s", username: "u", date: "", version: "5.3" } as WireMessage["header"], parent_header: {}, metadata: {}, content, buffers: [] };
}

test("OutputCollector: streams merge, clear_output(wait) clears before the next output, display updates change earlier cells", () => {
  const registry = new DisplayRegistry();
  const first = new OutputCollector(registry);
  first.add(iopub("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "bar" } }));
  first.add(iopub("stream", { name: "stdout", text: "a" }));
  assert.deepEqual(first.add(iopub("stream", { name: "stdout", text: "b" })), { output_type: "stream", name: "stdout", text: "b" }, "add returns the chunk");
  first.add(iopub("stream", { name: "stderr", text: "c" }));
  assert.deepEqual(first.outputs.slice(1), [
    { output_type: "stream", name: "stdout", text: "ab" },
    { output_type: "stream", name: "stderr", text: "c" },
  ]);
  const second = new OutputCollector(registry);
  second.add(iopub("update_display_data", { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "bar" } }));
  assert.deepEqual(first.outputs[0].data, { "text/plain": "100%" }, "the update reached the output of the earlier cell");
  assert.equal(second.outputs.length, 0);
  second.add(iopub("stream", { name: "stdout", text: "old" }));
  second.add(iopub("clear_output", { wait: true }));
  assert.equal(second.outputs.length, 1, "wait=true keeps the old output until new output comes");
  second.add(iopub("stream", { name: "stdout", text: "new" }));
  assert.deepEqual(second.outputs, [{ output_type: "stream", name: "stdout", text: "new" }]);
  second.add(iopub("clear_output", { wait: false }));
  assert.equal(second.outputs.length, 0);
});
