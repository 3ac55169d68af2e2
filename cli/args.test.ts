import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import { EXIT, parseCommandLine, positiveNumber, runCommand, UsageError, wantsHelp } from "./args";
import { onInterrupt } from "./interrupt";

const WORKBOOK = path.join(__dirname, "..", "bin", "workbook.js");
const OPTIONS = { out: { type: "string" }, timeout: { type: "string" }, quiet: { type: "boolean", short: "q" }, output: { type: "string", short: "o" } } as const;

test("parseCommandLine: --key value, --key=value, short forms, options between arguments", () => {
  const line = parseCommandLine("demo", ["a", "--out", "x", "b", "--timeout=3", "-q", "-o", "f.pdf"], OPTIONS);
  assert.deepEqual(line.values, { out: "x", timeout: "3", quiet: true, output: "f.pdf" });
  assert.deepEqual(line.positionals, ["a", "b"]);
  assert.deepEqual(line.order, ["out", "timeout", "quiet", "output"]);
  assert.deepEqual(parseCommandLine("demo", ["--timeout", "-5"], OPTIONS).values, { timeout: "-5" }, "a value may start with one dash");
  assert.deepEqual(parseCommandLine("demo", ["--", "--out"], OPTIONS).positionals, ["--out"], "after -- everything is an argument");
});

test("parseCommandLine: each kind of mistake names the command, the option and where to look", () => {
  const refused = (args: string[], message: string, max?: number): void => {
    assert.throws(
      () => parseCommandLine("grade", args, OPTIONS, max),
      (err: unknown) => err instanceof UsageError && err.message === message,
      message,
    );
  };
  refused(["--foo"], "workbook grade: unknown option --foo; see workbook grade --help");
  refused(["-x"], "workbook grade: unknown option -x; see workbook grade --help");
  refused(["--out"], "workbook grade: option --out needs a value; see workbook grade --help");
  refused(["--out", "--quiet"], "workbook grade: option --out needs a value; see workbook grade --help");
  refused(["-o"], "workbook grade: option --output needs a value; see workbook grade --help");
  refused(["--quiet=yes"], "workbook grade: option --quiet takes no value; see workbook grade --help");
  refused(["a", "b"], 'workbook grade: unexpected argument "b"; see workbook grade --help', 1);
  assert.throws(() => positiveNumber("grade", "--timeout", "-5"), { message: 'workbook grade: --timeout must be a positive number, got "-5"' });
  assert.throws(() => positiveNumber("grade", "--timeout", "0"), { message: 'workbook grade: --timeout must be a positive number, got "0"' });
  assert.equal(positiveNumber("grade", "--timeout", "2.5"), 2.5);
});

test("runCommand: help exits 0, a usage error 2, other errors go up", async () => {
  const printed: string[] = [];
  const { log, error } = console;
  console.log = (text: string) => void printed.push(`out: ${text}`);
  console.error = (text: string) => void printed.push(`err: ${text}`);
  try {
    assert.equal(await runCommand("Usage: demo", ["x", "-h"], async () => EXIT.failed), EXIT.ok);
    assert.equal(
      await runCommand("Usage: demo", ["--bad"], async () => {
        parseCommandLine("demo", ["--bad"], {});
        return EXIT.ok;
      }),
      EXIT.usage,
    );
    await assert.rejects(
      runCommand("Usage: demo", [], async () => {
        throw new Error("disk full");
      }),
      /disk full/,
    );
  } finally {
    console.log = log;
    console.error = error;
  }
  assert.deepEqual(printed, ["out: Usage: demo", "err: workbook demo: unknown option --bad; see workbook demo --help"]);
  assert.equal(wantsHelp(["--", "--help"]), false, "a --help after -- is an argument");
});

/** `workbook ARGS` as a user types it: its exit status and what it printed on stderr. */
function workbook(...args: string[]): { status: number | null; stderr: string; stdout: string } {
  const run = spawnSync(process.execPath, [WORKBOOK, ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: run.status, stderr: run.stderr.trim(), stdout: run.stdout };
}

test("every workbook subcommand words an unknown option alike and exits 2", () => {
  const commands = [
    ["run", "a.ipynb"],
    ["book"],
    ["assign", "generate", "a.ipynb"],
    ["grade", "a", "b"],
    ["proposal", "check", "p.ipynb"],
    ["proposal", "export", "p.ipynb"],
    ["teams", "check", "t.csv"],
    ["kernel", "install"],
    ["kernel", "uninstall"],
    ["kernel", "list"],
  ];
  for (const command of commands) {
    const words = command.filter((word) => !word.includes(".") && word.length > 1).join(" ");
    const run = workbook(...command, "--foo");
    assert.equal(run.stderr, `workbook ${words}: unknown option --foo; see workbook ${words} --help`, command.join(" "));
    assert.equal(run.status, EXIT.usage, command.join(" "));
  }
});

test("workbook subcommands: a missing value, help, and wrong arguments", () => {
  assert.deepEqual(workbook("grade", "a", "b", "--timeout"), { status: 2, stdout: "", stderr: "workbook grade: option --timeout needs a value; see workbook grade --help" });
  assert.equal(workbook("grade", "a", "b", "--jobs=0").stderr, 'workbook grade: --jobs must be a positive number, got "0"');
  assert.equal(workbook("book", "--timeout-cell=soon").stderr, 'workbook book: --timeout-cell must be a positive number, got "soon"');
  assert.equal(workbook("book", "extra").stderr, 'workbook book: unexpected argument "extra"; see workbook book --help');
  assert.equal(workbook("run").stderr, 'workbook run: name at least one notebook, e.g. "workbook run notebooks/01-adam.ipynb".');
  assert.equal(workbook("proposal", "check", "p.ipynb", "-o", "x.pdf").stderr, "workbook proposal check: -o is an option of export.");
  assert.equal(workbook("teams", "check", "--course").stderr, "workbook teams check: option --course needs a value; see workbook teams check --help");
  assert.equal(workbook("assign", "generate", "a.ipynb", "b.ipynb").status, 2);
  assert.equal(workbook("nonsense").status, 2);
  assert.match(workbook("nonsense").stderr, /^workbook: unknown command "nonsense"; see workbook --help/);
  assert.equal(workbook().status, 2, "no command is a usage error");
  for (const command of ["run", "book", "grade", "proposal", "teams", "kernel", "assign"]) {
    const help = workbook(command, "--help");
    assert.equal(help.status, 0, command);
    assert.match(help.stdout, new RegExp(`workbook ${command}`), command);
  }
});

test("onInterrupt: the first Ctrl-C tells the command and aborts its signal; release removes the handlers", () => {
  const before = process.listenerCount("SIGINT");
  const beforeTerm = process.listenerCount("SIGTERM");
  const told: string[] = [];
  const interrupt = onInterrupt(() => told.push(interrupt.signal.aborted ? "after abort" : "before abort"));
  assert.equal(process.listenerCount("SIGINT"), before + 1);
  assert.equal(process.listenerCount("SIGTERM"), beforeTerm + 1);
  assert.equal(interrupt.signal.aborted, false);
  process.emit("SIGINT", "SIGINT");
  assert.equal(interrupt.signal.aborted, true);
  assert.deepEqual(told, ["before abort"]);
  interrupt.release();
  assert.equal(process.listenerCount("SIGINT"), before);
  assert.equal(process.listenerCount("SIGTERM"), beforeTerm);
});
