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
  action: string;
  file: string;
  course?: string;
  output?: string;
}

function parseArgs(args: string[]): Args | string {
  const [action, ...rest] = args;
  if (action !== "check" && action !== "export") return action === undefined ? "" : `unknown action "${action}"; use "check" or "export".`;
  const parsed: Partial<Args> = { action };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--course" || arg === "-o" || arg === "--output") {
      const value = rest[++i];
      if (value === undefined) return `${arg} needs a file name.`;
      if (arg === "--course") parsed.course = value;
      else parsed.output = value;
    } else if (arg.startsWith("-")) return `unknown option "${arg}".`;
    else if (parsed.file === undefined) parsed.file = arg;
    else return `one proposal at a time; got "${parsed.file}" and "${arg}".`;
  }
  if (parsed.file === undefined) return "give the proposal notebook, e.g. proposal.ipynb.";
  if (parsed.output !== undefined && action !== "export") return "-o is an option of export.";
  return parsed as Args;
}

/** Runs the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    console.error(parsed ? `workbook proposal: ${parsed}\n\n${USAGE}` : USAGE);
    return 2;
  }
  if (!fs.existsSync(parsed.file)) {
    console.error(`workbook proposal ${parsed.action}: ${parsed.file} does not exist.`);
    return 2;
  }
  const course = loadCourse(parsed.course);
  if (parsed.action === "export") {
    const output = parsed.output ?? parsed.file.replace(/\.ipynb$/, "") + ".pdf";
    let pdf: Buffer;
    try {
      pdf = await printPdf(proposalHtml(readNotebook(parsed.file), parsed.file, course), course);
    } catch (err) {
      console.error(`workbook proposal export: ${(err as Error).message.replace(/^Error in launchBrowser: /, "")}`);
      return 1;
    }
    fs.writeFileSync(output, pdf);
    const pages = countPdfPages(pdf);
    console.log(`wrote ${output} (${pages} page${pages === 1 ? "" : "s"}; the limit is ${course.pageLimit}).`);
    return 0;
  }
  const report = await checkProposal(parsed.file, course);
  const notChecked = report.notChecked.length > 0 ? `\nNot checked (not a failure):\n${formatProblems(report.notChecked)}` : "";
  if (report.problems.length === 0) {
    const pages = report.pages === null ? "page count not checked" : `${report.pages} page${report.pages === 1 ? "" : "s"} of ${course.pageLimit}`;
    const every = report.notChecked.length > 0 ? "every check that could run here" : "every check";
    console.log(`${parsed.file}: the proposal passes ${every} (${pages}).`);
    if (notChecked) console.log(notChecked);
    console.log(`Deadlines:\n  ${describeDeadlines(course).join("\n  ")}`);
    return 0;
  }
  console.log(formatProblems(report.problems));
  if (notChecked) console.log(notChecked);
  console.log(`\n${report.problems.length} problem${report.problems.length === 1 ? "" : "s"} in ${parsed.file}.`);
  return 1;
}
