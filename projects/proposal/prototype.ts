/**
 * Runs a proposal's code cells, in order, in a fresh dl-workbook kernel (through the
 * TypeScript Jupyter client, as a front end would), and reports a cell that fails or runs out of
 * time with the section it is in. The kernel's working folder is the proposal's folder.
 */
import * as path from "path";
import type { IOutput } from "@jupyterlab/nbformat";
import { startKernel, type KernelClient, type StartKernelOptions } from "../../kernel/client";
import type { Problem } from "../problem";
import type { ProposalNotebook } from "./notebook";

/** Options of {@link runPrototype}. */
export interface RunPrototypeOptions {
  /** Time for all code cells together, in seconds. */
  timeoutSeconds: number;
  /** How to start the kernel (command, environment); default: dl-workbook's own kernel. */
  kernel?: StartKernelOptions;
}

/** A traceback line without terminal colours. */
function plain(line: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes start with the ESC control character (\x1b), which is what this removes
  return line.replace(/\x1b\[[0-9;]*m/g, "");
}

/**
 * Executes the notebook's code cells in order. Returns the problems and each cell's outputs
 * (keyed by 1-based cell number) so that an export can show them.
 *
 * @example
 * const { problems } = await runPrototype(proposal, { timeoutSeconds: 120 });
 * // [{ where: "Prototype (cell 9)", message: "the cell fails: ReferenceError: net is not defined ..." }]
 */
export async function runPrototype(proposal: ProposalNotebook, options: RunPrototypeOptions): Promise<{ problems: Problem[]; outputs: Map<number, IOutput[]> }> {
  const outputs = new Map<number, IOutput[]>();
  const cells = proposal.sections.flatMap((section) => section.codeCells.map((code) => ({ section, code })));
  if (cells.length === 0) return { problems: [], outputs };
  let kernel: KernelClient;
  try {
    kernel = await startKernel({ cwd: path.dirname(path.resolve(proposal.file)), ...options.kernel });
  } catch (err) {
    const first = cells[0];
    const message = `not run: the dl-workbook kernel did not start (${(err as Error).message}); build the package (npm run build) and try again.`;
    return { problems: [{ where: `${first.section.title} (cell ${first.code.cell})`, message }], outputs };
  }
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  try {
    for (const { section, code } of cells) {
      const where = `${section.title} (cell ${code.cell})`;
      const timeoutMs = deadline - Date.now();
      if (timeoutMs <= 0)
        return {
          problems: [{ where, message: `not run: the code cells took more than ${options.timeoutSeconds} s in all; make the prototype smaller (e.g. fewer examples or epochs when the CI variable is set).` }],
          outputs,
        };
      const result = await kernel.execute(code.source, { timeoutMs });
      outputs.set(code.cell, result.outputs);
      if (result.status === "ok") continue;
      if (result.status === "timeout") {
        return { problems: [{ where, message: `the cell did not finish within the ${options.timeoutSeconds} s the course allows for the prototype; make it smaller.` }], outputs };
      }
      if (result.status === "error" && result.error) {
        const trace = result.error.traceback
          .map(plain)
          .filter((line) => line.trim() !== "")
          .slice(0, 4)
          .join("\n    ");
        return { problems: [{ where, message: `the cell fails: ${result.error.ename}: ${result.error.evalue}${trace ? `\n    ${trace}` : ""}` }], outputs };
      }
      return { problems: [{ where, message: `the cell did not run (${result.status}); the kernel ${result.status === "died" ? "died, perhaps out of memory" : "aborted it"}.` }], outputs };
    }
    return { problems: [], outputs };
  } finally {
    await kernel.shutdown().catch(() => undefined);
  }
}
