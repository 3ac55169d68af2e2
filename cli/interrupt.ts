/**
 * Ctrl-C for the commands that run notebooks (`workbook run`, `workbook book`): the first Ctrl-C
 * stops the running cell and lets the command write what finished (it then exits 130); a second
 * one exits 130 at once. SIGTERM (a CI job cancelled) exits 143 at once; the kernel client's exit
 * hook kills the kernels.
 */
import { EXIT } from "./args";

/** What {@link onInterrupt} returns: the signal to hand to the work, and `release` for the end. */
export interface Interrupt {
  /** Aborted at the first Ctrl-C. */
  signal: AbortSignal;
  /** Removes the SIGINT and SIGTERM handlers. */
  release(): void;
}

/**
 * Installs the handlers; `onFirst` runs at the first Ctrl-C, before the signal is aborted.
 *
 * @example
 * const interrupt = onInterrupt(() => progress.message("Interrupted: writing what finished."));
 * try { await runNotebook(file, { signal: interrupt.signal }); } finally { interrupt.release(); }
 */
export function onInterrupt(onFirst: () => void): Interrupt {
  const controller = new AbortController();
  let sigints = 0;
  const onSigint = (): void => {
    sigints++;
    if (sigints === 1) {
      onFirst();
      controller.abort();
    } else process.exit(EXIT.interrupted);
  };
  const onSigterm = (): never => process.exit(143);
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
  return {
    signal: controller.signal,
    release: () => {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigterm);
    },
  };
}
