/**
 * The systemd drop-in of the class deployment (deploy/jupyterhub/dl-workbook.conf), checked against
 * Debian's own jupyterhub.service with `systemd-analyze verify`: the unit and the drop-in load with
 * no complaint, the drop-in clears Debian's ExecStart before replacing it, and its command starts
 * the Hub the way hub.test.ts does (the same module, the course's config). Starting it under a
 * running systemd is not possible here (no systemd as PID 1); the README says so.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACKAGE_ROOT } from "../../kernel/info";

const DROP_IN = path.join(PACKAGE_ROOT, "deploy", "jupyterhub", "dl-workbook.conf");
const DEBIAN_UNIT = "/lib/systemd/system/jupyterhub.service";
const ANALYZE = "/usr/bin/systemd-analyze";

/** Why this test cannot run here, or undefined when it can. */
function skipReason(): string | undefined {
  if (!fs.existsSync(ANALYZE)) return "systemd-analyze is missing (apt-get install systemd)";
  if (!fs.existsSync(DEBIAN_UNIT)) return "Debian's jupyterhub.service is missing (apt-get install jupyterhub)";
  return undefined;
}

/** `systemd-analyze verify jupyterhub.service` over Debian's unit plus the given drop-ins; its complaints. */
function verify(dropIns: Record<string, string>): string {
  const unitDir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-systemd-"));
  try {
    fs.copyFileSync(DEBIAN_UNIT, path.join(unitDir, "jupyterhub.service"));
    fs.mkdirSync(path.join(unitDir, "jupyterhub.service.d"));
    for (const [name, text] of Object.entries(dropIns)) fs.writeFileSync(path.join(unitDir, "jupyterhub.service.d", name), text);
    // A trailing ":" keeps systemd's own unit folders after ours (for the targets the unit names).
    const run = spawnSync(ANALYZE, ["verify", "jupyterhub.service"], { env: { ...process.env, SYSTEMD_UNIT_PATH: `${unitDir}:` }, encoding: "utf8" });
    assert.equal(run.error, undefined, `systemd-analyze could not run: ${String(run.error)}`);
    return `${run.stdout}${run.stderr}`.trim() + (run.status === 0 ? "" : `\n(exit ${run.status})`);
  } finally {
    fs.rmSync(unitDir, { recursive: true, force: true });
  }
}

/** The ExecStart= lines of a unit file's text, in order (an empty one resets the list). */
function execStarts(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("ExecStart="))
    .map((line) => line.slice("ExecStart=".length).trim());
}

const reason = skipReason();

test("the drop-in loads over Debian's jupyterhub.service with no complaint from systemd-analyze verify", { skip: reason }, () => {
  assert.equal(verify({ "dl-workbook.conf": fs.readFileSync(DROP_IN, "utf8") }), "");
});

test("systemd-analyze verify does complain about a broken drop-in (the check above can fail)", { skip: reason }, () => {
  const complaint = verify({ "dl-workbook.conf": "[Service]\nExecStartt=/usr/bin/python3 -m jupyterhub.app\n" });
  assert.match(complaint, /ExecStartt/);
  assert.match(verify({ "dl-workbook.conf": "[Service]\nExecStart=\nExecStart=/usr/bin/no-such-python -m jupyterhub.app\n" }), /no-such-python/);
});

test("the drop-in replaces Debian's start command with the course's Hub, config included", { skip: reason }, () => {
  const starts = execStarts(fs.readFileSync(DROP_IN, "utf8"));
  assert.deepEqual(starts.length, 2, "an empty ExecStart= and then one command");
  assert.equal(starts[0], "", "the first ExecStart= must be empty: without it systemd refuses a second start command for a simple service");
  const [python, ...args] = starts[1].split(/\s+/);
  assert.deepEqual(args.slice(0, 3), ["-m", "jupyterhub.app", "-f"]);
  // The course is installed in /opt/dl-workbook (README); the config it names is this package's.
  const config = args[3];
  assert.ok(config.startsWith("/opt/dl-workbook/"), `config outside /opt/dl-workbook: ${config}`);
  assert.ok(fs.existsSync(path.join(PACKAGE_ROOT, path.relative("/opt/dl-workbook", config))), `${config} names no file of the package`);
  // The interpreter and module it runs exist and import.
  const importHub = spawnSync(python, ["-c", "import jupyterhub.app"], { encoding: "utf8" });
  assert.equal(importHub.status, 0, importHub.stderr);
});
