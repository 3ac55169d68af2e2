/**
 * UnsortedSegmentSum for the "workbook" backend: the gradient of an embedding lookup (tf.gather),
 * which adds every row of dy into the row of the word it came from. tfjs's CPU kernel builds a
 * mask and a broadcast product per segment (O(segments x N x D) through its slowest path), which
 * made the embedding gradient most of a character-LSTM training step; this is one pass.
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { cpuKernel, floatValues } from "./cpu-data";

/**
 * out[s] = sum of x[i] over the i with segmentIds[i] = s, for x [...idsShape, ...inner] and
 * segmentIds of idsShape; ids outside [0, numSegments) add nothing. Sums in float64, in the order of i.
 * Example: segmentSum([1, 2, 3, 4] as [4, 1], [0, 2, 0, 1], 3, 1) -> [4, 4, 2].
 */
export function segmentSum(x: Float32Array, segmentIds: ArrayLike<number>, numSegments: number, inner: number): Float32Array {
  const acc = new Float64Array(numSegments * inner);
  for (let i = 0; i < segmentIds.length; i++) {
    const s = segmentIds[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner,
      to = s * inner;
    for (let j = 0; j < inner; j++) acc[to + j] += x[from + j];
  }
  return Float32Array.from(acc);
}

/** The UnsortedSegmentSum kernel (float32 x, int32 segment ids); other dtypes go to tfjs's kernel. */
export function unsortedSegmentSumKernel(): tf.KernelConfig {
  return {
    kernelName: tf.UnsortedSegmentSum,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const { numSegments } = attrs as unknown as { numSegments: number };
      const xv = floatValues(cpu, x);
      const ids = cpu.data.get(segmentIds.dataId).values;
      if (!xv || !(ids instanceof Int32Array)) return cpuKernel(tf.UnsortedSegmentSum, { inputs, backend: cpu, attrs });
      const inner = ids.length === 0 ? 0 : xv.length / ids.length;
      const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      return cpu.makeTensorInfo(outShape, "float32", segmentSum(xv, ids, numSegments, inner));
    },
  };
}
