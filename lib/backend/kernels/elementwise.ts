/**
 * Element-wise binary ops (Add, Sub, Multiply, RealDiv, Maximum, Minimum) for the broadcasts
 * training does all the time: equal shapes, a scalar (Adam's beta * m), and a trailing vector
 * (a bias over channels). tfjs's CPU kernel handles these by converting every flat index to
 * coordinates, which dominates a training step; other broadcasts still go to it.
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { cpuKernel, floatValues } from "./cpu-data";

type Op = (a: number, b: number) => number;

const OPS: Array<[string, Op]> = [
  [tf.Add, (a, b) => a + b],
  [tf.Sub, (a, b) => a - b],
  [tf.Multiply, (a, b) => a * b],
  [tf.RealDiv, (a, b) => a / b],
  [tf.Maximum, (a, b) => (a > b || Number.isNaN(a) ? a : b)],
  [tf.Minimum, (a, b) => (a < b || Number.isNaN(a) ? a : b)],
];

/** True when `small` equals the trailing dimensions of `full` (so it repeats every small.size values). */
function isTrailing(small: number[], full: number[]): boolean {
  const s = small.slice(small.findIndex((d) => d !== 1) === -1 ? small.length : small.findIndex((d) => d !== 1));
  if (s.length > full.length) return false;
  return s.every((d, i) => d === full[full.length - s.length + i]);
}

/** out[i] = op(a[i mod |a|], b[i mod |b|]) when that is what broadcasting means here, else null. */
function fastBinary(op: Op, a: tf.TensorInfo, b: tf.TensorInfo, av: Float32Array, bv: Float32Array): { shape: number[]; values: Float32Array } | null {
  const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const size = shape.reduce((p, q) => p * q, 1);
  const aFull = av.length === size, bFull = bv.length === size;
  const aOk = aFull || av.length === 1 || isTrailing(a.shape, shape);
  const bOk = bFull || bv.length === 1 || isTrailing(b.shape, shape);
  if (!aOk || !bOk || size === 0) return size === 0 ? { shape, values: new Float32Array(0) } : null;
  const out = new Float32Array(size);
  if (aFull && bFull) {
    for (let i = 0; i < size; i++) out[i] = op(av[i], bv[i]);
  } else if (bv.length === 1) {
    const s = bv[0];
    for (let i = 0; i < size; i++) out[i] = op(av[i % av.length], s);
  } else if (av.length === 1) {
    const s = av[0];
    for (let i = 0; i < size; i++) out[i] = op(s, bv[i % bv.length]);
  } else if (aFull) {
    const n = bv.length;
    for (let i = 0; i < size; i += n) for (let j = 0; j < n; j++) out[i + j] = op(av[i + j], bv[j]);
  } else if (bFull) {
    const n = av.length;
    for (let i = 0; i < size; i += n) for (let j = 0; j < n; j++) out[i + j] = op(av[j], bv[i + j]);
  } else {
    return null;
  }
  return { shape, values: out };
}

/** The kernels, one per op, for the "workbook" backend. */
export function elementwiseKernels(): tf.KernelConfig[] {
  return OPS.map(([kernelName, op]) => ({
    kernelName,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const av = floatValues(cpu, a);
      const bv = floatValues(cpu, b);
      const result = av && bv ? fastBinary(op, a, b, av, bv) : null;
      return result ? cpu.makeTensorInfo(result.shape, "float32", result.values) : cpuKernel(kernelName, { inputs, backend: cpu, attrs });
    },
  }));
}
