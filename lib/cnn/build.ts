/** Turning a {@link CnnSpec} into a tfjs model. */
import * as tf from "@tensorflow/tfjs";
import { fuseConvLayer } from "../backend/fused-conv";
import { analyzeDesign } from "./analyze";
import { ActivationName, CnnSpec, LayerSpec, pair } from "./spec";

const specs = new WeakMap<tf.LayersModel, CnnSpec>();

/** The spec a model was built from by {@link buildModel} (undefined for other models). */
export function specOf(model: tf.LayersModel): CnnSpec | undefined {
  return specs.get(model);
}

/** Options of {@link buildModel}. */
export interface BuildOptions {
  /** Seed of the weight initialisers (Glorot uniform for kernels, zeros for biases); default 0. */
  seed?: number;
}

type TfActivation = "relu" | "sigmoid" | "tanh" | "softmax" | "linear" | "elu";

function activationLayers(activation: ActivationName | undefined): { fused: TfActivation | undefined; extra: tf.layers.Layer[] } {
  if (activation === "leakyRelu") return { fused: "linear", extra: [tf.layers.leakyReLU({ alpha: 0.2 })] };
  return { fused: activation, extra: [] };
}

function toLayers(layer: LayerSpec, index: number, seed: number, inputShape: number[] | undefined): tf.layers.Layer[] {
  const first = inputShape ? { inputShape } : {};
  const kernelInitializer = tf.initializers.glorotUniform({ seed: seed + 7919 * index });
  switch (layer.type) {
    case "conv": {
      const { fused, extra } = activationLayers(layer.activation);
      const pad = layer.padding ?? "valid";
      const before = typeof pad === "number" && pad > 0 ? [tf.layers.zeroPadding2d({ padding: pad, ...first })] : [];
      // conv + bias + relu as one kernel in training too (lib/backend/fused-conv.ts); same layer, same weights
      const conv = fuseConvLayer(
        tf.layers.conv2d({
          filters: layer.filters,
          kernelSize: pair(layer.kernel),
          strides: pair(layer.stride ?? 1),
          padding: pad === "same" ? "same" : "valid",
          dilationRate: pair(layer.dilation ?? 1),
          activation: fused,
          useBias: layer.useBias ?? true,
          kernelInitializer,
          ...(before.length ? {} : first),
        }),
      );
      return [...before, conv, ...extra];
    }
    case "pool": {
      const args = { poolSize: pair(layer.size), strides: pair(layer.stride ?? layer.size), padding: layer.padding ?? "valid", ...first };
      return [(layer.kind ?? "max") === "max" ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args)];
    }
    case "dense": {
      const { fused, extra } = activationLayers(layer.activation);
      return [tf.layers.dense({ units: layer.units, activation: fused, useBias: layer.useBias ?? true, kernelInitializer, ...first }), ...extra];
    }
    case "dropout":
      return [tf.layers.dropout({ rate: layer.rate, seed: seed + index, ...first })];
    case "batchnorm":
      return [tf.layers.batchNormalization({ ...first })];
    case "flatten":
      return [tf.layers.flatten({ ...first })];
    case "activation": {
      const { fused, extra } = activationLayers(layer.activation);
      return extra.length ? [tf.layers.leakyReLU({ alpha: 0.2, ...first })] : [tf.layers.activation({ activation: fused ?? "linear", ...first })];
    }
  }
}

/**
 * Builds the tfjs model of `spec` (not compiled: {@link train} brings its own loop and optimizer).
 * Numeric padding p becomes a zeroPadding2d(p) layer before a "valid" convolution; leakyRelu
 * (alpha 0.2) becomes its own layer. The spec is checked first ({@link analyzeDesign}), so shape
 * mistakes are reported by layer, in the spec's terms.
 *
 * @example
 * const model = buildModel(referenceSpec(), { seed: 1 });
 * model.predict(tf.zeros([1, 28, 28, 1])); // Tensor [1, 10]
 */
export function buildModel(spec: CnnSpec, options: BuildOptions = {}): tf.Sequential {
  analyzeDesign(spec);
  const seed = options.seed ?? 0;
  const model = tf.sequential();
  spec.layers.forEach((layer, index) => {
    for (const l of toLayers(layer, index, seed, index === 0 ? spec.input : undefined)) model.add(l);
  });
  if (spec.layers.length === 0) throw new Error("Error in buildModel: the spec has no layers; add at least a flatten and a dense layer.");
  specs.set(model, spec);
  return model;
}
