/**
 * scripts/build-native.js (npm's "install" step) never fails the install: not when node-gyp fails,
 * not when another user left a log at the old fixed path /tmp/dl-workbook-native-build.log (issue 12:
 * EACCES stopped `npm install` before `prepare`), not when no log can be written at all.
 * Each case runs the real script on a copy of it in a package folder without binding.gyp, so the
 * real node-gyp fails within a second. The other-user cases run as a user this test creates with
 * useradd (own HOME), so they need root.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const SCRIPT = path.join(ROOT, "scripts", "build-native.js");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-native-test-"));
// the other user must reach the package copies and temporary folders made under it
fs.chmodSync(work, 0o755);
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** A package folder holding only scripts/build-native.js (no binding.gyp: node-gyp fails at once). */
function packageCopy(name: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(dir, "scripts"), { recursive: true, mode: 0o755 });
  fs.copyFileSync(SCRIPT, path.join(dir, "scripts", "build-native.js"));
  return dir;
}

interface User {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

function runScript(pkg: string, env: NodeJS.ProcessEnv, user?: User): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, [path.join(pkg, "scripts", "build-native.js")], {
    cwd: pkg,
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...(user ? { HOME: user.home, USER: user.name, LOGNAME: user.name } : { HOME: process.env.HOME }), ...env },
    uid: user?.uid,
    gid: user?.gid,
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return result;
}

/** The script's one line says where node-gyp's log went; undefined when node-gyp is not installed. */
function logPath(stdout: string): string | undefined {
  return /node-gyp failed, see (\S+)\)/.exec(stdout)?.[1];
}

const noNodeGyp = (stdout: string): boolean => /node-gyp not found|Node headers .* not installed/.test(stdout);

test("a failing node-gyp: exit 0, one line, and the log in the package's build/ folder", (t) => {
  const pkg = packageCopy("own");
  const result = runScript(pkg, { TMPDIR: work });
  assert.equal(result.status, 0, result.stderr);
  if (noNodeGyp(result.stdout)) return t.skip(`no node-gyp or Node headers here: ${result.stdout.trim()}`);
  assert.equal(result.stderr, "");
  assert.equal(logPath(result.stdout), path.join(pkg, "build", "native-build.log"));
  assert.match(fs.readFileSync(path.join(pkg, "build", "native-build.log"), "utf8"), /binding\.gyp/);
});

const isRoot = process.getuid?.() === 0;
const hasUseradd = ["/usr/sbin/useradd", "/sbin/useradd", "/usr/bin/useradd"].some((p) => fs.existsSync(p));
const skipOtherUser = !isRoot ? "needs root, to create a second user with useradd" : !hasUseradd ? "useradd is not installed" : false;

test("installed by a second user while root's log holds the old fixed path: exit 0, a log of its own", { skip: skipOtherUser }, (t) => {
  const name = `wbnative${process.pid}`;
  const home = path.join(work, "home");
  const added = spawnSync("useradd", ["--home-dir", home, "--create-home", "--shell", "/bin/sh", "--user-group", name], { encoding: "utf8" });
  assert.equal(added.status, 0, `useradd: ${added.stderr}`);
  t.after(() => spawnSync("userdel", ["--remove", name]));
  const id = (flag: string): number => Number(spawnSync("id", [flag, name], { encoding: "utf8" }).stdout.trim());
  const user: User = { name, uid: id("-u"), gid: id("-g"), home };
  assert.ok(user.uid > 0 && user.gid > 0, "the new user has its own ids");

  // the temporary directory as /tmp is (world-writable, sticky), with root's log at the old fixed name, mode 600
  const tmp = path.join(work, "tmp");
  fs.mkdirSync(tmp);
  fs.chmodSync(tmp, 0o1777);
  const oldLog = path.join(tmp, "dl-workbook-native-build.log");
  fs.writeFileSync(oldLog, "root's build log\n", { mode: 0o600 });

  // 1. the package folder belongs to the user (an ordinary npm install): the log goes to its build/
  const own = packageCopy("user-package");
  spawnSync("chown", ["-R", `${user.uid}:${user.gid}`, own]);
  const inOwn = runScript(own, { TMPDIR: tmp }, user);
  assert.equal(inOwn.status, 0, inOwn.stderr);
  if (noNodeGyp(inOwn.stdout)) return t.skip(`no node-gyp or Node headers here: ${inOwn.stdout.trim()}`);
  assert.doesNotMatch(inOwn.stderr, /EACCES|Error/);
  const ownLog = path.join(own, "build", "native-build.log");
  assert.equal(logPath(inOwn.stdout), ownLog);
  assert.equal(fs.statSync(ownLog).uid, user.uid);

  // 2. a package folder the user cannot write (root's): a private folder under TMPDIR, never root's file
  const roots = packageCopy("root-package");
  const inTmp = runScript(roots, { TMPDIR: tmp }, user);
  assert.equal(inTmp.status, 0, `the install must go on; stderr: ${inTmp.stderr}`);
  assert.doesNotMatch(inTmp.stderr, /EACCES|Error/);
  const tmpLog = logPath(inTmp.stdout);
  assert.ok(tmpLog !== undefined, inTmp.stdout);
  assert.match(tmpLog, new RegExp(`^${tmp.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/dl-workbook-native-\\w{6}/build\\.log$`));
  assert.equal(fs.statSync(tmpLog).uid, user.uid);
  assert.equal(fs.readFileSync(oldLog, "utf8"), "root's build log\n", "root's file is left alone");

  // 3. nowhere to write a log at all: still exit 0, with node-gyp's last lines in the notice
  const closed = path.join(work, "closed-tmp");
  fs.mkdirSync(closed, { mode: 0o755 });
  const nowhere = runScript(roots, { TMPDIR: closed }, user);
  assert.equal(nowhere.status, 0, nowhere.stderr);
  assert.equal(nowhere.stderr, "");
  assert.match(nowhere.stdout, /native kernels not built \(node-gyp failed and its log could not be written: .+\); training will use the WASM backend/);
});
