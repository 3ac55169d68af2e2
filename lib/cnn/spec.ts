/**
 * A CNN written down as data: the input shape and a list of layers. The design helpers compute
 * shapes, parameters, multiply-adds and receptive fields from it; `buildModel` turns it into tfjs.
 */

/** Activation functions a layer may apply. */
export type ActivationName = "relu" | "sigmoid" | "tanh" | "softmax" | "linear" | "elu" | "leakyRelu";

/** A size given once for both axes (5) or as [height, width]. */
export type Pair = number | [number, number];

/** Padding: "same" keeps ceil(in / stride), "valid" uses no padding, a number pads that many pixels on each side. */
export type Padding = "same" | "valid" | number;

/** Convolution: `filters` kernels of `kernel` x `kernel` x C_in. */
export interface ConvSpec {
  type: "conv";
  filters: number;
  kernel: Pair;
  /** default 1 */
  stride?: Pair;
  /** default "valid" (as tfjs) */
  padding?: Padding;
  /** default 1; effective kernel d * (k - 1) + 1 */
  dilation?: Pair;
  /** default "linear" */
  activation?: ActivationName;
  /** default true */
  useBias?: boolean;
}

/** Max or average pooling over `size` x `size` windows. */
export interface PoolSpec {
  type: "pool";
  /** default "max" */
  kind?: "max" | "avg";
  size: Pair;
  /** default = size */
  stride?: Pair;
  /** default "valid" */
  padding?: "same" | "valid";
}

/** Fully connected layer on a flat input. */
export interface DenseSpec {
  type: "dense";
  units: number;
  /** default "linear" */
  activation?: ActivationName;
  /** default true */
  useBias?: boolean;
}

/** Dropout: zeroes each unit with probability `rate` while training. */
export interface DropoutSpec {
  type: "dropout";
  rate: number;
}

/** Batch normalisation over the channel (last) axis. */
export interface BatchNormSpec {
  type: "batchnorm";
}

/** Flattens [h, w, c] to [h * w * c]. */
export interface FlattenSpec {
  type: "flatten";
}

/** A stand-alone activation. */
export interface ActivationSpec {
  type: "activation";
  activation: ActivationName;
}

/** One layer of a {@link CnnSpec}. */
export type LayerSpec = ConvSpec | PoolSpec | DenseSpec | DropoutSpec | BatchNormSpec | FlattenSpec | ActivationSpec;

/** The kinds of layers, as used by per-kind constraints. */
export type LayerKind = LayerSpec["type"];

/** Loss functions the course uses. */
export type LossName = "categoricalCrossentropy" | "meanSquaredError";

/**
 * A whole network: input shape [height, width, channels] and layers in order.
 * @example
 * const lenet: CnnSpec = {
 *   input: [28, 28, 1],
 *   layers: [
 *     { type: "conv", filters: 16, kernel: 5, padding: "same", activation: "relu" },
 *     { type: "pool", size: 2 },
 *     { type: "flatten" },
 *     { type: "dense", units: 10, activation: "softmax" },
 *   ],
 *   loss: "categoricalCrossentropy",
 *   l2: 1e-4,
 * };
 */
export interface CnnSpec {
  input: [number, number, number];
  layers: LayerSpec[];
  /** default "categoricalCrossentropy" */
  loss?: LossName;
  /** L2 weight penalty lambda on conv and dense kernels: loss + lambda * sum(W^2) (default 0). */
  l2?: number;
}

/** The reference model of the benchmark and the lecture (conv5x5x16, pool, conv5x5x32, pool, dense 128, dense 10). */
export function referenceSpec(): CnnSpec {
  return {
    input: [28, 28, 1],
    layers: [
      { type: "conv", filters: 16, kernel: 5, padding: "same", activation: "relu" },
      { type: "pool", size: 2 },
      { type: "conv", filters: 32, kernel: 5, padding: "same", activation: "relu" },
      { type: "pool", size: 2 },
      { type: "flatten" },
      { type: "dense", units: 128, activation: "relu" },
      { type: "dense", units: 10, activation: "softmax" },
    ],
    loss: "categoricalCrossentropy",
  };
}

/** [height, width] of a {@link Pair}. */
export function pair(value: Pair): [number, number] {
  return typeof value === "number" ? [value, value] : value;
}
