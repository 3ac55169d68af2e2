#!/usr/bin/env node
/**
 * The `workbook` command. Each subcommand lives with its part of the project and exports
 * `main(args): Promise<number>` (the exit code); this file only dispatches and prints help.
 * Subcommands parse their options with `cli/args` (`util.parseArgs`), so that errors read alike
 * and exit codes mean the same everywhere: 0 done, 1 failed, 2 a wrong command line, 130
 * interrupted.
 */
import * as fs from "fs";
import * as path from "path";
import { EXIT } from "../cli/args";

/** A subcommand: where its module is (relative to dist/bin) and one line for `workbook --help`. */
interface Subcommand {
  module: string;
  summary: string;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  kernel: { module: "../kernel/cli", summary: "install, uninstall or list the Jupyter kernelspec; start the kernel" },
  lab: { module: "../lab/cli", summary: "start JupyterLab (built from npm, served by Debian's Jupyter Server) with the dl-workbook kernel" },
  run: { module: "../runner/cli-run", summary: "execute notebooks through the kernel and write the executed copies" },
  book: { module: "../runner/cli-book", summary: "run all lecture notebooks and render them as a static HTML site" },
  assign: { module: "../grader/cli-assign", summary: "generate the student notebook and grading spec from an instructor source" },
  grade: { module: "../grader/cli-grade", summary: "grade a class's submissions of an assignment" },
  proposal: { module: "../projects/cli-proposal", summary: "check a project proposal or export it as PDF" },
  teams: { module: "../projects/cli-teams", summary: "check a teams.csv file" },
};

/** Usage text for the whole command. */
function usage(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((name) => name.length));
  const lines = Object.entries(SUBCOMMANDS).map(([name, sub]) => `  ${name.padEnd(width)}  ${sub.summary}`);
  return ["Usage: workbook <command> [options]", "", "Commands:", ...lines, "", 'Run "workbook <command> --help" for the options of one command.'].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    // package.json lies outside the compiled tree (rootDir), so it is read at run time.
    console.log((JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version);
    return EXIT.ok;
  }
  const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!sub) {
    console.error(`workbook: unknown command "${name}"; see workbook --help\n\n${usage()}`);
    return EXIT.usage;
  }
  // Loaded on demand so that `workbook --help` and one subcommand do not load every other one (tfjs, the kernel).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module path is chosen at run time
  const command = require(sub.module) as { main(args: string[]): Promise<number> };
  return command.main(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(`workbook: ${err.message}`);
    process.exitCode = EXIT.failed;
  },
);
