import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import type { Notebook } from "../assign/format";
import type { GradescopeResults } from "../export";
import { Gradebook } from "../gradebook";
import { ANSWERS, submission, writeFixtureAssignment } from "./fixture";
import { HostileCase, Targets } from "./submissions";

/**
 * One class of honest and hostile submissions of the fixture assignment (scale: 4 points,
 * sumSquares: 2 points), graded by the root pass (hostile.test.ts) and again by an ordinary user
 * (hostile-user.test.ts), with the same expectations, registered by {@link expectHostileClass}.
 */
export interface HostileClass {
  work: string;
  assignmentDir: string;
  specFile: string;
  subsDir: string;
  outDir: string;
  targets: Targets;
  hostile: HostileCase[];
  /** The honest students' names (their notebooks are written beside the hostile ones). */
  honest: string[];
}

/** The correct honest submission every pass grades: it must score 6 of 6 beside the hostile ones. */
export const HONEST_CORRECT = { "honest-correct": submission(ANSWERS.scale, ANSWERS.sum) };

/** A TCP listener on 127.0.0.1 that counts the connections it receives (a hostile kernel must reach none). */
export interface Listener {
  port: number;
  connections(): number;
  close(): Promise<void>;
}

/** Starts a {@link Listener} on a free port of 127.0.0.1. */
export async function startListener(): Promise<Listener> {
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as net.AddressInfo).port, connections: () => count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Writes the assignment and the class's submissions under `work` (whose `open/` folder, mode 1777,
 * holds the file no kernel may write). `outDir` is where the grader will write.
 */
export function writeHostileClass(work: string, outDir: string, hostile: HostileCase[], honest: Record<string, Notebook | string>, listenerPort: number): HostileClass {
  const assignmentDir = path.join(work, "assignment");
  const specFile = writeFixtureAssignment(assignmentDir);
  const subsDir = path.join(work, "submissions");
  fs.mkdirSync(subsDir, { recursive: true });
  const open = path.join(work, "open");
  fs.mkdirSync(open, { recursive: true });
  fs.chmodSync(open, 0o1777);
  const targets: Targets = {
    specFile,
    outDir,
    gradebook: path.join(outDir, "gradebook.sqlite"),
    classmateResults: path.join(outDir, "honest-correct", "results.json"),
    listenerPort,
    escapeFile: path.join(open, "escaped.txt"),
  };
  for (const [student, nb] of Object.entries(honest)) fs.writeFileSync(path.join(subsDir, `${student}.ipynb`), typeof nb === "string" ? nb : JSON.stringify(nb));
  for (const h of hostile) fs.writeFileSync(path.join(subsDir, `${h.student}.ipynb`), JSON.stringify(h.notebook(targets)));
  return { work, assignmentDir, specFile, subsDir, outDir, targets, hostile, honest: Object.keys(honest) };
}

/** Processes (other than this one) whose command line mentions `marker`: kernels left behind by a run. */
export function processesMentioning(marker: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cmdline.includes(marker)) found.push(`${entry}: ${cmdline.slice(0, 200)}`);
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

/** results.json of one student. */
export function resultsOf(cls: HostileClass, student: string): GradescopeResults {
  return JSON.parse(fs.readFileSync(path.join(cls.outDir, student, "results.json"), "utf8")) as GradescopeResults;
}

/** What the run left for the checks: whether the grader lived, connections seen, processes left over. */
export interface RunEvidence {
  graderSurvived: boolean;
  listenerConnections: number;
  leftover: string[];
}

/**
 * Registers the expectations both passes share (`pass` names them, e.g. "as root"): every grade
 * kept and the grader alive, the correct classmate at full marks, each attack at 0 with its reason
 * and the rest of its submission graded, no connection to the listener, nothing written outside the
 * scratch folder, the grader's files untouched, no process left. `hostile` are the attacks in the
 * class; `get` is read once the run is done.
 */
export function expectHostileClass(pass: string, hostile: HostileCase[], get: () => { cls: HostileClass; evidence: RunEvidence }): void {
  const scaleTests = (r: GradescopeResults): GradescopeResults["tests"] => r.tests.filter((t) => t.name.startsWith("scale:"));
  const sumScore = (r: GradescopeResults): number => r.tests.filter((t) => t.name.startsWith("sumSquares:")).reduce((s, t) => s + t.score, 0);

  test(`${pass}: the grader survives the whole hostile class and writes every result`, () => {
    const { cls, evidence } = get();
    assert.equal(evidence.graderSurvived, true);
    const csv = fs.readFileSync(path.join(cls.outDir, "grades.csv"), "utf8").trim().split("\n");
    assert.equal(csv.length, 1 + cls.honest.length + cls.hostile.length);
    for (const h of cls.hostile) assert.ok(fs.existsSync(path.join(cls.outDir, h.student, "feedback.html")), h.student);
  });

  test(`${pass}: a correct submission scores full marks, also when graded beside hostile ones`, () => {
    const r = resultsOf(get().cls, "honest-correct");
    assert.equal(r.score, 6);
    assert.equal(r.max_score, 6);
    assert.ok(r.tests.every((t) => t.status === "passed"));
  });

  for (const h of hostile) {
    test(`${pass}: hostile ${h.student} ${h.attack}: scores 0 for it, the rest is graded`, () => {
      const r = resultsOf(get().cls, h.student);
      const scale = scaleTests(r);
      assert.equal(
        scale.reduce((s, t) => s + t.score, 0),
        0,
        JSON.stringify(scale),
      );
      const hidden = scale.filter((t) => !t.name.endsWith("public tests"));
      assert.equal(hidden.length, 2);
      for (const t of hidden) assert.match(t.output, h.reason, `${h.student}: ${t.output}`);
      if (!/output-flood/.test(h.student)) assert.equal(sumScore(r), 2, `${h.student}: sumSquares must be unaffected: ${JSON.stringify(r.tests)}`);
      assert.equal(r.max_score, 6, "points come from the assignment, not the submission");
    });
  }

  test(`${pass}: no connection reached the listener on 127.0.0.1, and nothing was written outside the scratch folders`, () => {
    const { cls, evidence } = get();
    assert.equal(evidence.listenerConnections, 0);
    assert.equal(fs.existsSync(cls.targets.escapeFile), false, `${cls.targets.escapeFile} was written`);
  });

  test(`${pass}: hostile submissions could not touch the grader's files or a classmate's results`, () => {
    const { cls } = get();
    assert.equal(resultsOf(cls, "honest-correct").score, 6);
    const book = Gradebook.open(cls.targets.gradebook);
    const grades = book.grades("99-fixture");
    book.close();
    assert.equal(grades.length, cls.honest.length + cls.hostile.length);
    assert.equal(grades.find((g) => g.student === "honest-correct")!.finalScore, 6);
    assert.match(fs.readFileSync(cls.specFile, "utf8"), /"assignment": "99-fixture"/);
  });

  test(`${pass}: no kernel or other process of the run is left`, () => {
    assert.deepEqual(get().evidence.leftover, []);
  });
}
