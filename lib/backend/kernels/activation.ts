/** Bias and activation applied in place after a fused matmul or convolution (tfjs's fused ops). */

/** Activations tfjs fuses into MatMul and Conv2D. */
export type FusedActivation = "linear" | "relu" | "relu6" | "elu" | "sigmoid" | "leakyrelu" | "prelu";

/** True when {@link addBiasActivation} handles `activation` (prelu needs weights: left to tfjs). */
export function supportedActivation(activation: string | undefined): boolean {
  return activation === undefined || ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu"].includes(activation);
}

/**
 * y[i, c] = act(y[i, c] + bias[c mod bias.length]) in place, for y of `channels` columns.
 * relu: max(0, z); relu6: min(6, max(0, z)); elu: z > 0 ? z : e^z - 1; sigmoid: 1 / (1 + e^-z);
 * leakyrelu: z > 0 ? z : alpha z.
 */
export function addBiasActivation(y: Float32Array, bias: Float32Array | null, activation: string | undefined, leakyreluAlpha = 0.2): void {
  if (bias && bias.length > 1) {
    const n = bias.length;
    for (let i = 0; i < y.length; i += n) for (let c = 0; c < n; c++) y[i + c] += bias[c];
  } else if (bias && bias.length === 1) {
    for (let i = 0; i < y.length; i++) y[i] += bias[0];
  }
  switch (activation) {
    case undefined:
    case "linear":
      return;
    case "relu":
      for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] = 0;
      return;
    case "relu6":
      for (let i = 0; i < y.length; i++) y[i] = Math.min(6, Math.max(0, y[i]));
      return;
    case "elu":
      for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] = Math.exp(y[i]) - 1;
      return;
    case "sigmoid":
      for (let i = 0; i < y.length; i++) y[i] = 1 / (1 + Math.exp(-y[i]));
      return;
    case "leakyrelu":
      for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] *= leakyreluAlpha;
      return;
    default:
      throw new Error(`Error in dl-workbook backend: fused activation "${activation}" is not supported here.`);
  }
}
