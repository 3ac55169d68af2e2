/** Loss and accuracy of a model on a data split. */
import * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../data/mnist";

/** Mean loss and accuracy over a split. */
export interface Evaluation {
  /** Mean cross-entropy -log p(label). */
  loss: number;
  /** Fraction of examples whose arg-max class is the label. */
  accuracy: number;
}

/**
 * Evaluates `model` (softmax outputs) on `set` in batches, in inference mode (no dropout).
 * loss = mean over examples of -log(max(p_label, 1e-7)); accuracy = mean of [argmax p = label].
 * @example evaluate(model, mnist.test); // { loss: 0.04, accuracy: 0.987 }
 */
export function evaluate(model: tf.LayersModel, set: ImageSet, batchSize = 500): Evaluation {
  const [h, w, c] = set.imageShape;
  const pixels = h * w * c;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    const n = Math.min(batchSize, set.count - start);
    const [l, k] = tf.tidy(() => {
      const xs = tf.tensor4d(set.images.subarray(start * pixels, (start + n) * pixels), [n, h, w, c]);
      const labels = tf.tensor1d(Int32Array.from(set.labels.subarray(start, start + n)), "int32");
      const probs = model.predict(xs) as tf.Tensor2D;
      const pLabel = probs.mul(tf.oneHot(labels, probs.shape[1])).sum(1);
      return [
        tf
          .neg(tf.log(tf.maximum(pLabel, 1e-7)))
          .sum()
          .dataSync()[0],
        probs.argMax(1).equal(labels).sum().dataSync()[0],
      ];
    });
    lossSum += l;
    correct += k;
  }
  return { loss: lossSum / Math.max(1, set.count), accuracy: correct / Math.max(1, set.count) };
}
