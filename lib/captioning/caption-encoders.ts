/**
 * CNN encoders for the tfjs captioning model: a small default one, a student's MNIST classifier
 * with its class layer cut off, and a tiled encoder that runs a 28x28 encoder on every digit slot
 * of a strip (so the CNN designed for MNIST digits captions digit strips).
 */
import * as tf from "@tensorflow/tfjs";
import "../backend";

/**
 * A small CNN encoder: two conv(3x3, relu) + max-pool blocks, flatten, dense(features),
 * batch normalisation, relu.
 * @example const encoder = defaultCaptionEncoder([32, 32, 3], 64);
 */
export function defaultCaptionEncoder(imageShape: readonly [number, number, number], features = 64, seed = 0): tf.Sequential {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 10 + k });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [...imageShape], filters: 16, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: features, kernelInitializer: init(3) }),
      // batch normalisation: features of mostly-black images are tiny and nearly alike at first;
      // standardising them across the batch lets h0 differ between images from the first step
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: "relu" }),
    ],
  });
}

/**
 * A classifier's features: the same model up to (and including) its second-to-last layer, sharing
 * its weights. For a CNN trained on MNIST that ends in dense(10, softmax), the layer before it.
 * @example const encoder = encoderFromClassifier(buildModel(spec)); // [N, 28, 28, 1] -> [N, F]
 */
export function encoderFromClassifier(classifier: tf.LayersModel, cut = 1): tf.LayersModel {
  const layers = classifier.layers;
  if (cut < 1 || cut >= layers.length) {
    throw new Error(`Error in encoderFromClassifier: cut ${cut} must be between 1 and ${layers.length - 1} (the classifier has ${layers.length} layers).`);
  }
  const output = layers[layers.length - 1 - cut].output as tf.SymbolicTensor;
  if (output.shape.length !== 2) {
    throw new Error(`Error in encoderFromClassifier: layer "${layers[layers.length - 1 - cut].name}" outputs shape [${output.shape.join(", ")}], not features [N, F]; cut fewer layers or add a flatten layer.`);
  }
  return tf.model({ inputs: classifier.inputs, outputs: output });
}

/**
 * Runs a tile encoder ([h, w, c] -> [F]) on each of `tiles` side-by-side tiles of a strip
 * [h, tiles * w, c] and concatenates the features: [N, tiles * F]. The tile encoder's weights
 * are shared across tiles (and with the model it came from).
 *
 *   strip [N, h, k w, c] -> reshape [N, h, k, w, c] -> permute [N, k, h, w, c] -> encoder per tile -> [N, k F]
 * @example
 * const encoder = tiledEncoder(encoderFromClassifier(mnistCnn), 4); // [N, 28, 112, 1] -> [N, 4F]
 */
export function tiledEncoder(tileEncoder: tf.LayersModel, tiles: number): tf.LayersModel {
  const shape = tileEncoder.inputs[0].shape;
  if (shape.length !== 4 || shape.slice(1).some((d) => d === null)) {
    throw new Error(`Error in tiledEncoder: the tile encoder must take images [N, h, w, c] of a fixed size, but takes [${shape.join(", ")}].`);
  }
  const [h, w, c] = shape.slice(1) as number[];
  const strip = tf.input({ shape: [h, tiles * w, c] });
  let x = tf.layers.reshape({ targetShape: [h, tiles, w, c] }).apply(strip) as tf.SymbolicTensor;
  x = tf.layers.permute({ dims: [2, 1, 3, 4] }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.timeDistributed({ layer: tileEncoder }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: strip, outputs: x });
}
