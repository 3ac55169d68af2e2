/**
 * Layer-by-layer arithmetic of a {@link CnnSpec}: output shape, parameters, multiply-adds,
 * receptive field and activation memory.
 */
import { CnnSpec, LayerSpec, pair } from "./spec";

/** What one layer costs and sees. */
export interface LayerStats {
  /** 0-based position in spec.layers. */
  index: number;
  /** A short name like "conv 5x5x16 s1 same relu". */
  name: string;
  layer: LayerSpec;
  /** Output shape per example: [h, w, c] for spatial layers, [units] for flat ones. */
  outputShape: number[];
  /** Trainable parameters: conv kh*kw*Cin*F (+F bias), dense in*units (+units), batchnorm 2C. */
  params: number;
  /** Non-trainable parameters (batchnorm's moving mean and variance, 2C). */
  nonTrainableParams: number;
  /** Multiply-adds per example: conv Hout*Wout*F*kh*kw*Cin, dense in*units, batchnorm one per value. */
  macs: number;
  /** Receptive field in input pixels [height, width], capped at the input size: r_out = r_in + (k_eff - 1) * j_in. */
  receptiveField: [number, number];
  /** Distance in input pixels between neighbouring outputs: j_out = j_in * stride. */
  jump: [number, number];
  /** Bytes of float32 activations this layer outputs per example (4 * prod(outputShape)). */
  activationBytes: number;
}

/** Totals over a design. */
export interface DesignTotals {
  params: number;
  nonTrainableParams: number;
  macs: number;
  /** 2 * macs: FLOPs of one forward pass per example. */
  flops: number;
  activationBytes: number;
  /** Layer counts per kind. */
  layerCounts: Record<string, number>;
}

/** A layer whose shape arithmetic does not work out (kernel larger than its input, ...). */
export class DesignError extends Error {
  constructor(
    readonly layerIndex: number,
    message: string,
  ) {
    super(message);
    this.name = "DesignError";
  }
}

/** Output size along one axis: same ceil(n/s), valid floor((n - k_eff)/s) + 1, p pixels floor((n + 2p - k_eff)/s) + 1. */
export function outputSize(n: number, kernel: number, stride: number, padding: "same" | "valid" | number, dilation = 1): number {
  const kEff = dilation * (kernel - 1) + 1;
  if (padding === "same") return Math.ceil(n / stride);
  const p = padding === "valid" ? 0 : padding;
  return Math.floor((n + 2 * p - kEff) / stride) + 1;
}

function describe(layer: LayerSpec): string {
  switch (layer.type) {
    case "conv": {
      const [kh, kw] = pair(layer.kernel);
      const [sh] = pair(layer.stride ?? 1);
      const [dh] = pair(layer.dilation ?? 1);
      return `conv ${kh}x${kw}x${layer.filters} s${sh}${dh > 1 ? ` d${dh}` : ""} ${layer.padding ?? "valid"}${layer.activation && layer.activation !== "linear" ? " " + layer.activation : ""}`;
    }
    case "pool": {
      const [ph, pw] = pair(layer.size);
      return `${layer.kind ?? "max"}pool ${ph}x${pw} s${pair(layer.stride ?? layer.size)[0]}`;
    }
    case "dense":
      return `dense ${layer.units}${layer.activation && layer.activation !== "linear" ? " " + layer.activation : ""}`;
    case "dropout":
      return `dropout ${layer.rate}`;
    case "batchnorm":
      return "batchnorm";
    case "flatten":
      return "flatten";
    case "activation":
      return layer.activation;
  }
}

/**
 * Computes {@link LayerStats} for every layer of `spec`.
 * @throws DesignError naming the layer when a shape does not work out
 * @example
 * analyzeDesign(referenceSpec())[0].outputShape; // [28, 28, 16]
 */
