import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ADAM_ASSIGNMENT, adamAnswers, adamSubmission } from "../hostile/adam-class";
import { Gradebook } from "../gradebook";
import { redactUrl } from "./connection";
import { jobIdOf } from "./job";
import { freePort } from "../../kernel/client/connection";

// Grading on the queue with a real Redis (Debian's redis-server, started here on a free port, no
// persistence) and real worker processes (`workbook grade worker`, started from another folder):
// a worker SIGKILLed mid-job and one joining late, a coordinator SIGKILLed and restarted, Redis
// SIGKILLed and restarted (its memory lost). Each time every submission of the Adam assignment is
// in the gradebook once with its right score. Job locks are shortened to 4 s
// (WORKBOOK_QUEUE_LOCK_MS) so a dead worker's job is retried within about 8 s.
// Budget: about 25-40 s per test on 2 cores.

const WORKBOOK = path.join(__dirname, "..", "..", "bin", "workbook.js");
const ASSIGNMENT = ADAM_ASSIGNMENT;
const HAVE_REDIS = spawnSync("redis-server", ["--version"]).status === 0;
const ENV = { ...process.env, CI: "true", WORKBOOK_QUEUE_LOCK_MS: "4000" };

/** Writes `n` Adam submissions, alternately correct (6 / 6 autograded points) and with adamLecture left as released (4 / 6); returns the expected scores. */
function writeClass(dir: string, n: number): Map<string, number> {
  fs.mkdirSync(dir, { recursive: true });
  const answers = adamAnswers();
  const expected = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const partial = i % 2 === 1;
    const student = `s${String(i).padStart(2, "0")}`;
    fs.writeFileSync(path.join(dir, `${student}.ipynb`), JSON.stringify(adamSubmission({ adam: answers.adam, ...(partial ? {} : { adamLecture: answers.adamLecture }) })));
    expected.set(student, partial ? 4 : 6);
  }
  return expected;
}

