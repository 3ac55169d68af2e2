import { asText } from "../../kernel/wire";
import { explainKernelFailure } from "../sandbox";
import { KernelSetup, SandboxedKernel, STARTUP_MS, disposeKernel, startSandboxedKernel } from "./sandboxed-kernel";

/**
 * Thrown when the sandbox cannot run a kernel on this machine: a grading run stops before it grades
 * anything, with the cause and the fix in the message, instead of giving every student 0 for the
 * grader's own failure.
 */
export class SandboxCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxCheckError";
  }
}

/** The check cell and what it must print: a kernel that answers this can run a submission. */
export const CHECK_CELL = { code: "6 * 7", expected: "42" };

/**
 * Starts the run's first sandboxed kernel and has it run {@link CHECK_CELL}, before any
 * submission is graded. Returns that kernel, which then grades the first submission (the check
 * costs one trivial cell); throws {@link SandboxCheckError} naming the cause and the fix
 * when it cannot start or answers wrongly.
 * Example: `const first = await checkSandboxRunsKernel(settings);  // throws before any grading`
 */
export async function checkSandboxRunsKernel(setup: KernelSetup): Promise<SandboxedKernel> {
  let kernel: SandboxedKernel | undefined;
  try {
    kernel = await startSandboxedKernel(setup);
    const result = await kernel.client.execute(CHECK_CELL.code, { timeoutMs: STARTUP_MS, storeHistory: false });
    const shown = result.outputs.map((o) => (o.output_type === "execute_result" ? asText((o.data as Record<string, unknown>)["text/plain"]) : "")).join("");
    if (result.status !== "ok" || shown.trim() !== CHECK_CELL.expected) {
      throw new Error(
        `the check cell "${CHECK_CELL.code}" ended with status "${result.status}" and printed "${shown.trim()}" instead of ${CHECK_CELL.expected}${result.error ? `: ${result.error.ename}: ${result.error.evalue}` : ""}`,
      );
    }
    return kernel;
  } catch (err) {
    if (kernel) await disposeKernel(kernel);
    const message = (err as Error).message;
    throw new SandboxCheckError(
      [
        "Error in grade: a sandboxed kernel could not start and run a cell on this machine, so nothing was graded",
        "(each submission would have scored 0 for the grader's own failure).",
        ...explainKernelFailure(message, setup.install, setup.protections),
      ].join("\n"),
    );
  }
}
