/**
 * BatchMatMul and _FusedMatMul on the native GEMM: C = op(A) op(B) for each batch, with
 * transposes expressed as strides (no copies). Batch dimensions broadcast when one side has 1.
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NativeKernels } from "../native";
import { addBiasActivation, supportedActivation } from "./activation";
import { cpuKernel, floatValues, outputBuffer } from "./cpu-data";

/** The product of a's and b's batches as a new float32 tensor, or null when this case is left to tfjs. */
function nativeBatchMatMul(native: NativeKernels, backend: MathBackendCPU, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): { info: tf.TensorInfo; values: Float32Array } | null {
  const av = floatValues(backend, a);
  const bv = floatValues(backend, b);
  if (!av || !bv || a.shape.length < 2 || b.shape.length < 2) return null;
  const ra = a.shape.length,
    rb = b.shape.length;
  const [aRows, aCols] = [a.shape[ra - 2], a.shape[ra - 1]];
  const [bRows, bCols] = [b.shape[rb - 2], b.shape[rb - 1]];
  const M = transposeA ? aCols : aRows;
  const K = transposeA ? aRows : aCols;
  const K2 = transposeB ? bCols : bRows;
  const N = transposeB ? bRows : bCols;
  if (K !== K2) {
    throw new Error(`Error in matMul: inner shapes (${K}) and (${K2}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  }
  const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  const outBatchShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  const out = outputBuffer(backend, batch * M * N, K === 0); // gemm overwrites it (C = A B); K = 0 leaves zeros
  // A(i,k) = a[i*aCols + k], or a[k*aCols + i] when transposed
  const [rsa, csa] = transposeA ? [1, aCols] : [aCols, 1];
  const [rsb, csb] = transposeB ? [1, bCols] : [bCols, 1];
  for (let i = 0; i < batch; i++) {
    const A = batchA === 1 ? av : av.subarray(i * aRows * aCols, (i + 1) * aRows * aCols);
    const B = batchB === 1 ? bv : bv.subarray(i * bRows * bCols, (i + 1) * bRows * bCols);
    if (M > 0 && N > 0 && K > 0) native.gemm(A, B, out.subarray(i * M * N, (i + 1) * M * N), [M, N, K, rsa, csa, rsb, csb, N], true);
  }
  return { info: backend.makeTensorInfo([...outBatchShape, M, N], "float32", out), values: out };
}

/** BatchMatMul: C[b] = op(A[b]) op(B[b]). */
export function batchMatMulKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
      const cpu = backend as MathBackendCPU;
      const result = nativeBatchMatMul(native, cpu, a, b, transposeA, transposeB);
      return result ? result.info : cpuKernel(tf.BatchMatMul, { inputs, backend: cpu, attrs });
    },
  };
}

/** _FusedMatMul: act(op(A) op(B) + bias), used by tf.layers.dense. */
export function fusedMatMulKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: tf._FusedMatMul,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b, bias } = inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
      const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as unknown as tf._FusedMatMulAttrs;
      const cpu = backend as MathBackendCPU;
      const biasValues = bias ? floatValues(cpu, bias) : null;
      const biasOk = !bias || (biasValues !== null && bias.shape.length <= 1);
      const result = biasOk && supportedActivation(activation) ? nativeBatchMatMul(native, cpu, a, b, transposeA, transposeB) : null;
      if (!result) return cpuKernel(tf._FusedMatMul, { inputs, backend: cpu, attrs });
      const N = result.info.shape[result.info.shape.length - 1];
      if (biasValues && biasValues.length !== 1 && biasValues.length !== N) {
        cpu.disposeIntermediateTensorInfo(result.info);
        return cpuKernel(tf._FusedMatMul, { inputs, backend: cpu, attrs });
      }
      addBiasActivation(result.values, biasValues, activation, leakyreluAlpha);
      return result.info;
    },
  };
}
