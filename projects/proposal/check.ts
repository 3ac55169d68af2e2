/**
 * The whole proposal check: the written rules (sections, paragraphs, references, team, kind),
 * the plan's data sets load, the code cells run in our kernel, and the printed PDF has at most
 * the course's page limit.
 */
import type { INotebookContent, IOutput } from "@jupyterlab/nbformat";
import type { Browser } from "playwright-core";
import type { StartKernelOptions } from "../../kernel/client";
import type { Course } from "../course";
import type { Problem } from "../problem";
import { checkDatasets } from "./datasets";
import { proposalHtml } from "./html";
import { parseProposal, readNotebook } from "./notebook";
import { countPdfPages, printPdf } from "./pdf";
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
  problems: Problem[];
  /** Pages of the printed proposal. */
  pages: number;
  /** The printed PDF (with the outputs of this run's code cells). */
  pdf: Buffer;
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
  const problems = [...checkSections(proposal, course), ...(await checkDatasets(proposal, course))];
  const run = await runPrototype(proposal, { timeoutSeconds: course.prototypeTimeoutSeconds, kernel: options.kernel });
  problems.push(...run.problems);
  const executed = withOutputs(notebook, run.outputs);
  const pdf = await printPdf(proposalHtml(executed, file, course), course, options.browser);
  const pages = countPdfPages(pdf);
  if (pages > course.pageLimit) {
    problems.push({
      where: "Whole proposal",
      message: `${pages} pages when printed (${course.pdf.format}, ${course.pdf.margin} margins, ${course.pdf.fontSize}, code outputs included); the limit is ${course.pageLimit}. Cut text, shrink figures or print fewer outputs.`,
    });
  }
  return { problems, pages, pdf, notebook: executed };
}
