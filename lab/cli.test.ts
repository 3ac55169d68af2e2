/**
 * `workbook lab`: argument parsing, and the real command started as a student would (`--no-browser`,
 * a fixed port): it prints the URL with its token, the URL serves Lab's page, the server lists the
 * dl-workbook kernelspec, and Ctrl-C (SIGINT) stops it with exit code 0 and the port closed.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACKAGE_ROOT } from "../kernel/info";
import { parseLabArgs } from "./cli";
import { freePort } from "./jupyter-process";

test("parseLabArgs reads DIR, --port, --no-browser, --build-only and --out and names what it rejects", () => {
  assert.deepEqual(parseLabArgs([]), { dir: ".", browser: true });
  assert.deepEqual(parseLabArgs(["notebooks", "--port", "8890", "--no-browser"]), { dir: "notebooks", port: 8890, browser: false });
  assert.deepEqual(parseLabArgs(["--port=9000", "x"]), { dir: "x", port: 9000, browser: true });
  assert.deepEqual(parseLabArgs(["--build-only"]), { dir: ".", browser: true, buildOnly: true });
  assert.deepEqual(parseLabArgs(["--build-only", "--out", "/srv/lab"]), { dir: ".", browser: true, buildOnly: true, out: "/srv/lab" });
  assert.throws(() => parseLabArgs(["--port", "http"]), /^UsageError: workbook lab: --port needs a port number from 1 to 65535, got "http"; see workbook lab --help$/);
  assert.throws(() => parseLabArgs(["--port", "80.5"]), /--port needs a port number from 1 to 65535, got "80\.5"/);
  assert.throws(() => parseLabArgs(["--port"]), /^UsageError: workbook lab: option --port needs a value; see workbook lab --help$/);
  assert.throws(() => parseLabArgs(["--browser"]), /^UsageError: workbook lab: unknown option --browser; see workbook lab --help$/);
  assert.throws(() => parseLabArgs(["a", "b"]), /^UsageError: workbook lab: unexpected argument "b"; see workbook lab --help$/);
  assert.throws(() => parseLabArgs(["--out", "x"]), /--out is for --build-only/);
  assert.throws(() => parseLabArgs(["--build-only", "notebooks", "--port", "8890"]), /--build-only starts no server, so DIR, --port would do nothing/);
});

test("workbook lab --foo exits with 2 and the subcommands' wording; --help prints the usage with exit 0", () => {
  const bin = path.join(PACKAGE_ROOT, "dist", "bin", "workbook.js");
  const wrong = spawnSync(process.execPath, [bin, "lab", "--foo"], { encoding: "utf8" });
  assert.equal(wrong.status, 2, wrong.stderr);
  assert.equal(wrong.stderr.trim(), "workbook lab: unknown option --foo; see workbook lab --help");
  const help = spawnSync(process.execPath, [bin, "lab", "--help"], { encoding: "utf8" });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: workbook lab \[DIR\] \[--port P\] \[--no-browser\]\n\s+workbook lab --build-only \[--out DIR\]/);
});

test("workbook lab --build-only --out DIR puts the front end in DIR, readable by all, and leaves it alone when current", { timeout: 300_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-lab-out-"));
  try {
    const out = path.join(tmp, "share", "lab");
    const bin = path.join(PACKAGE_ROOT, "dist", "bin", "workbook.js");
    const first = spawnSync(process.execPath, [bin, "lab", "--build-only", "--out", out], { encoding: "utf8" });
    assert.equal(first.status, 0, first.stdout + first.stderr);
    for (const sub of ["static/index.js", "templates/index.html", "settings/page_config.json", "schemas", "themes"]) assert.ok(fs.existsSync(path.join(out, sub)), `${out} lacks ${sub}`);
    assert.equal(fs.statSync(out).mode & 0o777, 0o755);
    assert.equal(fs.statSync(path.join(out, "static", "index.js")).mode & 0o444, 0o444, "static/index.js is readable by all");
    const stamp = fs.statSync(path.join(out, "dl-workbook-lab.json")).mtimeMs;
    const again = spawnSync(process.execPath, [bin, "lab", "--build-only", "--out", out], { encoding: "utf8" });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`up to date in ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    assert.equal(fs.statSync(path.join(out, "dl-workbook-lab.json")).mtimeMs, stamp, "a current copy is not rewritten");
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ["lab"], "no temporary folder left beside DIR");
    // A folder that holds something else is never replaced.
    const other = path.join(tmp, "share", "other");
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, "keep.txt"), "not a Lab build");
    const refused = spawnSync(process.execPath, [bin, "lab", "--build-only", "--out", other], { encoding: "utf8" });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /exists and holds no earlier build \(no dl-workbook-lab\.json in it\); give --out a new or empty folder/);
    assert.equal(fs.readFileSync(path.join(other, "keep.txt"), "utf8"), "not a Lab build");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
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
