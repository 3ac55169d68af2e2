/**
 * Nearest centroid: each class is represented by the mean of its training examples, and an
 * example gets the class of the closest mean. No parameters, no randomness: the seed is unused.
 */
import type { Method } from "../method";
import { featureCount } from "../dataset";

/**
 * The nearest-centroid method: mu_k = mean of class k; predict argmin_k ||x - mu_k||^2.
 *
 * @example
 * const table = await compare({ methods: [nearestCentroid()], datasets: ["blobs"], seeds: [0], metric: "accuracy" });
 */
export function nearestCentroid(): Method {
  return {
    name: "nearest centroid",
    fit(train, dataset) {
      const features = featureCount(dataset);
      const k = dataset.numClasses;
      const centroids = new Float64Array(k * features);
      const counts = new Float64Array(k);
      // mu_k = (1 / n_k) sum_{i: y_i = k} x_i
      for (let i = 0; i < train.count; i++) {
        const label = train.y[i];
        counts[label]++;
        for (let f = 0; f < features; f++) centroids[label * features + f] += train.x[i * features + f];
      }
      for (let c = 0; c < k; c++) for (let f = 0; f < features; f++) centroids[c * features + f] /= Math.max(counts[c], 1);
      return {
        predict(x, count) {
          const labels = new Int32Array(count);
          for (let i = 0; i < count; i++) {
            let best = Infinity;
            for (let c = 0; c < k; c++) {
              if (counts[c] === 0) continue;
              // ||x - mu_c||^2
              let distance = 0;
              for (let f = 0; f < features; f++) {
                const d = x[i * features + f] - centroids[c * features + f];
                distance += d * d;
              }
              if (distance < best) {
                best = distance;
                labels[i] = c;
              }
            }
          }
          return labels;
        },
      };
    },
  };
}
