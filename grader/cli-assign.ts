/**
 * `workbook assign generate <source> [--out DIR] [--no-run]`: writes the student notebook and
 * the grading spec of an instructor's source notebook.
 */
import * as path from "path";
import { computeExpected } from "./assign/expected";
import { generateAssignment, readNotebook, writeAssignment } from "./assign/generate";
import { AssignmentSourceError } from "./assign/problems";

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

/** Entry point of `workbook assign`. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "--help" || sub === "-h" || rest.includes("--help") || rest.includes("-h")) {
    console.log(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== "generate") {
    console.error(`workbook assign: unknown subcommand "${sub}"; the only one is "generate".\n\n${USAGE}`);
    return 2;
  }
  let source: string | undefined;
  let outDir: string | undefined;
  let run = true;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--out") {
      outDir = rest[++i];
      if (outDir === undefined) {
        console.error("workbook assign generate: --out needs a folder, e.g. --out release/01-adam");
        return 2;
      }
    } else if (arg === "--no-run") {
      run = false;
    } else if (arg.startsWith("-")) {
      console.error(`workbook assign generate: unknown option "${arg}".\n\n${USAGE}`);
      return 2;
    } else if (source === undefined) {
      source = arg;
    } else {
      console.error(`workbook assign generate: one source notebook at a time (got "${source}" and "${arg}").`);
      return 2;
    }
  }
  if (source === undefined) {
    console.error(`workbook assign generate: which source notebook?\n\n${USAGE}`);
    return 2;
  }
  const out = outDir ?? path.dirname(source);
  try {
    const nb = readNotebook(source);
    const generated = generateAssignment(nb, source, out);
    if (run) await computeExpected(generated.spec, nb, source, { onProgress: (what) => console.error(`  ${what}`) });
    const { studentFile, specFile } = writeAssignment(generated, out);
    const cases = generated.spec.autograded.reduce((n, g) => n + g.hiddenCases.length, 0);
    console.log(`Wrote ${studentFile} (student notebook) and ${specFile} (${generated.spec.autograded.length} graded functions, ${cases} hidden test cases, ${generated.spec.totalPoints} points).`);
    return 0;
  } catch (err) {
    if (err instanceof AssignmentSourceError) {
      console.error(err.message);
      return 1;
    }
    console.error(`workbook assign generate: ${(err as Error).message}`);
    return 1;
  }
}
