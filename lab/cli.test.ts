/**
 * `workbook lab`: argument parsing, and the real command started as a student would (`--no-browser`,
 * a fixed port): it prints the URL with its token, the URL serves Lab's page, the server lists the
 * dl-workbook kernelspec, and Ctrl-C (SIGINT) stops it with exit code 0 and the port closed.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACKAGE_ROOT } from "../kernel/info";
import { parseLabArgs } from "./cli";
import { freePort } from "./jupyter-process";

test("parseLabArgs reads DIR, --port and --no-browser and names what it rejects", () => {
  assert.deepEqual(parseLabArgs([]), { dir: ".", browser: true });
  assert.deepEqual(parseLabArgs(["notebooks", "--port", "8890", "--no-browser"]), { dir: "notebooks", port: 8890, browser: false });
  assert.deepEqual(parseLabArgs(["--port=9000", "x"]), { dir: "x", port: 9000, browser: true });
  assert.throws(() => parseLabArgs(["--port", "http"]), /--port needs a port number from 1 to 65535, got "http"/);
  assert.throws(() => parseLabArgs(["--port"]), /--port needs a port number/);
  assert.throws(() => parseLabArgs(["--browser"]), /unknown option "--browser"/);
  assert.throws(() => parseLabArgs(["a", "b"]), /one directory only \(got "a" and "b"\)/);
});

test("workbook lab --no-browser --port P prints a working URL with its token and stops cleanly on Ctrl-C", { timeout: 180_000 }, async () => {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-lab-cli-"));
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, "dist", "bin", "workbook.js"), "lab", path.join(PACKAGE_ROOT, "notebooks"), "--no-browser", "--port", String(port)], {
    env: { ...process.env, WORKBOOK_LAB_STATE: state, JUPYTER_CONFIG_DIR: path.join(state, "config"), JUPYTER_DATA_DIR: path.join(state, "data") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    const deadline = Date.now() + 120_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline && child.exitCode === null) {
      url = new RegExp(`http://127\\.0\\.0\\.1:${port}/lab\\?token=[0-9a-f]{48}`).exec(output)?.[0];
      if (!url) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(url, `workbook lab printed its URL with a token:\n${output}`);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /id="jupyter-config-data"/);
    assert.match(html, /"exposeAppInBrowser": true/);
    const token = new URL(url).searchParams.get("token")!;
    const specs = (await (await fetch(`http://127.0.0.1:${port}/api/kernelspecs?token=${token}`)).json()) as { kernelspecs: Record<string, unknown> };
    assert.ok("dl-workbook" in specs.kernelspecs, `the server lists the dl-workbook kernelspec: ${Object.keys(specs.kernelspecs).join(", ")}`);
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/kernelspecs`)).status, 403, "no token, no access");

    child.kill("SIGINT");
    const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve("still running after 30 s"), 30_000))]);
    assert.equal(code, 0, output);
    assert.match(output, /workbook lab: stopped\./);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/api/status`), "the port is closed after Ctrl-C");
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(state, { recursive: true, force: true });
  }
});
