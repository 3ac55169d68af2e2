/**
 * `dl-workbook/backend`: importing it installs the fastest tfjs backend available as tfjs's default,
 * so `tf.getBackend()` names it:
 *   1. "workbook": tfjs's CPU backend with native kernels (cache-blocked SIMD GEMM, im2col
 *      convolutions, all cores) from the addon built during `npm install`;
 *   2. "wasm": tfjs-backend-wasm (SIMD) with the kernels it lacks for training registered;
 *   3. "cpu": tfjs's plain JavaScript kernels.
 * `WORKBOOK_BACKEND=cpu|wasm|workbook` forces one. The WASM backend loads asynchronously: await
 * {@link backendReady} (or `tf.ready()`) before computing; "workbook" and "cpu" are ready at once.
 *
 * @example
 * import { tf, backendReady } from "dl-workbook/backend";
 * await backendReady;
 * tf.getBackend(); // "workbook"
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { nativeKernels, nativeLoadError } from "./native";
import { silenceCpuBanner } from "./quiet-cpu";
import { registerWorkbookBackend, WORKBOOK_BACKEND } from "./workbook-backend";
import { registerMissingWasmKernels } from "./wasm-kernels";

export { tf };
export { nativeKernels, nativeLoadError } from "./native";
export { FusedAdamOptimizer } from "./fused-adam";
export { workbookTuning } from "./tuning";
export { fuseConvLayer, registerFusedConvGradient } from "./fused-conv";
export type { WorkbookTuning } from "./tuning";
export type { NativeKernels, ConvDims, PoolDims } from "./native";
export { WORKBOOK_BACKEND, NATIVE_KERNEL_NAMES, registerWorkbookBackend } from "./workbook-backend";
export { registerMissingWasmKernels } from "./wasm-kernels";
export { QuietBackendCPU } from "./quiet-cpu";

/** The backends dl-workbook chooses between. */
export type WorkbookBackendName = "workbook" | "wasm" | "cpu";

/** Kernels registered for "wasm" by this module (the ones tfjs-backend-wasm lacks). */
export const wasmBridgedKernels: string[] = registerMissingWasmKernels();
if (nativeKernels) registerWorkbookBackend(nativeKernels);

/** The backends usable here, fastest first. */
export function availableBackends(): WorkbookBackendName[] {
  return nativeKernels ? ["workbook", "wasm", "cpu"] : ["wasm", "cpu"];
}

/**
 * Makes `name` tfjs's backend (default: WORKBOOK_BACKEND from the environment, else the fastest
 * available) and resolves to its name once it is initialised.
 * @example await useBackend("cpu"); // compare against tfjs's own kernels
 */
export async function useBackend(name?: string): Promise<WorkbookBackendName> {
  const wanted = name ?? process.env.WORKBOOK_BACKEND ?? availableBackends()[0];
  if (wanted !== "workbook" && wanted !== "wasm" && wanted !== "cpu") {
    throw new Error(`Error in useBackend: unknown backend "${wanted}"; use one of ${availableBackends().join(", ")} (WORKBOOK_BACKEND chooses it at import).`);
  }
  if (wanted === WORKBOOK_BACKEND && !nativeKernels) {
    throw new Error(`Error in useBackend: the "workbook" backend needs the native addon, which is unavailable: ${nativeLoadError}. Run "node scripts/build-native.js" in the dl-workbook folder, or use "wasm".`);
  }
  const ok = await tf.setBackend(wanted);
  if (!ok) throw new Error(`Error in useBackend: tfjs could not initialise the "${wanted}" backend.`);
  silenceCpuBanner(tf.backend());
  return wanted;
}

function initialChoice(): string {
  const forced = process.env.WORKBOOK_BACKEND;
  if (forced) return forced;
  if (!nativeKernels) console.log(`dl-workbook: native kernels unavailable (${nativeLoadError}); using the WASM backend.`);
  return availableBackends()[0];
}

/** Resolves to the backend chosen at import, once it is ready (immediately for "workbook" and "cpu"). */
export const backendReady: Promise<WorkbookBackendName> = useBackend(initialChoice());
// a failure here also rejects backendReady, which callers see when they await it
backendReady.catch((err: Error) => console.error(err.message));
