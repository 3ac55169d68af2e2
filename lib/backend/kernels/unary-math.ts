/**
 * Element-wise math for the "workbook" backend, each formula in a loop of its own: sqrt (Adam's
 * denominator), square, exp, log, and the LSTM's sigmoid and tanh. tfjs's CPU kernels share one
 * loop that calls the formula through a closure; once that loop has seen several formulas each
 * value costs a call (Adam's sqrt over the reference CNN's dense weights showed in the training
 * step's profile: `node dist/bench/train-profile.js`). The formulas are tfjs's, so results are identical.
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { cpuKernel, floatValues, outputBuffer } from "./cpu-data";

/** out[i] = f(x[i]) for one f, written out so that V8 compiles each loop for its own formula. */
type Loop = (x: Float32Array, out: Float32Array) => void;

const LOOPS: ReadonlyArray<[string, Loop]> = [
  [
    tf.Sqrt,
    (x, out) => {
      for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]);
    },
  ],
  [
    tf.Square,
    (x, out) => {
      for (let i = 0; i < x.length; i++) out[i] = x[i] * x[i];
    },
  ],
  [
    tf.Exp,
    (x, out) => {
      for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]);
    },
  ],
  [
    tf.Log,
    (x, out) => {
      for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]);
    },
  ],
  // sigmoid(x) = 1 / (1 + e^-x)
  [
    tf.Sigmoid,
    (x, out) => {
      for (let i = 0; i < x.length; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
    },
  ],
  [
    tf.Tanh,
    (x, out) => {
      for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]);
    },
  ],
];

/** The kernels above (float32; other dtypes go to tfjs's CPU kernels). */
export function unaryMathKernels(): tf.KernelConfig[] {
  return LOOPS.map(([kernelName, loop]) => ({
    kernelName,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const xv = floatValues(cpu, x);
      if (!xv) return cpuKernel(kernelName, { inputs, backend: cpu, attrs });
      const out = outputBuffer(cpu, xv.length, false);
      loop(xv, out);
      return cpu.makeTensorInfo(x.shape, "float32", out);
    },
  }));
}
