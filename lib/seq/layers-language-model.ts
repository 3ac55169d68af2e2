/**
 * The same character language model built from tfjs's own layers (embedding, `tf.layers.lstm`,
 * dense), as the baseline that the benchmark compares our LSTM against.
 */
import * as tf from "@tensorflow/tfjs";
import "../backend";

/**
 * embedding(V, E) -> tf.layers.lstm(H, returnSequences) -> dense(V) logits, compiled with Adam
 * and softmax cross-entropy on one-hot targets [N, T, V].
 * @example
 * const model = buildLayersLanguageModel({ vocabSize: 65, embeddingDim: 32, hiddenSize: 128, seqLength: 64 });
 * await model.trainOnBatch(x, tf.oneHot(y, 65));
 */
export function buildLayersLanguageModel(options: { vocabSize: number; embeddingDim?: number; hiddenSize?: number; seqLength: number; learningRate?: number; seed?: number }): tf.LayersModel {
  const { vocabSize: V, embeddingDim: E = 32, hiddenSize: H = 128, seqLength: T, learningRate = 0.01, seed = 0 } = options;
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: V, outputDim: E, inputLength: T, embeddingsInitializer: tf.initializers.randomNormal({ seed }) }),
      tf.layers.lstm({
        units: H,
        returnSequences: true,
        recurrentActivation: "sigmoid",
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
        recurrentInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
      }),
      tf.layers.dense({ units: V, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  return model;
}
