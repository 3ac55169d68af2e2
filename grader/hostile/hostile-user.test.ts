import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findProgram, runningAsRoot } from "../sandbox";
import { HONEST_CORRECT, HostileClass, Listener, RunEvidence, expectHostileClass, processesMentioning, resultsOf, startListener, writeHostileClass } from "./class";
import { OrdinaryUser, createOrdinaryUser, gradeAsUser } from "./ordinary-user";
import { HOSTILE } from "./submissions";

// The user pass: the attacks that only the OS can stop (reading, writing and listing the grader's
// files, child processes, sockets, exit, killing the parent and every process id, memory and
// thread bombs), graded by `workbook grade` run as an ordinary user that this test creates with
// useradd (home folder of its own), as a TA grades on a laptop. Same expectations as the root
// pass (hostile.test.ts, which also runs the attacks on the grader's own logic: fake results,
// built-ins, locked cells, floods, hangs). The user must be able to read the package and run Node:
// the test mounts both into a private mount namespace at a folder the user can enter, so the pass
// also runs where the package lives in /root or a mode-700 folder.
// Needs root (useradd, mount); skipped otherwise. Budget: about 1 minute on 2 cores (54 s at load 12).

const SUBSET = [
  "h01-read-spec",
  "h02-require-spec",
  "h03-list-files",
  "h04-child-process",
  "h05-network",
  "h06-process-exit",
  "h07-kill-grader",
  "h10-memory-bomb",
  "h11-fork-bomb",
  "h16-write-grader-files",
  "h21-kill-every-pid",
  "h22-write-outside-scratch",
];
const hostile = HOSTILE.filter((h) => SUBSET.includes(h.student));
const missingTool = ["useradd", "userdel", "runuser", "unshare", "mount"].find((t) => !findProgram(t, `${process.env.PATH ?? ""}:/usr/sbin:/sbin`));
const skip = process.platform !== "linux" ? "Linux only" : !runningAsRoot() ? "needs root to create the grading user" : missingTool ? `needs ${missingTool}` : false;

const userName = `wbta${process.pid % 100000}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-hostile-user-"));
const evidence: RunEvidence = { graderSurvived: false, listenerConnections: -1, leftover: [] };
let cls: HostileClass;
let listener: Listener;
let user: OrdinaryUser | undefined;
let graded: { code: number | null; output: string } = { code: null, output: "" };

before(async () => {
  if (skip) return;
  fs.chmodSync(work, 0o755);
  user = createOrdinaryUser(work, userName);
  listener = await startListener();
  // the user's own area: the class, its output, and its temporary folder (kernels' scratch folders)
  const area = path.join(work, "class");
  cls = writeHostileClass(area, path.join(area, "out"), hostile, HONEST_CORRECT, listener.port);
  const userTmp = path.join(work, "tmp");
  fs.mkdirSync(userTmp);
  const chown = spawnSync("chown", ["-R", `${user.name}:${user.name}`, area, userTmp], { encoding: "utf8" });
  assert.equal(chown.status, 0, chown.stderr);
  graded = await gradeAsUser(user, work, userTmp, [cls.assignmentDir, cls.subsDir, "--out", cls.outDir, "--jobs", "2", "--timeout-cell", "5", "--timeout", "120", "--memory", "512", "--quiet"]);
  evidence.graderSurvived = graded.code === 0 && /graded \d+/.test(graded.output);
  await new Promise((resolve) => setTimeout(resolve, 300));
  evidence.listenerConnections = listener.connections();
  evidence.leftover = [...processesMentioning(work), ...user.processes().map((pid) => `pid ${pid} of ${userName}`)];
});

after(async () => {
  await listener?.close();
  // whatever the run left (reported by the test below) goes before the user does
  user?.remove();
  fs.rmSync(work, { recursive: true, force: true });
});

test("as an ordinary user: workbook grade runs in bubblewrap's namespaces and exits 0", { skip }, () => {
  assert.equal(graded.code, 0, graded.output);
  assert.match(graded.output, new RegExp(`graded ${hostile.length + 1}, unchanged 0`), graded.output);
  assert.doesNotMatch(graded.output, /sandbox layer missing/, graded.output);
  // the kernels ran as the user, in namespaces of their own: h07's kill reached only the sandbox's own init, not the grader (no EPERM as for root)
  assert.match(resultsOf(cls, "h07-kill-grader").tests.find((t) => t.name.includes("negative factor"))!.output, /still here/);
});

if (skip) test("as an ordinary user: the hostile class", { skip }, () => undefined);
else expectHostileClass(`as user ${userName}`, hostile, () => ({ cls, evidence }));
