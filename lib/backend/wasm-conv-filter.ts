/**
 * Conv2DBackpropFilter for tfjs-backend-wasm, built from WASM's own fast kernels instead of the
 * slow CPU loop: the filter gradient is itself a convolution,
 *   dw[kh, kw, c, o] = sum over n, i, j of x[n, kh + i*sh - pt, kw + j*sw - pl, c] dy[n, i, j, o],
 * i.e. conv(x^T, dy^T) with x^T = x transposed to [C, H, W, N] (the batch becomes the channels),
 * dy^T = dy transposed to [OH, OW, N, O] as the filter, stride 1 and dilation = the forward stride;
 * the result [C, KH, KW, O] is transposed back to [KH, KW, C, O].
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { nhwcConvInfo } from "./kernels/conv-info";

function run(kernelName: string, backend: BackendWasm, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const config = tf.getKernel(kernelName, "wasm");
  if (!config) throw new Error(`Error in Conv2DBackpropFilter (wasm): the WASM backend has no "${kernelName}" kernel.`);
  return config.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

/** The kernel config (registered by the backend module). */
export function wasmConv2dBackpropFilterKernel(): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const { x, dy } = inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      if (dataFormat === "NCHW") throw new Error("Error in Conv2DBackpropFilter (wasm): only NHWC (channels last) is supported; use dataFormat 'NHWC'.");
      const info = nhwcConvInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
      const [KH, KW] = filterShape;
      const { top, left } = info.padInfo;
      // bottom/right padding so that the output has at least KH x KW positions
      const bottom = Math.max(0, KH + (info.outHeight - 1) * info.strideHeight - info.inHeight - top);
      const right = Math.max(0, KW + (info.outWidth - 1) * info.strideWidth - info.inWidth - left);
      const temps: tf.TensorInfo[] = [];
      try {
        const xT = run(tf.Transpose, wasm, { x }, { perm: [3, 1, 2, 0] });
        temps.push(xT);
        const dyT = run(tf.Transpose, wasm, { x: dy }, { perm: [1, 2, 0, 3] });
        temps.push(dyT);
        const explicit: tf.backend_util.ExplicitPadding = [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ];
        const full = run(tf.Conv2D, wasm, { x: xT, filter: dyT }, {
          strides: 1,
          pad: explicit,
          dataFormat: "NHWC",
          dilations: [info.strideHeight, info.strideWidth],
          dimRoundingMode,
        } as unknown as tf.NamedAttrMap);
        temps.push(full);
        const cropped = full.shape[1] === KH && full.shape[2] === KW ? full : run(tf.Slice, wasm, { x: full }, { begin: [0, 0, 0, 0], size: [full.shape[0], KH, KW, full.shape[3]] });
        if (cropped !== full) temps.push(cropped);
        return run(tf.Transpose, wasm, { x: cropped }, { perm: [1, 2, 0, 3] });
      } finally {
        for (const t of temps) wasm.disposeData(t.dataId, true);
      }
    },
  };
}
