/**
 * Max pooling and its gradient (NHWC, float32). Forward: y = max over the window's in-bounds
 * pixels. Backward: each dy goes to the window's first maximal pixel (row-major), as tfjs's CPU
 * kernel does, so the two agree even on ties (common after relu).
 */
import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { cpuKernel, floatValues } from "./cpu-data";

type Rank4 = [number, number, number, number];

/** For each output value, the flat index in x of the window's first maximum (or -1), and the maxima. */
function argmaxPool(xv: Float32Array, info: tf.backend_util.Conv2DInfo): { index: Int32Array; values: Float32Array } {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw, dilationHeight: dh, dilationWidth: dw } = info;
  const index = new Int32Array(N * OH * OW * C);
  const values = new Float32Array(N * OH * OW * C);
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const r0 = oh * sh - info.padInfo.top;
      let rMin = r0;
      while (rMin < 0) rMin += dh;
      const rMax = Math.min(H, r0 + fh);
      for (let ow = 0; ow < OW; ow++) {
        const c0 = ow * sw - info.padInfo.left;
        let cMin = c0;
        while (cMin < 0) cMin += dw;
        const cMax = Math.min(W, c0 + fw);
        best.fill(-Infinity);
        where.fill(-1);
        for (let r = rMin; r < rMax; r += dh) {
          for (let col = cMin; col < cMax; col += dw) {
            const base = ((n * H + r) * W + col) * C;
            for (let ch = 0; ch < C; ch++) {
              if (xv[base + ch] > best[ch]) {
                best[ch] = xv[base + ch];
                where[ch] = base + ch;
              }
            }
          }
        }
        const out = ((n * OH + oh) * OW + ow) * C;
        index.set(where, out);
        values.set(best, out);
      }
    }
  }
  return { index, values };
}

function poolInfo(shape: number[], attrs: tf.MaxPoolAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computePool2DInfo(shape as Rank4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}

/** MaxPool for the "workbook" backend. */
export function maxPoolKernel(): tf.KernelConfig {
  return {
    kernelName: tf.MaxPool,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as unknown as { x: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const xv = floatValues(cpu, x);
      if (!xv || x.shape.length !== 4) return cpuKernel(tf.MaxPool, { inputs, backend: cpu, attrs });
      const info = poolInfo(x.shape, attrs as unknown as tf.MaxPoolAttrs);
      if (info.filterWidth === 1 && info.filterHeight === 1 && tf.util.arraysEqual(info.inShape, info.outShape)) return cpuKernel(tf.MaxPool, { inputs, backend: cpu, attrs });
      return cpu.makeTensorInfo(info.outShape, "float32", argmaxPool(xv, info).values);
    },
  };
}

/** MaxPoolGrad for the "workbook" backend: dx[argmax of window] += dy. */
export function maxPoolGradKernel(): tf.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName: "workbook",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, input } = inputs as unknown as { dy: tf.TensorInfo; input: tf.TensorInfo };
      const cpu = backend as MathBackendCPU;
      const xv = floatValues(cpu, input);
      const dyv = floatValues(cpu, dy);
      if (!xv || !dyv || input.shape.length !== 4) return cpuKernel(tf.MaxPoolGrad, { inputs, backend: cpu, attrs });
      const info = poolInfo(input.shape, attrs as unknown as tf.MaxPoolAttrs);
      const { index } = argmaxPool(xv, info);
      const dx = new Float32Array(xv.length);
      for (let i = 0; i < index.length; i++) if (index[i] >= 0) dx[index[i]] += dyv[i];
      return cpu.makeTensorInfo(input.shape, "float32", dx);
    },
  };
}