/** A process of this test with its output so far and a wait for a line. */
class Proc {
  out = "";
  exited: Promise<{ code: number | null; signal: string | null }>;
  constructor(readonly child: ChildProcess) {
    child.stdout?.on("data", (d: Buffer) => (this.out += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (this.out += d.toString()));
    this.exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  }
  /** Waits until `count` lines match `pattern` (rejects after `ms`). */
  async until(pattern: RegExp, count = 1, ms = 90000): Promise<void> {
    const start = Date.now();
    const global = new RegExp(pattern.source, "gm");
    while ((this.out.match(global) ?? []).length < count) {
      if (Date.now() - start > ms) throw new Error(`timed out waiting for ${count} x ${pattern}; output:\n${this.out}`);
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`process ended before ${count} x ${pattern}; output:\n${this.out}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  stop(signal: NodeJS.Signals = "SIGTERM"): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

async function startRedis(port: number, extra: string[] = []): Promise<Proc> {
  const redis = new Proc(spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...extra], { stdio: ["ignore", "pipe", "pipe"] }));
  await redis.until(/Ready to accept connections/, 1, 15000);
  return redis;
}

/** A worker started from a folder that is not the package (it needs nothing but the package and the queue). */
function startWorker(url: string, env: NodeJS.ProcessEnv = ENV): Proc {
  return new Proc(spawn(process.execPath, [WORKBOOK, "grade", "worker", "--queue", url, "--jobs", "1"], { cwd: os.tmpdir(), env, stdio: ["ignore", "pipe", "pipe"] }));
}

function startCoordinator(args: string[], env: NodeJS.ProcessEnv = ENV): Proc {
  return new Proc(spawn(process.execPath, [WORKBOOK, "grade", ...args], { env, stdio: ["ignore", "pipe", "pipe"] }));
}

/** Students named in a worker's "graded X:" lines. */
function gradedBy(worker: Proc): string[] {
  return [...worker.out.matchAll(/^graded (\S+):/gm)].map((m) => m[1]);
}

function checkGradebook(out: string, expected: Map<string, number>): void {
  const book = Gradebook.open(path.join(out, "gradebook.sqlite"));
  try {
    const grades = book.grades("01-adam");
    assert.deepEqual(
      grades.map((g) => g.student),
      [...expected.keys()],
      "every submission has exactly one gradebook row",
    );
    for (const g of grades) {
      assert.equal(g.rawScore, expected.get(g.student), `${g.student}: score`);
      assert.ok(!g.contentHash.endsWith(":grader-failed"), `${g.student}: recorded as a grader failure`);
      assert.ok(fs.existsSync(path.join(out, g.student, "results.json")) && fs.existsSync(path.join(out, g.student, "feedback.html")), `${g.student}: results.json and feedback.html`);
      const results = JSON.parse(fs.readFileSync(path.join(out, g.student, "results.json"), "utf8")) as { score: number };
      assert.equal(results.score, expected.get(g.student), `${g.student}: results.json score`);
      assert.ok(book.testResults(g.student, "01-adam").length > 0, `${g.student}: per-test rows`);
    }
  } finally {
    book.close();
  }
}

function setUp(name: string, n: number): { work: string; subs: string; out: string; expected: Map<string, number> } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `workbook-queue-${name}-`));
  const subs = path.join(work, "submissions");
  return { work, subs, out: path.join(work, "out"), expected: writeClass(subs, n) };
}

test("queue: job ids are derived from spec, student and content; passwords are not printed", () => {
  assert.equal(jobIdOf("a", "alice", "c"), jobIdOf("a", "alice", "c"));
  assert.notEqual(jobIdOf("a", "alice", "c"), jobIdOf("b", "alice", "c"), "a changed spec is a new job");
  assert.notEqual(jobIdOf("a", "alice", "c"), jobIdOf("a", "alice", "d"), "a resubmission is a new job");
  assert.ok(!jobIdOf("a", "alice", "c").includes(":"), "BullMQ ids cannot hold ':'");
  assert.equal(redactUrl("redis://:s3cret@grader:6379"), "redis://:***@grader:6379");
  assert.equal(redactUrl("rediss://user:s3cret@grader:6380/0"), "rediss://user:***@grader:6380/0");
  assert.equal(redactUrl("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
});

test(
  "queue: three workers, one SIGKILLed mid-job, one joining late: every submission graded once with its score",
  { skip: !HAVE_REDIS && "redis-server is not installed (apt-get install redis-server)", timeout: 180000 },
  async () => {
    const { subs, out, expected } = setUp("workers", 8);
    const port = await freePort();
    const redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const workers = [startWorker(url), startWorker(url)];
    try {
      const coordinator = startCoordinator([ASSIGNMENT, subs, "--out", out, "--queue", url]);
      // the first worker is killed while it grades its second submission
      await workers[0].until(/^grading \S+/, 2);
      const killed = [...workers[0].out.matchAll(/^grading (\S+)/gm)][1][1];
      workers[0].stop("SIGKILL");
      workers.push(startWorker(url));
      const end = await coordinator.exited;
      assert.equal(end.code, 0, coordinator.out);
      checkGradebook(out, expected);
      const lines = [...coordinator.out.matchAll(/^\[\s*\d+\/8\] [\d.]+\/min, ETA \S+, \d+ workers? alive {2}(\S+): [\d.]+ \/ 6$/gm)].map((m) => m[1]);
      assert.deepEqual([...lines].sort(), [...expected.keys()], `one progress line per submission:\n${coordinator.out}`);
      const graded = workers.flatMap(gradedBy);
      assert.deepEqual([...graded].sort(), [...expected.keys()], "each submission finished by exactly one worker");
      assert.ok(!gradedBy(workers[0]).includes(killed), `${killed} was being graded by the killed worker`);
      assert.ok(!coordinator.out.includes("hiddenCases") && !workers.some((w) => w.out.includes("hiddenCases")), "the spec is never logged");
      // SIGTERM: the idle workers stop cleanly
      for (const w of workers.slice(1)) w.stop("SIGTERM");
      for (const w of workers.slice(1)) assert.equal((await w.exited).code, 0, w.out);
    } finally {
      for (const w of workers) w.stop("SIGKILL");
      redis.stop("SIGKILL");
    }
  },
);

test(
  "queue: a coordinator SIGKILLed and restarted with the same arguments resumes; nothing graded twice",
  { skip: !HAVE_REDIS && "redis-server is not installed (apt-get install redis-server)", timeout: 180000 },
  async () => {
    const { subs, out, expected } = setUp("coordinator", 6);
    const port = await freePort();
    const redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const worker = startWorker(url);
    try {
      const args = [ASSIGNMENT, subs, "--out", out, "--queue", url];
      const first = startCoordinator(args);
      await first.until(/^\[\s*\d+\/6\]/, 2);
      first.stop("SIGKILL");
      await first.exited;
      // the worker goes on grading the queued jobs meanwhile; the restarted coordinator collects them
      await worker.until(/^graded /, 4);
      const second = startCoordinator(args);
      const end = await second.exited;
      assert.equal(end.code, 0, second.out);
      checkGradebook(out, expected);
      const skipped = (second.out.match(/unchanged, skipped$/gm) ?? []).length;
      assert.ok(skipped >= 2, `the restart skips what the gradebook holds:\n${second.out}`);
      assert.deepEqual([...gradedBy(worker)].sort(), [...expected.keys()], "each submission graded by the worker once: re-adding a queued job is a no-op");
    } finally {
      worker.stop("SIGKILL");
      redis.stop("SIGKILL");
    }
  },
);

test(
  "queue: Redis SIGKILLed and restarted empty mid-run: jobs are queued again, no grade lost",
  { skip: !HAVE_REDIS && "redis-server is not installed (apt-get install redis-server)", timeout: 180000 },
  async () => {
    const { subs, out, expected } = setUp("redis", 6);
    const port = await freePort();
    let redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const workers = [startWorker(url), startWorker(url)];
    try {
      const coordinator = startCoordinator([ASSIGNMENT, subs, "--out", out, "--queue", url]);
      await coordinator.until(/^\[\s*\d+\/6\]/, 2);
      redis.stop("SIGKILL");
      await redis.exited;
      redis = await startRedis(port);
      const end = await coordinator.exited;
      assert.equal(end.code, 0, coordinator.out);
      checkGradebook(out, expected);
      const lines = [...coordinator.out.matchAll(/^\[\s*\d+\/6\] .* {2}(\S+): /gm)].map((m) => m[1]);
      assert.deepEqual([...lines].sort(), [...expected.keys()], `each submission recorded once:\n${coordinator.out}`);
    } finally {
      for (const w of workers) w.stop("SIGKILL");
      redis.stop("SIGKILL");
    }
  },
);

test(
  "queue: a submission whose job kills every worker it meets is recorded as failed with the reason after 3 workers",
  { skip: !HAVE_REDIS && "redis-server is not installed (apt-get install redis-server)", timeout: 180000 },
  async () => {
    const { subs, out, expected } = setUp("poison", 2);
    const port = await freePort();
    const redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const workers = [startWorker(url)];
    let kills = 0;
    let watching = true;
    // stands for a machine lost each time it grades s01: every worker that takes it is SIGKILLed, a fresh one replaces it
    const watch = (async () => {
      while (watching) {
        const current = workers[workers.length - 1];
        if (/^grading s01$/m.test(current.out)) {
          current.stop("SIGKILL");
          kills++;
          workers.push(startWorker(url));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      const coordinator = startCoordinator([ASSIGNMENT, subs, "--out", out, "--queue", url]);
      const end = await coordinator.exited;
      watching = false;
      await watch;
      assert.equal(end.code, 0, coordinator.out);
      assert.equal(kills, 3, "maxStalledCount 2: the third worker lost ends the job");
      const book = Gradebook.open(path.join(out, "gradebook.sqlite"));
      try {
        const grades = new Map(book.grades("01-adam").map((g) => [g.student, g]));
        assert.equal(grades.get("s00")?.rawScore, expected.get("s00"));
        const failed = grades.get("s01");
        assert.ok(failed && failed.contentHash.endsWith(":grader-failed") && failed.rawScore === 0, "s01 is recorded, as a grader failure that a later run grades again");
        const results = fs.readFileSync(path.join(out, "s01", "results.json"), "utf8");
        assert.match(results, /could not grade this submission after \d+ attempt\(s\): .*stalled/, "the reason is in s01's results");
      } finally {
        book.close();
      }
      assert.match(coordinator.out, /s01: failed on the queue/);
    } finally {
      watching = false;
      for (const w of workers) w.stop("SIGKILL");
      redis.stop("SIGKILL");
    }
  },
);

test(
  "queue: over TLS with a password (rediss://:PASSWORD@HOST:PORT), the password never printed",
  { skip: !HAVE_REDIS && "redis-server is not installed (apt-get install redis-server)", timeout: 120000 },
  async () => {
    const { work, subs, out, expected } = setUp("tls", 2);
    // a self-signed certificate for localhost, trusted by the grader's Node through NODE_EXTRA_CA_CERTS
    const key = path.join(work, "key.pem");
    const cert = path.join(work, "cert.pem");
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"], {
      encoding: "utf8",
    });
    assert.equal(made.status, 0, made.stderr);
    const port = await freePort();
    const password = "s3cret-for-graders";
    const redis = await startRedis(0, ["--tls-port", String(port), "--tls-cert-file", cert, "--tls-key-file", key, "--tls-auth-clients", "no", "--requirepass", password]);
    const url = `rediss://:${password}@localhost:${port}`;
    const env = { ...ENV, NODE_EXTRA_CA_CERTS: cert };
    const worker = startWorker(url, env);
    try {
      const coordinator = startCoordinator([ASSIGNMENT, subs, "--out", out, "--queue", url], env);
      const end = await coordinator.exited;
      assert.equal(end.code, 0, coordinator.out);
      checkGradebook(out, expected);
      assert.match(coordinator.out, /on rediss:\/\/:\*\*\*@localhost:/);
      assert.ok(!coordinator.out.includes(password) && !worker.out.includes(password), "the password is never printed");
    } finally {
      worker.stop("SIGKILL");
      redis.stop("SIGKILL");
    }
  },
);

test("queue: a worker sent SIGTERM mid-job finishes that job, then stops", { skip: !HAVE_REDIS && "redis-server is not installed (apt-get install redis-server)", timeout: 120000 }, async () => {
  const { subs, out, expected } = setUp("sigterm", 2);
  const port = await freePort();
  const redis = await startRedis(port);
  const url = `redis://127.0.0.1:${port}`;
  const workers = [startWorker(url)];
  try {
    const coordinator = startCoordinator([ASSIGNMENT, subs, "--out", out, "--queue", url]);
    await workers[0].until(/^grading s00$/);
    workers[0].stop("SIGTERM");
    const stopped = await workers[0].exited;
    assert.equal(stopped.code, 0, workers[0].out);
    assert.match(workers[0].out, /SIGTERM: finishing[^]*graded s00: 6 \/ 6/, "the job in progress is finished after SIGTERM");
    assert.ok(!/^grading s01$/m.test(workers[0].out.split("SIGTERM")[1]), "no new job is taken after SIGTERM");
    workers.push(startWorker(url));
    const end = await coordinator.exited;
    assert.equal(end.code, 0, coordinator.out);
    checkGradebook(out, expected);
    assert.deepEqual(workers.flatMap(gradedBy).sort(), [...expected.keys()], "each graded once");
  } finally {
    for (const w of workers) w.stop("SIGKILL");
    redis.stop("SIGKILL");
  }
});

test(
  "queue: a second coordinator of the same assignment is refused, naming the first; once the first is killed, a restart waits for its lock and finishes",
  { skip: !HAVE_REDIS && "redis-server is not installed (apt-get install redis-server)", timeout: 120000 },
  async () => {
    const { subs, out, expected } = setUp("lock", 2);
    const port = await freePort();
    const redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const args = [ASSIGNMENT, subs, "--out", out, "--queue", url];
    const workers: Proc[] = [];
    try {
      // no worker yet: the first coordinator waits with its jobs queued
      const first = startCoordinator(args);
      await first.until(/^queued 2 submission/);
      const second = startCoordinator(args);
      const refused = await second.exited;
      assert.equal(refused.code, 1, second.out);
      assert.match(second.out, new RegExp(`another coordinator is grading this assignment .* pid ${first.child.pid}, writing to ${out.replace(/[/\\^$*+?.()|[\]{}]/g, "\\$&")}`));
      assert.ok(!fs.existsSync(path.join(out, "s00")), "the refused coordinator recorded nothing");
      first.stop("SIGKILL");
      await first.exited;
      workers.push(startWorker(url));
      // (its lock lapses within the lock time, 4 s here: the restart waits for that, then goes on)
      const third = startCoordinator(args);
      const end = await third.exited;
      assert.equal(end.code, 0, third.out);
      checkGradebook(out, expected);
      assert.deepEqual(workers.flatMap(gradedBy).sort(), [...expected.keys()], "each graded once");
    } finally {
      for (const w of workers) w.stop("SIGKILL");
      redis.stop("SIGKILL");
    }
  },
);
