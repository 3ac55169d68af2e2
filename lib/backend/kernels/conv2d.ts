/**
 * Conv2D, FusedConv2D and both convolution gradients on the native im2col + GEMM kernels.
 * NHWC only (the layout tf.layers uses); NCHW and other dtypes go to the tfjs CPU kernels.
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { NativeKernels } from "../native";
import { addBiasActivation, supportedActivation } from "./activation";
import { convDims, nhwcConvInfo } from "./conv-info";
import { cpuKernel, floatValues, outputBuffer } from "./cpu-data";

/** y = conv(x, filter), then y = y + bias (when given) and y = max(0, y) (when relu) in the same native call. */
function forward(
  native: NativeKernels,
  cpu: MathBackendCPU,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: tf.Conv2DAttrs,
  bias: Float32Array | null = null,
  relu = false,
): { info: tf.TensorInfo; values: Float32Array } | null {
  const xv = floatValues(cpu, x);
  const fv = floatValues(cpu, filter);
  if (!xv || !fv || attrs.dataFormat === "NCHW") return null;
  const info = nhwcConvInfo(x.shape, filter.shape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode);
  const y = outputBuffer(cpu, info.batchSize * info.outHeight * info.outWidth * info.outChannels, false);
  if (y.length > 0) native.conv2d(xv, fv, y, convDims(info), bias, relu);
  return { info: cpu.makeTensorInfo(info.outShape, "float32", y), values: y };
}

/** Conv2D: y[n, oh, ow, o] = sum over kh, kw, c of x[n, oh*s + kh*d - pad, ow*s + kw*d - pad, c] w[kh, kw, c, o]. */
export function conv2dKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: tf.Conv2D,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, filter } = inputs as unknown as { x: tf.TensorInfo; filter: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const result = forward(native, cpu, x, filter, attrs as unknown as tf.Conv2DAttrs);
      return result ? result.info : cpuKernel(tf.Conv2D, { inputs, backend: cpu, attrs });
    },
  };
}

/** FusedConv2D: act(conv(x, w) + bias), used by tf.layers.conv2d. */
export function fusedConv2dKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: tf.FusedConv2D,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, filter, bias } = inputs as unknown as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo };
      const a = attrs as unknown as tf.FusedConv2DAttrs;
      const cpu = backend as MathBackendCPU;
      const biasValues = bias ? floatValues(cpu, bias) : null;
      const outChannels = filter.shape[3];
      const biasOk = !bias || (biasValues !== null && (biasValues.length === outChannels || biasValues.length === 1));
      // relu and linear: y = relu(conv(x, w) + bias) inside the native call, block by block while in cache
      const nativeEpilogue = a.activation === "relu" || a.activation === "linear" || a.activation === undefined;
      const result = biasOk && supportedActivation(a.activation) ? (nativeEpilogue ? forward(native, cpu, x, filter, a, biasValues, a.activation === "relu") : forward(native, cpu, x, filter, a)) : null;
      if (!result) return cpuKernel(tf.FusedConv2D, { inputs, backend: cpu, attrs });
      if (!nativeEpilogue) addBiasActivation(result.values, biasValues, a.activation, a.leakyreluAlpha);
      return result.info;
    },
  };
}

/** Conv2DBackpropFilter: dw[kh, kw, c, o] = sum over n, oh, ow of x[n, ih, iw, c] dy[n, oh, ow, o]. */
export function conv2dBackpropFilterKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      const cpu = backend as MathBackendCPU;
      const xv = floatValues(cpu, x);
      const dyv = floatValues(cpu, dy);
      if (!xv || !dyv || dataFormat === "NCHW") return cpuKernel(tf.Conv2DBackpropFilter, { inputs, backend: cpu, attrs });
      const info = nhwcConvInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
      const dw = outputBuffer(
        cpu,
        filterShape.reduce((p, q) => p * q, 1),
        false,
      );
      if (dw.length > 0) native.conv2dBackpropFilter(xv, dyv, dw, convDims(info));
      return cpu.makeTensorInfo(filterShape, "float32", dw);
    },
  };
}

/** Conv2DBackpropInput: dx = the transpose of conv applied to dy (each dy value spread over its patch by w). */
export function conv2dBackpropInputKernel(native: NativeKernels): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, filter } = inputs as unknown as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const { inputShape, strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
      const cpu = backend as MathBackendCPU;
      const dyv = floatValues(cpu, dy);
      const fv = floatValues(cpu, filter);
      if (!dyv || !fv || dataFormat === "NCHW") return cpuKernel(tf.Conv2DBackpropInput, { inputs, backend: cpu, attrs });
      const info = nhwcConvInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode);
      const dx = outputBuffer(
        cpu,
        inputShape.reduce((p, q) => p * q, 1),
        false,
      );
      if (dx.length > 0) native.conv2dBackpropInput(dyv, fv, dx, convDims(info));
      return cpu.makeTensorInfo(inputShape, "float32", dx);
    },
  };
}
