/**
 * The released cells' type checks, once per assignment: a recording kernel runs the grading harness
 * and the released notebook as a submission that changed nothing would run them, and the
 * conversions it made go into a file that every later kernel of the run loads
 * (kernel/conversion-cache.ts). A submission's kernel then converts only the cells whose code or
 * declarations differ from the release's: its own solution cells, and what follows them when they
 * declare something else. Each conversion is looked up by its exact inputs, so a grade is the same
 * with or without the file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ConversionsFile, RecordedConversion } from "../../kernel/conversion-cache";
import { cellSource, nbgraderMetadata } from "../assign/format";
import type { KernelInstall, SandboxLimits } from "../sandbox";
import type { LoadedAssignment } from "./assignment";
import { HARNESS_FACTORY_CODE, armExpression, newHarness } from "./harness";
import { RECORDED_CONVERSIONS, STARTUP_MS, SandboxedKernel, disposeKernel } from "./sandboxed-kernel";

/** Fewer submissions than this are graded without recording (the recording kernel costs about one submission). */
export const RECORD_MIN_SUBMISSIONS = 3;

/** The run's conversions file: `install` to start kernels with, and `remove()` for the end of the run. */
export interface RunConversions {
  install: KernelInstall;
  /** Conversions recorded, and how many of them later kernels may take. */
  recorded: number;
  kept: number;
  remove(): void;
}

/**
 * Runs, in `kernel` (started with `record: true`; used up by this), what every submission's kernel
 * runs before and instead of a student's changes: the harness, then the released notebook's code
 * cells in order. Writes the conversions later kernels may take into a folder of its own (readable
 * to the kernels' users, writable by the grader alone) and returns `install` with that file.
 * Kept: conversions that type checked, compiled no file of the folder and name nothing of the
 * recording kernel's folder (each kernel's folder is a sibling of the others, in the same
 * temporary folder, so nothing else in a conversion differs between kernels).
 * Example: `const conversions = await recordConversions(first, assignment, install); ... conversions.remove();`
 */
export async function recordConversions(kernel: SandboxedKernel, assignment: LoadedAssignment, install: KernelInstall, limits: SandboxLimits): Promise<RunConversions> {
  const cells = assignment.release.cells.filter((c) => c.cell_type === "code");
  const run = async (code: string, timeoutMs: number, userExpressions?: Record<string, string>): Promise<void> => {
    // failures do not matter: a cell that does not type check is simply not kept
    const result = await kernel.client.execute(code, { timeoutMs, stopOnError: false, userExpressions });
    if (result.status === "died" || result.status === "timeout") throw new Error(`the released notebook's cell ${JSON.stringify(code.slice(0, 40))} ended with "${result.status}"`);
  };
  await run(HARNESS_FACTORY_CODE, STARTUP_MS, { harness: armExpression(newHarness()) });
  for (const cell of cells) await run(cellSource(cell), limits.cellSeconds * 1000);
  const recorded = JSON.parse(fs.readFileSync(path.join(kernel.scratch, RECORDED_CONVERSIONS), "utf8")) as ConversionsFile;
  const kept = recorded.conversions.filter((c) => c.result.diagnostics.length === 0 && !c.result.sideOutputs && !JSON.stringify(c).includes(kernel.scratch));
  removeStaleConversions();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${CONVERSIONS_PREFIX}${process.pid}-`));
  fs.chmodSync(dir, 0o755);
  const file = path.join(dir, "conversions.json");
  const out: ConversionsFile = { context: recorded.context, prime: primeOf(recorded.conversions, assignment), conversions: kept };
  fs.writeFileSync(file, JSON.stringify(out), { mode: 0o644 });
  return { install: { ...install, conversions: file }, recorded: recorded.conversions.length, kept: kept.length, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The start of a conversions folder's name in the temporary folder; the grader's process id follows. */
export const CONVERSIONS_PREFIX = "workbook-conversions-";

/** Removes the conversions folders (this user's) of graders that are gone: one killed (SIGKILL, machine reset) could not remove its own. */
export function removeStaleConversions(tmp = os.tmpdir()): void {
  for (const name of fs.readdirSync(tmp)) {
    const pid = Number(new RegExp(`^${CONVERSIONS_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    const dir = path.join(tmp, name);
    try {
      if (fs.statSync(dir).uid !== process.getuid?.()) continue;
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH") fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The declarations the first cell a student writes sees (the release's first solution cell): a
 * kernel builds its first program with them, so that cell and the ones after it reuse it whole.
 */
function primeOf(conversions: RecordedConversion[], assignment: LoadedAssignment): string | undefined {
  const cells = assignment.release.cells.filter((c) => c.cell_type === "code");
  const first = cells.findIndex((c) => nbgraderMetadata(c)?.solution === true);
  if (first < 0) return undefined;
  // the recording's conversions, in order: the kernel's warm-up cells, the harness, then one per released code cell
  const offset = conversions.length - cells.length;
  return offset >= 0 ? conversions[offset + first]?.declarations : undefined;
}

/**
 * Records the released cells' conversions in `kernel` (a recording kernel, disposed of here) for
 * every kernel of the run; undefined, with a warning, when that fails: grading then converts every
 * cell in every kernel, with the same results.
 */
export async function recordOnce(kernel: SandboxedKernel, assignment: LoadedAssignment, install: KernelInstall, limits: SandboxLimits, log: (line: string) => void): Promise<RunConversions | undefined> {
  try {
    return await recordConversions(kernel, assignment, install, limits);
  } catch (err) {
    log(`warning: the released cells are type checked in every kernel (recording them once failed: ${(err as Error).message.split("\n")[0]})`);
    return undefined;
  } finally {
    await disposeKernel(kernel);
  }
}
