/**
 * k-nearest neighbours: an example gets the majority label of the k training examples closest
 * to it (squared Euclidean distance); ties go to the smaller label. The seed is unused.
 */
import type { Method } from "../method";
import { featureCount } from "../dataset";

/**
 * The k-NN method.
 *
 * @param k number of neighbours that vote (default 5)
 * @example
 * const table = await compare({ methods: [kNearestNeighbours(3)], datasets: ["spiral"], seeds: [0], metric: "accuracy" });
 */
export function kNearestNeighbours(k = 5): Method {
  if (!Number.isInteger(k) || k < 1) throw new Error(`Error in kNearestNeighbours: k = ${k}; use a whole number of neighbours, at least 1.`);
  return {
    name: `${k}-NN`,
    fit(train, dataset) {
      const features = featureCount(dataset);
      const votesPerClass = dataset.numClasses;
      return {
        predict(x, count) {
          const labels = new Int32Array(count);
          const distances = new Float64Array(train.count);
          const order = new Int32Array(train.count);
          for (let i = 0; i < count; i++) {
            // d_j = ||x_i - x_j||^2 for every training example j
            for (let j = 0; j < train.count; j++) {
              let distance = 0;
              for (let f = 0; f < features; f++) {
                const d = x[i * features + f] - train.x[j * features + f];
                distance += d * d;
              }
              distances[j] = distance;
              order[j] = j;
            }
            const nearest = Array.from(order)
              .sort((a, b) => distances[a] - distances[b])
              .slice(0, k);
            const votes = new Int32Array(votesPerClass);
            for (const j of nearest) votes[train.y[j]]++;
            let winner = 0;
            for (let c = 1; c < votesPerClass; c++) if (votes[c] > votes[winner]) winner = c;
            labels[i] = winner;
          }
          return labels;
        },
      };
    },
  };
}
