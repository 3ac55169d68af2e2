/**
 * Element-wise ops on the native addon: Add, Sub, Multiply, RealDiv, Maximum, Minimum for the
 * broadcasts training does all the time (equal shapes, a scalar such as Adam's beta * m, a
 * trailing vector such as a bias over channels), and Relu and Step (relu's derivative). tfjs's
 * CPU kernels handle broadcasts by converting every flat index to coordinates, which dominated
 * a training step; other broadcasts and dtypes still go to them.
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NativeKernels } from "../native";
import { cpuKernel, floatValues, outputBuffer } from "./cpu-data";

/** Kernel name -> the addon's op code. */
const BINARY_OPS: Array<[string, number]> = [
  [tf.Add, 0],
  [tf.Sub, 1],
  [tf.Multiply, 2],
  [tf.RealDiv, 3],
  [tf.Maximum, 4],
  [tf.Minimum, 5],
];

/** True when `small` equals the trailing dimensions of `full` (so it repeats every small.size values). */
function isTrailing(small: number[], full: number[]): boolean {
  const firstNonOne = small.findIndex((d) => d !== 1);
  const s = firstNonOne === -1 ? [] : small.slice(firstNonOne);
  return s.length <= full.length && s.every((d, i) => d === full[full.length - s.length + i]);
}

/** The binary kernels for the "workbook" backend. */
export function binaryKernels(native: NativeKernels): tf.KernelConfig[] {
  return BINARY_OPS.map(([kernelName, op]) => ({
    kernelName,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const av = floatValues(cpu, a);
      const bv = floatValues(cpu, b);
      if (av && bv) {
        const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
        const size = shape.reduce((p, q) => p * q, 1);
        const aOk = av.length === size || av.length === 1 || isTrailing(a.shape, shape);
        const bOk = bv.length === size || bv.length === 1 || isTrailing(b.shape, shape);
        if (aOk && bOk && (av.length === size || bv.length === size || av.length === 1 || bv.length === 1)) {
          const out = outputBuffer(cpu, size, false);
          if (size > 0) native.binary(op, av, bv, out);
          return cpu.makeTensorInfo(shape, "float32", out);
        }
      }
      return cpuKernel(kernelName, { inputs, backend: cpu, attrs });
    },
  }));
}

/** Relu (max(0, x)) and Step (x > 0 ? 1 : alpha) for the "workbook" backend. */
export function unaryKernels(native: NativeKernels): tf.KernelConfig[] {
  return (
    [
      [tf.Relu, 0],
      [tf.Step, 1],
    ] as Array<[string, number]>
  ).map(([kernelName, op]) => ({
    kernelName,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as unknown as { x: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const xv = floatValues(cpu, x);
      if (!xv) return cpuKernel(kernelName, { inputs, backend: cpu, attrs });
      const out = outputBuffer(cpu, xv.length, false);
      if (out.length > 0) native.unary(op, xv, out, (attrs as { alpha?: number } | undefined)?.alpha ?? 0);
      return cpu.makeTensorInfo(x.shape, "float32", out);
    },
  }));
}
