import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { GradescopeResults } from "../export";
import { ANSWERS, submission, writeFixtureAssignment } from "../hostile/fixture";
import { createOrdinaryUser, gradeAsUser } from "../hostile/ordinary-user";
import { Protections, findProgram, missingForGrading, probeProtections, refusalMessage, runningAsRoot, thisInstall } from "../sandbox";

// "A grade must never be the grader's own failure": every run first starts a sandboxed kernel and
// runs a cell; when that fails nothing is graded and the message names the cause and the fix.
// The package is copied (dist/, package.json, node_modules as a link) into a mode-700 folder, as a
// TA who clones into `mktemp -d` or /root would have it, and graded there: with bubblewrap it must
// grade right; without it (as root, unshare and setpriv) it must stop before grading and name the
// folder. Then, as an ordinary user without bubblewrap: a refusal naming the missing layers, and
// with --unsafe-no-sandbox grades that say so. Budget: about 1 minute on 2 cores.

const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-sandbox-check-"));
// enterable by others: the mode-700 folder below is the one the test is about
fs.chmodSync(work, 0o755);
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** A folder of links to the sandbox's programs, without bwrap: a PATH on which bubblewrap is missing. */
function pathWithoutBubblewrap(): string {
  const dir = path.join(work, "bin-without-bwrap");
  fs.mkdirSync(dir, { recursive: true });
  for (const program of ["unshare", "prlimit", "setpriv", "setsid", "sh", "true"]) {
    const found = findProgram(program);
    if (found && !fs.existsSync(path.join(dir, program))) fs.symlinkSync(found, path.join(dir, program));
  }
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** The fixture assignment and two submissions (one correct: 6 points; one with scale unimplemented: 2). */
function writeClass(dir: string): { assignment: string; subs: string } {
  const assignment = path.dirname(writeFixtureAssignment(path.join(dir, "assignment")));
  const subs = path.join(dir, "submissions");
  fs.mkdirSync(subs, { recursive: true });
  fs.writeFileSync(path.join(subs, "correct.ipynb"), JSON.stringify(submission(ANSWERS.scale, ANSWERS.sum)));
  fs.writeFileSync(path.join(subs, "half.ipynb"), JSON.stringify(submission(ANSWERS.scaleStub, ANSWERS.sum)));
  return { assignment, subs };
}

function grade(workbook: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(process.execPath, [workbook, "grade", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

function score(out: string, student: string): GradescopeResults {
  return JSON.parse(fs.readFileSync(path.join(out, student, "results.json"), "utf8")) as GradescopeResults;
}

const NONE: Protections = {
  isolation: "none",
  networkNamespace: false,
  mountNamespace: false,
  pidNamespace: false,
  ipcNamespace: false,
  userNamespace: false,
  unprivilegedUser: null,
  resourceLimits: true,
  nodePermissions: true,
  lost: ["no PID namespace (bubblewrap (bwrap) is not installed)"],
};

test("grading may go ahead only with a network namespace, a mount namespace, and a PID namespace or a user of its own", () => {
  assert.deepEqual(missingForGrading({ ...NONE, isolation: "bubblewrap", networkNamespace: true, mountNamespace: true, pidNamespace: true, ipcNamespace: true, userNamespace: true }), []);
  assert.deepEqual(missingForGrading({ ...NONE, isolation: "unshare", networkNamespace: true, mountNamespace: true, unprivilegedUser: { uid: 65534, gid: 65534 } }), []);
  const missing = missingForGrading(NONE);
  assert.equal(missing.length, 3);
  assert.match(missing.join("\n"), /network namespace/);
  assert.match(missing.join("\n"), /process\.kill\(process\.ppid\)/);
  const message = refusalMessage(NONE);
  assert.match(message, /nothing was graded/);
  assert.match(message, /apt-get install bubblewrap/);
  assert.match(message, /--unsafe-no-sandbox/);
  assert.match(message, /--check-sandbox/);
});

test("the probe finds no bubblewrap on a PATH without it, and the layers then follow from the user", () => {
  const p = probeProtections({ searchPath: pathWithoutBubblewrap(), fresh: true });
  assert.notEqual(p.isolation, "bubblewrap");
  assert.equal(p.pidNamespace, false);
  assert.match(p.lost.join("\n"), /bubblewrap \(bwrap\) is not installed/);
  if (runningAsRoot() && process.platform === "linux") assert.equal(p.isolation, "unshare");
  if (findProgram("bwrap") && process.platform === "linux") assert.equal(probeProtections({ fresh: true }).isolation, "bubblewrap", "bubblewrap is installed here and must be used");
});

test("a package in a mode-700 folder grades right with bubblewrap, and without it stops before grading with the folder named", { skip: process.platform !== "linux" ? "Linux only" : false }, async () => {
  const hidden = fs.mkdtempSync(path.join(work, "clone-"));
  fs.chmodSync(hidden, 0o700);
  const pkg = path.join(hidden, "dl-workbook");
  fs.mkdirSync(pkg);
  fs.cpSync(path.join(thisInstall().packageRoot, "dist"), path.join(pkg, "dist"), { recursive: true });
  fs.copyFileSync(path.join(thisInstall().packageRoot, "package.json"), path.join(pkg, "package.json"));
  fs.symlinkSync(fs.realpathSync(path.join(thisInstall().packageRoot, "node_modules")), path.join(pkg, "node_modules"));
  const { assignment, subs } = writeClass(path.join(work, "class-700"));
  const copy = path.join(pkg, "dist", "bin", "workbook.js");

  const out = path.join(work, "out-700");
  const first = await grade(copy, [assignment, subs, "--out", out, "--jobs", "1", "--quiet"]);
  if (first.code === 0) {
    // grades right: the correct submission 6 of 6, the other only sumSquares' 2 points
    assert.equal(score(out, "correct").score, 6, first.output);
    assert.equal(score(out, "half").score, 2, first.output);
  } else {
    // or stops before grading, with the cause named: never a class of zeros
    assert.equal(first.code, 1, first.output);
    assert.match(first.output, /nothing was graded[\s\S]*Cause: /);
    assert.equal(fs.existsSync(path.join(out, "grades.csv")), false);
  }
  if (findProgram("bwrap")) assert.equal(first.code, 0, `bubblewrap mounts the package into the sandbox, so the folder's mode must not matter: ${first.output}`);

  if (runningAsRoot()) {
    // without bubblewrap, the kernels' users cannot enter the mode-700 folder: the run must stop before grading
    const out2 = path.join(work, "out-700-unshare");
    const second = await grade(copy, [assignment, subs, "--out", out2, "--jobs", "1", "--quiet"], { ...process.env, PATH: pathWithoutBubblewrap() });
    assert.equal(second.code, 1, second.output);
    assert.match(second.output, /a sandboxed kernel could not start and run a cell on this machine, so nothing was graded/);
    assert.match(second.output, new RegExp(`Cause: .* cannot enter ${hidden.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(mode 700`));
    assert.match(second.output, /Fix: install bubblewrap/);
    assert.match(second.output, new RegExp(`chmod o\\+x ${hidden.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    for (const f of ["grades.csv", "gradebook.sqlite", "correct", "half"]) assert.equal(fs.existsSync(path.join(out2, f)), false, `${f} must not be written`);
  }
});

test(
  "as an ordinary user without bubblewrap: grading is refused with the missing layers named; --unsafe-no-sandbox grades and says so in every result",
  { skip: !runningAsRoot() || process.platform !== "linux" || !findProgram("useradd", `${process.env.PATH}:/usr/sbin`) ? "needs root and useradd" : false },
  async () => {
    fs.chmodSync(work, 0o755);
    const user = createOrdinaryUser(work, `wbck${process.pid % 100000}`);
    try {
      const area = path.join(work, "user-class");
      const { assignment, subs } = writeClass(area);
      const tmp = path.join(work, "user-tmp");
      fs.mkdirSync(tmp);
      assert.equal(spawnSync("chown", ["-R", `${user.name}:${user.name}`, area, tmp]).status, 0);
      const noBwrap = { PATH: pathWithoutBubblewrap() };
      const refused = await gradeAsUser(user, work, tmp, [assignment, subs, "--out", path.join(area, "out"), "--jobs", "1", "--quiet"], noBwrap);
      assert.equal(refused.code, 1, refused.output);
      assert.match(refused.output, /cannot sandbox the students' kernels, so nothing was graded/);
      assert.match(refused.output, /missing layer: network namespace/);
      assert.match(refused.output, /missing layer: PID namespace or a user of its own/);
      assert.match(refused.output, /--unsafe-no-sandbox/);
      assert.equal(fs.existsSync(path.join(area, "out", "grades.csv")), false);

      const unsafe = await gradeAsUser(user, work, tmp, [assignment, subs, "--out", path.join(area, "out"), "--jobs", "1", "--quiet", "--unsafe-no-sandbox"], noBwrap);
      assert.equal(unsafe.code, 0, unsafe.output);
      for (const student of ["correct", "half"])
        assert.match(score(path.join(area, "out"), student).output, /graded with --unsafe-no-sandbox: the kernel ran without network namespace, mount namespace, PID namespace or a user of its own/);
      assert.equal(score(path.join(area, "out"), "correct").score, 6);
      assert.deepEqual(user.processes(), [], "no process of the user is left");
    } finally {
      user.remove();
    }
  },
);
