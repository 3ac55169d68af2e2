/**
 * Makes tfjs-backend-wasm able to train convolutions and embeddings: the kernels it lacks
 * (Conv2DBackpropFilter, UnsortedSegmentSum, the depthwise gradients, Einsum, ...) are registered
 * for "wasm": Conv2DBackpropFilter as a convolution on WASM's own kernels (see wasm-conv-filter.ts),
 * the others by running tfjs's CPU kernel on copies of the inputs and copying the result back
 * into WASM memory.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { QuietBackendCPU } from "./quiet-cpu";
import { wasmConv2dBackpropFilterKernel } from "./wasm-conv-filter";

/** Kernels that need complex numbers, strings or a canvas: not bridged. */
const NOT_BRIDGED = new Set(["Complex", "ComplexAbs", "FFT", "IFFT", "Imag", "Real", "StaticRegexReplace", "Draw"]);

let helper: QuietBackendCPU | undefined;

/** A kernel for "wasm" that runs the CPU kernel `cpuConfig` on copies of its inputs. */
function bridged(cpuConfig: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: cpuConfig.kernelName,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const cpu = (helper ??= new QuietBackendCPU());
      const cpuInputs: tf.NamedTensorInfoMap = {};
      const made: tf.TensorInfo[] = [];
      for (const [name, t] of Object.entries(inputs)) {
        if (!t) continue;
        const copy = cpu.makeTensorInfo(t.shape, t.dtype, wasm.readSync(t.dataId));
        cpuInputs[name] = copy;
        made.push(copy);
      }
      const result = cpuConfig.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs });
      const outputs = Array.isArray(result) ? result : [result];
      const moved = outputs.map((o) => {
        const out = wasm.makeOutput(o.shape, o.dtype);
        wasm.typedArrayFromHeap(out).set(cpu.readSync(o.dataId) as tf.backend_util.TypedArray);
        return out;
      });
      for (const t of [...made, ...outputs]) cpu.disposeData(t.dataId, true);
      return Array.isArray(result) ? moved : moved[0];
    },
  };
}

/**
 * Registers, for "wasm", every CPU kernel that the WASM backend lacks (except complex, string
 * and canvas ones). Returns the kernel names it registered.
 * @example registerMissingWasmKernels(); // ["Conv2DBackpropFilter", "UnsortedSegmentSum", ...]
 */
export function registerMissingWasmKernels(): string[] {
  const have = new Set(tf.getKernelsForBackend("wasm").map((k) => k.kernelName));
  const added: string[] = [];
  for (const kernel of tf.getKernelsForBackend("cpu")) {
    if (have.has(kernel.kernelName) || NOT_BRIDGED.has(kernel.kernelName)) continue;
    tf.registerKernel(kernel.kernelName === tf.Conv2DBackpropFilter ? wasmConv2dBackpropFilterKernel() : bridged(kernel));
    added.push(kernel.kernelName);
  }
  return added;
}
