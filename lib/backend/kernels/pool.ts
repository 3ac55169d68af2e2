/**
 * Max pooling and its gradient on the native addon (NHWC, float32). Forward: y = max over the
 * window's in-bounds pixels. Backward: each dy goes to the window's first maximal pixel
 * (row-major), as tfjs's CPU kernel does, so the two agree even on ties (common after relu).
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NativeKernels, PoolDims } from "../native";
import { poolDims, type Rank4 } from "./conv-info";
import { cpuKernel, floatValues, outputBuffer } from "./cpu-data";

/** tfjs's pooling info for x of `shape` (NHWC) and the addon's shape list derived from it. */
function poolInfo(shape: number[], attrs: tf.MaxPoolAttrs): { info: tf.backend_util.Conv2DInfo; dims: PoolDims } {
  const info = tf.backend_util.computePool2DInfo(shape as Rank4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  return { info, dims: poolDims(info) };
}

/** MaxPool for the "workbook" backend. */
export function maxPoolKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: tf.MaxPool,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as unknown as { x: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const xv = floatValues(cpu, x);
      if (!xv || x.shape.length !== 4 || xv.length === 0) return cpuKernel(tf.MaxPool, { inputs, backend: cpu, attrs });
      const { info, dims } = poolInfo(x.shape, attrs as unknown as tf.MaxPoolAttrs);
      const y = outputBuffer(
        cpu,
        info.outShape.reduce((p, q) => p * q, 1),
        false,
      );
      if (y.length > 0) native.maxPool(xv, y, dims);
      return cpu.makeTensorInfo(info.outShape, "float32", y);
    },
  };
}

/** MaxPoolGrad for the "workbook" backend: dx[first argmax of each window] += dy. */
export function maxPoolGradKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, input } = inputs as unknown as { dy: tf.TensorInfo; input: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const xv = floatValues(cpu, input);
      const dyv = floatValues(cpu, dy);
      if (!xv || !dyv || input.shape.length !== 4 || xv.length === 0) return cpuKernel(tf.MaxPoolGrad, { inputs, backend: cpu, attrs });
      const { dims } = poolInfo(input.shape, attrs as unknown as tf.MaxPoolAttrs);
      const dx = outputBuffer(cpu, xv.length, false);
      native.maxPoolGrad(xv, dyv, dx, dims);
      return cpu.makeTensorInfo(input.shape, "float32", dx);
    },
  };
}
