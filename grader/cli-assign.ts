/**
 * `workbook assign generate <source> [--out DIR] [--no-run]`: writes the student notebook and
 * the grading spec of an instructor's source notebook.
 */
import * as path from "path";
import { computeExpected } from "./assign/expected";
import { generateAssignment, readNotebook, writeAssignment } from "./assign/generate";
import { AssignmentSourceError } from "./assign/problems";
import { EXIT, parseCommandLine, runCommand, UsageError, usageError } from "../cli/args";

const USAGE = `Usage: workbook assign generate <source.ipynb> [--out DIR] [--no-run]

Turns an instructor's source notebook into the student notebook and the grading spec:
  <DIR>/<name>.ipynb          the student notebook: solutions become
                              throw new Error("Not implemented: <function>"), hidden tests removed
  <DIR>/<name>.grading.json   the grading spec: each graded function, its points, its hidden test
                              calls and the expected values (keep it from students)
<name> is the source's file name without ".source.ipynb"; DIR defaults to the source's folder.

The source must pass all its own tests: it is run in a fresh kernel to record the expected
values of the hidden tests. --no-run skips that (the spec then has no expected values).

Refused, with the cell named: unbalanced BEGIN/END SOLUTION or HIDDEN TESTS markers, duplicate
grade ids, graded cells without points, solution cells without a marked solution.`;

/** The options of `workbook assign generate`. */
const OPTIONS = { out: { type: "string" }, "no-run": { type: "boolean" } } as const;

/** Entry point of `workbook assign`. Returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand(USAGE, args, () => {
    const [sub, ...rest] = args;
    if (sub === undefined) throw new UsageError(USAGE);
    if (sub !== "generate") throw usageError("assign", `unknown subcommand "${sub}"; the only one is "generate"; see workbook assign --help`);
    const { values, positionals } = parseCommandLine("assign generate", rest, OPTIONS);
    if (positionals.length === 0) throw usageError("assign generate", "which source notebook? e.g. workbook assign generate assignments/01-adam/01-adam.source.ipynb");
    if (positionals.length > 1) throw usageError("assign generate", `one source notebook at a time (got "${positionals[0]}" and "${positionals[1]}").`);
    return generate(positionals[0], values.out ?? path.dirname(positionals[0]), values["no-run"] !== true);
  });
}

/** Writes the student notebook and the grading spec of `source` into `out`, recording expected values when `run`. */
async function generate(source: string, out: string, run: boolean): Promise<number> {
  try {
    const nb = readNotebook(source);
    const generated = generateAssignment(nb, source, out);
    if (run) await computeExpected(generated.spec, nb, source, { onProgress: (what) => console.error(`  ${what}`) });
    const { studentFile, specFile } = writeAssignment(generated, out);
    const cases = generated.spec.autograded.reduce((n, g) => n + g.hiddenCases.length, 0);
    console.log(`Wrote ${studentFile} (student notebook) and ${specFile} (${generated.spec.autograded.length} graded functions, ${cases} hidden test cases, ${generated.spec.totalPoints} points).`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof AssignmentSourceError) {
      console.error(err.message);
      return EXIT.failed;
    }
    console.error(`workbook assign generate: ${(err as Error).message}`);
    return EXIT.failed;
  }
}
