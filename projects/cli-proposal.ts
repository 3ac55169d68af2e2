/**
 * `workbook proposal check <proposal.ipynb> [--course course.json]` checks a project proposal;
 * `workbook proposal export <proposal.ipynb> [-o proposal.pdf] [--course course.json]` prints it
 * to PDF as a reviewer will see it.
 */
import * as fs from "fs";
import { describeDeadlines, loadCourse } from "./course";
import { formatProblems } from "./problem";
import { checkProposal } from "./proposal/check";
import { proposalHtml } from "./proposal/html";
import { readNotebook } from "../notebook/notebook";
import { countPdfPages, printPdf } from "./proposal/pdf";
import { EXIT, parseCommandLine, runCommand, UsageError, usageError } from "../cli/args";

const USAGE = `Usage:
  workbook proposal check <proposal.ipynb> [--course course.json]
  workbook proposal export <proposal.ipynb> [-o proposal.pdf] [--course course.json]

check   checks the proposal against the course's rules: team size; every required section
        present and non-empty; the problem statement one paragraph and the literature review
        1-2 paragraphs with references; the plan's data sets load; the code cells run in the
        dl-workbook kernel; and the PDF printed in headless Chromium has at most the page
        limit (2). Prints each problem with its section; exits with 0 only when all pass.
        Data sets it cannot load (a Kaggle competition, CIFAR-10, a lab's own data) and,
        without Chromium (CHROMIUM_PATH, default /usr/bin/chromium), the page count are
        listed as not checked; they do not fail the proposal.
export  writes the PDF (default: the notebook's name with .pdf), with the outputs as saved.

Options:
  --course <file>   course config (default: the package's projects/course.json)
  -o, --output <f>  where export writes the PDF`;

/** Parsed command line. */
interface Args {
  action: "check" | "export";
  file: string;
  course?: string;
  output?: string;
}

/** The options of `workbook proposal check|export`. */
const OPTIONS = { course: { type: "string" }, output: { type: "string", short: "o" } } as const;

function parseArgs(args: string[]): Args {
  const [action, ...rest] = args;
  if (action === undefined) throw new UsageError(USAGE);
  if (action !== "check" && action !== "export") throw usageError("proposal", `unknown action "${action}"; use "check" or "export"; see workbook proposal --help`);
  const command = `proposal ${action}`;
  const { values, positionals } = parseCommandLine(command, rest, OPTIONS);
  if (positionals.length === 0) throw usageError(command, "give the proposal notebook, e.g. proposal.ipynb.");
  if (positionals.length > 1) throw usageError(command, `one proposal at a time; got "${positionals[0]}" and "${positionals[1]}".`);
  if (values.output !== undefined && action !== "export") throw usageError(command, "-o is an option of export.");
  return { action, file: positionals[0], course: values.course, output: values.output };
}

/** Runs the command; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand(USAGE, args, () => proposal(parseArgs(args)));
}

/** Checks or exports the proposal. */
async function proposal(parsed: Args): Promise<number> {
  if (!fs.existsSync(parsed.file)) throw usageError(`proposal ${parsed.action}`, `${parsed.file} does not exist.`);
  const course = loadCourse(parsed.course);
  if (parsed.action === "export") {
    const output = parsed.output ?? parsed.file.replace(/\.ipynb$/, "") + ".pdf";
    let pdf: Buffer;
    try {
      pdf = await printPdf(proposalHtml(readNotebook(parsed.file), parsed.file, course), course);
    } catch (err) {
      console.error(`workbook proposal export: ${(err as Error).message.replace(/^Error in launchBrowser: /, "")}`);
      return EXIT.failed;
    }
    fs.writeFileSync(output, pdf);
    const pages = countPdfPages(pdf);
    console.log(`wrote ${output} (${pages} page${pages === 1 ? "" : "s"}; the limit is ${course.pageLimit}).`);
    return EXIT.ok;
  }
  const report = await checkProposal(parsed.file, course);
  const notChecked = report.notChecked.length > 0 ? `\nNot checked (not a failure):\n${formatProblems(report.notChecked)}` : "";
  if (report.problems.length === 0) {
    const pages = report.pages === null ? "page count not checked" : `${report.pages} page${report.pages === 1 ? "" : "s"} of ${course.pageLimit}`;
    const every = report.notChecked.length > 0 ? "every check that could run here" : "every check";
    console.log(`${parsed.file}: the proposal passes ${every} (${pages}).`);
    if (notChecked) console.log(notChecked);
    console.log(`Deadlines:\n  ${describeDeadlines(course).join("\n  ")}`);
    return EXIT.ok;
  }
  console.log(formatProblems(report.problems));
  if (notChecked) console.log(notChecked);
  console.log(`\n${report.problems.length} problem${report.problems.length === 1 ? "" : "s"} in ${parsed.file}.`);
  return EXIT.failed;
}
