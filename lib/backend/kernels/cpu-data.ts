/** Reading and writing tensor data on a CPU-style backend (MathBackendCPU and our subclass of it). */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { PooledBackendCPU } from "../buffer-pool";

/** The float32 values of `t` (no copy), or null when `t` is not float32. */
export function floatValues(backend: MathBackendCPU, t: tf.TensorInfo): Float32Array | null {
  if (t.dtype !== "float32") return null;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : null;
}

/** Calls the tfjs CPU kernel `kernelName` (used where our kernel does not cover a case, e.g. NCHW or int32). */
export function cpuKernel(kernelName: string, args: { inputs: tf.NamedTensorInfoMap; backend: MathBackendCPU; attrs?: tf.NamedAttrMap }): tf.TensorInfo | tf.TensorInfo[] {
  const config = tf.getKernel(kernelName, "cpu");
  if (!config) throw new Error(`Error in dl-workbook backend: tfjs has no CPU kernel "${kernelName}" to fall back on.`);
  return config.kernelFunc(args);
}

/**
 * A Float32Array of n elements for a kernel's output: from the backend's buffer pool on the
 * "workbook" backend (released when tfjs disposes the tensor), else a new one. Zero-filled only when
 * `zero` (kernels that overwrite every element pass false).
 */
export function outputBuffer(backend: MathBackendCPU, n: number, zero: boolean): Float32Array {
  return backend instanceof PooledBackendCPU ? backend.output(n, zero) : new Float32Array(n);
}
