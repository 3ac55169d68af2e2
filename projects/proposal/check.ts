/**
 * The whole proposal check: the written rules (sections, paragraphs, references, team, kind),
 * the plan's data sets load, the code cells run in our kernel, and the printed PDF has at most
 * the course's page limit. What cannot be checked here (a data set the checker cannot load, the
 * page count without Chromium) is reported as not checked, and is not a failure.
 */
import type { INotebookContent, IOutput } from "@jupyterlab/nbformat";
import type { Browser } from "playwright-core";
import type { StartKernelOptions } from "../../kernel/client";
import type { Course } from "../course";
import type { Problem } from "../problem";
import { checkDatasets } from "./datasets";
import { proposalHtml } from "./html";
import { readNotebook } from "../../notebook/notebook";
import { parseProposal } from "./notebook";
import { ChromiumNotFoundError, countPdfPages, printPdf } from "./pdf";
import { runPrototype } from "./prototype";
import { checkSections } from "./sections";

/** Options of {@link checkProposal}. */
export interface CheckProposalOptions {
  /** A running Chromium to print with (tests reuse one); default: start one for this check. */
  browser?: Browser;
  /** How to start the kernel for the code cells; default: dl-workbook's kernel. */
  kernel?: StartKernelOptions;
}

/** The outcome of a check. */
export interface ProposalReport {
  /** Rules that failed; the proposal passes when there are none. */
  problems: Problem[];
  /** What could not be checked here, and why (data sets the checker cannot load, the page count without Chromium). */
  notChecked: Problem[];
  /** Pages of the printed proposal; null when it could not be printed (see notChecked). */
  pages: number | null;
  /** The printed PDF (with the outputs of this run's code cells); null when it could not be printed. */
  pdf: Buffer | null;
  /** The notebook as printed: the code cells carry this run's outputs. */
  notebook: INotebookContent;
}

/** A copy of the notebook with the given cells' outputs replaced by fresh ones. */
export function withOutputs(notebook: INotebookContent, outputs: Map<number, IOutput[]>): INotebookContent {
  return { ...notebook, cells: notebook.cells.map((cell, i) => (outputs.has(i + 1) ? { ...cell, outputs: outputs.get(i + 1)! } : cell)) };
}

/**
 * Checks a proposal notebook against the course's rules. No problems means it passes.
 *
 * @example
 * const report = await checkProposal("proposal.ipynb", DEFAULT_COURSE);
 * for (const p of report.problems) console.log(`${p.where}: ${p.message}`);
 * report.pages; // 2
 */
export async function checkProposal(file: string, course: Course, options: CheckProposalOptions = {}): Promise<ProposalReport> {
  const notebook = readNotebook(file);
  const proposal = parseProposal(notebook, file);
  const datasets = await checkDatasets(proposal, course);
  const problems = [...checkSections(proposal, course), ...datasets.problems];
  const notChecked = [...datasets.notChecked];
  const run = await runPrototype(proposal, { timeoutSeconds: course.prototypeTimeoutSeconds, kernel: options.kernel });
  problems.push(...run.problems);
  const executed = withOutputs(notebook, run.outputs);
  let pdf: Buffer | null = null;
  try {
    pdf = await printPdf(proposalHtml(executed, file, course), course, options.browser);
  } catch (err) {
    const how =
      err instanceof ChromiumNotFoundError
        ? `Chromium not found at ${err.executablePath}; to check it, install Chromium (apt-get install chromium) or set CHROMIUM_PATH to its path, and run the check again`
        : `printing in headless Chromium failed (${(err as Error).message.split("\n")[0]}); run the check again, or set CHROMIUM_PATH to a working Chromium`;
    notChecked.push({ where: "Whole proposal", message: `page count not checked (the limit is ${course.pageLimit} pages): ${how}.` });
  }
  const pages = pdf === null ? null : countPdfPages(pdf);
  if (pages !== null && pages > course.pageLimit) {
    problems.push({
      where: "Whole proposal",
      message: `${pages} pages when printed (${course.pdf.format}, ${course.pdf.margin} margins, ${course.pdf.fontSize}, code outputs included); the limit is ${course.pageLimit}. Cut text, shrink figures or print fewer outputs.`,
    });
  }
  return { problems, notChecked, pages, pdf, notebook: executed };
}
