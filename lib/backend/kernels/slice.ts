/**
 * Slice, SplitV and Unpack for the "workbook" backend. A slice that is not one contiguous block
 * (the LSTM's split of its 4H gate columns, its per-time-step unstack of [N, T, 4H]) is copied
 * here run by run with TypedArray.set, where tfjs's CPU kernel reads and writes every element
 * through coordinate arrays; that copy dominated recurrent training. Contiguous slices stay
 * tfjs's (a view, no copy), and string or complex tensors go to tfjs's kernels.
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { cpuKernel } from "./cpu-data";

/** The typed arrays numeric tensors keep their values in. */
type NumericValues = Float32Array | Int32Array | Uint8Array;

function numericValues(backend: MathBackendCPU, t: tf.TensorInfo): NumericValues | null {
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint8Array ? values : null;
}

/**
 * The values of x[begin : begin + size] (row-major) for x of `shape`. The dimensions after the
 * innermost partly-taken dimension d are taken whole, so each step copies one contiguous run of
 * size[d] * stride[d] values; an odometer walks the dimensions before d.
 * Example: sliceValues([0..11] as shape [3, 4], [3, 4], [0, 1], [3, 2]) -> [1, 2, 5, 6, 9, 10].
 */
export function sliceValues<T extends NumericValues>(values: T, shape: readonly number[], begin: readonly number[], size: readonly number[]): T {
  const total = size.reduce((p, q) => p * q, 1);
  const out = new (values.constructor as new (n: number) => T)(total);
  if (total === 0) return out;
  const rank = shape.length;
  // stride[i] = shape[i+1] * ... * shape[rank-1]
  const stride = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) stride[i] = stride[i + 1] * shape[i + 1];
  let d = rank - 1;
  while (d > 0 && size[d] === shape[d]) d--;
  const run = size[d] * stride[d];
  const index = new Array<number>(d).fill(0);
  for (let dst = 0; dst < total; dst += run) {
    let src = begin[d] * stride[d];
    for (let i = 0; i < d; i++) src += (begin[i] + index[i]) * stride[i];
    out.set(values.subarray(src, src + run), dst);
    for (let i = d - 1; i >= 0; i--) {
      if (++index[i] < size[i]) break;
      index[i] = 0;
    }
  }
  return out;
}

/** One slice of x as a new tensor of the backend (a view when contiguous, as tfjs does). */
function sliceTensor(backend: MathBackendCPU, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const values = numericValues(backend, x);
  if (!values || tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    return cpuKernel(tf.Slice, { inputs: { x }, backend, attrs: { begin, size } }) as tf.TensorInfo;
  }
  return backend.makeTensorInfo(size, x.dtype, sliceValues(values, x.shape, begin, size));
}

/** The Slice kernel: x[begin : begin + size]. */
export function sliceKernel(): tf.KernelConfig {
  return {
    kernelName: tf.Slice,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      const { begin, size } = attrs as unknown as { begin: number | number[]; size: number | number[] };
      const [$begin, $size] = tf.slice_util.parseSliceParams(x, begin, size);
      tf.slice_util.assertParamsValid(x, $begin, $size);
      return sliceTensor(backend as MathBackendCPU, x, $begin, $size);
    },
  };
}

/** The SplitV kernel (tf.split): consecutive slices along `axis`. */
export function splitVKernel(): tf.KernelConfig {
  return {
    kernelName: tf.SplitV,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      const { numOrSizeSplits, axis } = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
      const $axis = tf.util.parseAxisParam(axis, x.shape)[0];
      const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, $axis);
      const begin = new Array<number>(x.shape.length).fill(0);
      return sizes.map((s) => {
        const size = [...x.shape];
        size[$axis] = s;
        const piece = sliceTensor(backend as MathBackendCPU, x, [...begin], size);
        begin[$axis] += s;
        return piece;
      });
    },
  };
}

/** The Unpack kernel (tf.unstack): the slices at each index of `axis`, without that axis. */
export function unpackKernel(): tf.KernelConfig {
  return {
    kernelName: tf.Unpack,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { value } = inputs as { value: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const rank = value.shape.length;
      const axis = ((attrs as unknown as { axis: number }).axis + rank) % rank;
      const outShape = value.shape.filter((_, i) => i !== axis);
      const size = [...value.shape];
      size[axis] = 1;
      return Array.from({ length: value.shape[axis] }, (_, i) => {
        const begin = new Array<number>(rank).fill(0);
        begin[axis] = i;
        const piece = sliceTensor(cpu, value, begin, size);
        const reshaped = cpuKernel(tf.Reshape, { inputs: { x: piece }, backend: cpu, attrs: { shape: outShape } }) as tf.TensorInfo;
        cpu.disposeIntermediateTensorInfo(piece);
        return reshaped;
      });
    },
  };
}
