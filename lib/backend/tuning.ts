/**
 * Switches for the "workbook" backend's speed-ups, so that tests and the profiler can compare each
 * against the plain path in one process (results must agree within float32 rounding).
 * Environment: WORKBOOK_POOL=0 turns the output-buffer pool off, WORKBOOK_FUSED=0 the fused kernels.
 */

/** The backend's optional speed-ups (all on by default). */
export interface WorkbookTuning {
  /** Reuse output buffers of disposed tensors (keyed by size) instead of allocating new ones. */
  pool: boolean;
  /** Fused kernels: conv + bias + relu in one native pass, and the fused layers' gradients. */
  fusedConv: boolean;
}

/**
 * The switches in force; change them with `Object.assign(workbookTuning, { pool: false })`.
 * @example
 * import { workbookTuning } from "dl-workbook/backend";
 * workbookTuning.pool = false; // every output gets a fresh buffer again
 */
export const workbookTuning: WorkbookTuning = {
  pool: process.env.WORKBOOK_POOL !== "0",
  fusedConv: process.env.WORKBOOK_FUSED !== "0",
};