export function analyzeDesign(spec: CnnSpec): LayerStats[] {
  const [H, W, C] = spec.input;
  if (![H, W, C].every((v) => Number.isInteger(v) && v > 0)) {
    throw new DesignError(-1, `Error in analyzeDesign: input shape [${spec.input.join(", ")}] must be three positive integers [height, width, channels].`);
  }
  let shape: number[] = [H, W, C];
  let rf: [number, number] = [1, 1];
  let jump: [number, number] = [1, 1];
  const rows: LayerStats[] = [];
  spec.layers.forEach((layer, index) => {
    const where = `layer ${index} (${describe(layer)})`;
    const spatial = (what: string): [number, number, number] => {
      if (shape.length !== 3) throw new DesignError(index, `Error in analyzeDesign: ${where} needs a spatial input [h, w, c] but gets [${shape.join(", ")}]; ${what} cannot follow flatten or dense.`);
      return shape as [number, number, number];
    };
    let params = 0;
    let nonTrainableParams = 0;
    let macs = 0;
    switch (layer.type) {
      case "conv": {
        const [h, w, c] = spatial("a convolution");
        const [kh, kw] = pair(layer.kernel);
        const [sh, sw] = pair(layer.stride ?? 1);
        const [dh, dw] = pair(layer.dilation ?? 1);
        const padding = layer.padding ?? "valid";
        const oh = outputSize(h, kh, sh, padding, dh);
        const ow = outputSize(w, kw, sw, padding, dw);
        if (oh < 1 || ow < 1)
          throw new DesignError(
            index,
            `Error in analyzeDesign: ${where}: a ${dh * (kh - 1) + 1}x${dw * (kw - 1) + 1} (effective) kernel does not fit its ${h}x${w} input with padding "${padding}"; use padding "same" or a smaller kernel.`,
          );
        params = kh * kw * c * layer.filters + (layer.useBias === false ? 0 : layer.filters);
        // MACs = Hout * Wout * F * kh * kw * Cin
        macs = oh * ow * layer.filters * kh * kw * c;
        // r_out = r_in + (k_eff - 1) * j_in ; j_out = j_in * s
        rf = [rf[0] + dh * (kh - 1) * jump[0], rf[1] + dw * (kw - 1) * jump[1]];
        jump = [jump[0] * sh, jump[1] * sw];
        shape = [oh, ow, layer.filters];
        break;
      }
      case "pool": {
        const [h, w, c] = spatial("pooling");
        const [ph, pw] = pair(layer.size);
        const [sh, sw] = pair(layer.stride ?? layer.size);
        const padding = layer.padding ?? "valid";
        const oh = outputSize(h, ph, sh, padding);
        const ow = outputSize(w, pw, sw, padding);
        if (oh < 1 || ow < 1) throw new DesignError(index, `Error in analyzeDesign: ${where}: a ${ph}x${pw} window does not fit its ${h}x${w} input; pool less often or use padding "same".`);
        rf = [rf[0] + (ph - 1) * jump[0], rf[1] + (pw - 1) * jump[1]];
        jump = [jump[0] * sh, jump[1] * sw];
        shape = [oh, ow, c];
        break;
      }
      case "flatten":
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case "dense": {
        if (shape.length !== 1) throw new DesignError(index, `Error in analyzeDesign: ${where} needs a flat input but gets [${shape.join(", ")}]; add { type: "flatten" } before it.`);
        params = shape[0] * layer.units + (layer.useBias === false ? 0 : layer.units);
        // MACs = in * units
        macs = shape[0] * layer.units;
        // a dense unit sees the whole input
        rf = [H, W];
        shape = [layer.units];
        break;
      }
      case "batchnorm": {
        const channels = shape[shape.length - 1];
        params = 2 * channels; // gamma, beta
        nonTrainableParams = 2 * channels; // moving mean, moving variance
        macs = shape.reduce((a, b) => a * b, 1); // y = gamma' * x + beta' per value
        break;
      }
      case "dropout":
        if (!(layer.rate >= 0 && layer.rate < 1)) throw new DesignError(index, `Error in analyzeDesign: ${where}: rate ${layer.rate} must be in [0, 1).`);
        break;
      case "activation":
        break;
    }
    const size = shape.reduce((a, b) => a * b, 1);
    rows.push({
      index,
      name: describe(layer),
      layer,
      outputShape: [...shape],
      params,
      nonTrainableParams,
      macs,
      receptiveField: [Math.min(rf[0], H), Math.min(rf[1], W)],
      jump: [...jump],
      activationBytes: 4 * size,
    });
  });
  return rows;
}

/** Sums of {@link analyzeDesign}'s rows. */
export function designTotals(rows: LayerStats[]): DesignTotals {
  const layerCounts: Record<string, number> = {};
  for (const r of rows) layerCounts[r.layer.type] = (layerCounts[r.layer.type] ?? 0) + 1;
  const params = rows.reduce((a, r) => a + r.params, 0);
  const macs = rows.reduce((a, r) => a + r.macs, 0);
  return {
    params,
    nonTrainableParams: rows.reduce((a, r) => a + r.nonTrainableParams, 0),
    macs,
    flops: 2 * macs,
    activationBytes: rows.reduce((a, r) => a + r.activationBytes, 0),
    layerCounts,
  };
}
