/**
 * The "workbook" backend: tfjs's CPU backend (same tensors, same kernels) with the kernels that
 * dominate training replaced by native ones: matmul (plain, batched, fused with bias and
 * activation), convolution (forward, fused, and both gradients), and the memory-bound ops on every
 * activation where tfjs's CPU kernels take slow general paths: broadcasting element-wise ops,
 * relu and step, Sum over contiguous axes, max pooling and its gradient; and in TypeScript, slices
 * that are not one contiguous block (Slice, SplitV, Unpack) and the embedding gradient
 * (UnsortedSegmentSum), and sqrt, square, exp, log, sigmoid and tanh in loops of their own.
 * Everything else (gather, softmax, ...) is the CPU kernel registered again under our name.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeKernels } from "./native";
import { PooledBackendCPU } from "./buffer-pool";
import { batchMatMulKernel, fusedMatMulKernel } from "./kernels/matmul";
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel, conv2dKernel, fusedConv2dKernel } from "./kernels/conv2d";
import { binaryKernels, unaryKernels } from "./kernels/elementwise";
import { sumKernel } from "./kernels/reduce";
import { maxPoolGradKernel, maxPoolKernel } from "./kernels/pool";
import { sliceKernel, splitVKernel, unpackKernel } from "./kernels/slice";
import { unsortedSegmentSumKernel } from "./kernels/segment-sum";
import { unaryMathKernels } from "./kernels/unary-math";
import { mulStepKernel, MUL_STEP_KERNEL } from "./fused-conv";

/** The backend's name, as `tf.getBackend()` reports it. */
export const WORKBOOK_BACKEND = "workbook";

/** Names of the kernels the native addon provides (the rest are tfjs's CPU kernels). */
export const NATIVE_KERNEL_NAMES: readonly string[] = [
  tf.BatchMatMul,
  tf._FusedMatMul,
  tf.Conv2D,
  tf.FusedConv2D,
  tf.Conv2DBackpropFilter,
  tf.Conv2DBackpropInput,
  tf.Add,
  tf.Sub,
  tf.Multiply,
  tf.RealDiv,
  tf.Maximum,
  tf.Minimum,
  tf.Relu,
  tf.Step,
  tf.Sum,
  tf.MaxPool,
  tf.MaxPoolGrad,
  MUL_STEP_KERNEL,
];

/**
 * Registers the "workbook" backend with tfjs (once): all CPU kernels, then ours on top.
 * @param priority tfjs's backend priority (higher wins when nothing is selected explicitly)
 * @example registerWorkbookBackend(nativeKernels!); await tf.setBackend("workbook");
 */
export function registerWorkbookBackend(native: NativeKernels, priority = 3): void {
  if (tf.findBackendFactory(WORKBOOK_BACKEND)) return;
  tf.registerBackend(WORKBOOK_BACKEND, () => new PooledBackendCPU(), priority);
  const ours = [
    batchMatMulKernel(native),
    fusedMatMulKernel(native),
    conv2dKernel(native),
    fusedConv2dKernel(native),
    conv2dBackpropFilterKernel(native),
    conv2dBackpropInputKernel(native),
    ...binaryKernels(native),
    ...unaryKernels(native),
    sumKernel(native),
    maxPoolKernel(native),
    maxPoolGradKernel(native),
    mulStepKernel(native),
    sliceKernel(),
    splitVKernel(),
    unpackKernel(),
    unsortedSegmentSumKernel(),
    ...unaryMathKernels(),
  ];
  const overridden = new Set(ours.map((k) => k.kernelName));
  for (const kernel of tf.getKernelsForBackend("cpu")) {
    if (!overridden.has(kernel.kernelName)) tf.registerKernel({ ...kernel, backendName: WORKBOOK_BACKEND });
  }
  for (const kernel of ours) tf.registerKernel(kernel);
}
