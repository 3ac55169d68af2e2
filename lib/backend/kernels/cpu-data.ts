/** Reading and writing tensor data on a CPU-style backend (MathBackendCPU and our subclass of it). */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";

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
