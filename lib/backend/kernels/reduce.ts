/**
 * Sum over a contiguous block of axes without a transpose (e.g. a bias gradient, sum over
 * batch, height and width): viewing x as [outer, middle, inner], out[o, j] = sum_m x[o, m, j].
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NativeKernels } from "../native";
import { cpuKernel, floatValues, outputBuffer } from "./cpu-data";

/** Sum for the "workbook" backend. */
export function sumKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: tf.Sum,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as unknown as { x: tf.TensorInfo };
      const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
      const cpu = backend as MathBackendCPU;
      const xv = floatValues(cpu, x);
      const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
      const contiguous = axes.every((ax, i) => i === 0 || ax === axes[i - 1] + 1);
      if (!xv || !contiguous || axes.length === 0 || xv.length === 0) return cpuKernel(tf.Sum, { inputs, backend: cpu, attrs });
      const first = axes[0],
        last = axes[axes.length - 1];
      const prod = (dims: number[]) => dims.reduce((p, q) => p * q, 1);
      const outer = prod(x.shape.slice(0, first)),
        middle = prod(x.shape.slice(first, last + 1)),
        inner = prod(x.shape.slice(last + 1));
      const out = outputBuffer(cpu, outer * inner, false);
      native.sumMiddle(xv, out, [outer, middle, inner]);
      const shape = keepDims ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d)) : x.shape.filter((_, i) => i < first || i > last);
      return cpu.makeTensorInfo(shape, "float32", out);
    },
  };
}
