/**
 * Softmax regression (multinomial logistic regression) trained by minibatch SGD on the
 * cross-entropy loss: the linear classifier of CS231n's first assignment.
 */
import type { Method } from "../method";
import { featureCount } from "../dataset";
import { normal, seededRandom, shuffle } from "../random";

/** Hyperparameters of {@link softmaxRegression}. */
export interface SoftmaxRegressionOptions {
  /** Passes over the training data. Default 10. */
  epochs?: number;
  /** Step size eta. Default 0.1. */
  learningRate?: number;
  /** Examples per SGD step. Default 32. */
  batchSize?: number;
  /** L2 weight decay lambda. Default 1e-4. */
  weightDecay?: number;
}

/**
 * Softmax regression: scores s = W x + b, p = softmax(s), loss = -log p_y + (lambda/2) ||W||^2,
 * trained by minibatch SGD, W <- W - eta dL/dW. The seed fixes the initial weights and shuffles.
 *
 * @example
 * const method = softmaxRegression({ epochs: 5, learningRate: 0.1 });
 * const table = await compare({ methods: [method], datasets: ["blobs"], seeds: [0, 1], metric: "accuracy" });
 */
export function softmaxRegression(options: SoftmaxRegressionOptions = {}): Method {
  const epochs = options.epochs ?? 10;
  const learningRate = options.learningRate ?? 0.1;
  const batchSize = options.batchSize ?? 32;
  const weightDecay = options.weightDecay ?? 1e-4;
  return {
    name: "softmax regression",
    fit(train, dataset, seed) {
      const features = featureCount(dataset);
      const k = dataset.numClasses;
      const rand = seededRandom(seed);
      // W ~ 0.01 N(0, 1), shape [k, features]; b = 0
      const W = Float64Array.from({ length: k * features }, () => 0.01 * normal(rand));
      const b = new Float64Array(k);
      const scores = new Float64Array(k);
      const gradW = new Float64Array(k * features);
      const gradB = new Float64Array(k);

      /** s = W x_i + b for example i of `x`. */
      const score = (x: Float32Array, i: number): void => {
        for (let c = 0; c < k; c++) {
          let s = b[c];
          for (let f = 0; f < features; f++) s += W[c * features + f] * x[i * features + f];
          scores[c] = s;
        }
      };

      const order = Array.from({ length: train.count }, (_, i) => i);
      for (let epoch = 0; epoch < epochs; epoch++) {
        shuffle(order, rand);
        for (let start = 0; start < train.count; start += batchSize) {
          const batch = order.slice(start, start + batchSize);
          gradW.fill(0);
          gradB.fill(0);
          for (const i of batch) {
            score(train.x, i);
            // p = softmax(s) = exp(s - max s) / sum exp(s - max s)
            const max = Math.max(...scores);
            let sum = 0;
            for (let c = 0; c < k; c++) sum += scores[c] = Math.exp(scores[c] - max);
            // dL/ds = p - onehot(y)
            for (let c = 0; c < k; c++) {
              const dScore = scores[c] / sum - (c === train.y[i] ? 1 : 0);
              gradB[c] += dScore;
              for (let f = 0; f < features; f++) gradW[c * features + f] += dScore * train.x[i * features + f];
            }
          }
          // W <- W - eta ( dL/dW / m + lambda W )
          for (let p = 0; p < W.length; p++) W[p] -= learningRate * (gradW[p] / batch.length + weightDecay * W[p]);
          for (let c = 0; c < k; c++) b[c] -= (learningRate * gradB[c]) / batch.length;
        }
      }
      return {
        predict(x, count) {
          const labels = new Int32Array(count);
          for (let i = 0; i < count; i++) {
            score(x, i);
            let best = 0;
            for (let c = 1; c < k; c++) if (scores[c] > scores[best]) best = c;
            labels[i] = best;
          }
          return labels;
        },
      };
    },
  };
}
