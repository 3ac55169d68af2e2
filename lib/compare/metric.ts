/**
 * How a comparison scores a trained method on a test split.
 */

/** A score of predictions against the true labels. */
export interface Metric {
  /** Name shown in tables and plots, e.g. "accuracy". */
  name: string;
  /** True when larger is better (accuracy); false for errors and losses. */
  higherIsBetter: boolean;
  /** The score of `predicted` labels against the `truth`, both of shape [count]. */
  score(truth: Int32Array, predicted: Int32Array): number;
}

/** Fraction of agreeing labels; checks the two arrays have the same length. */
function agreement(caller: string, truth: Int32Array, predicted: Int32Array): number {
  if (truth.length !== predicted.length) {
    throw new Error(`Error in ${caller}: ${predicted.length} predictions for ${truth.length} test examples; predict one label per example.`);
  }
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) correct++;
  return truth.length === 0 ? 0 : correct / truth.length;
}

/**
 * Accuracy = (1/n) sum_i [predicted_i = truth_i]; higher is better.
 *
 * @example
 * accuracy.score(Int32Array.from([0, 1, 2]), Int32Array.from([0, 1, 1])); // 0.667
 */
export const accuracy: Metric = {
  name: "accuracy",
  higherIsBetter: true,
  score: (truth, predicted) => agreement("accuracy", truth, predicted),
};

/**
 * Error rate = 1 - accuracy; lower is better.
 *
 * @example
 * errorRate.score(Int32Array.from([0, 1, 2]), Int32Array.from([0, 1, 1])); // 0.333
 */
export const errorRate: Metric = {
  name: "error rate",
  higherIsBetter: false,
  score: (truth, predicted) => 1 - agreement("errorRate", truth, predicted),
};

/** The metrics that `compare` accepts by name. */
export const METRICS: Record<string, Metric> = { accuracy, error: errorRate, "error rate": errorRate };

/** Resolves a metric given by name or as an object. */
export function resolveMetric(metric: string | Metric): Metric {
  if (typeof metric !== "string") return metric;
  const found = METRICS[metric.toLowerCase()];
  if (!found)
    throw new Error(
      `Error in compare: unknown metric "${metric}". Use one of ${Object.keys(METRICS)
        .map((m) => `"${m}"`)
        .join(", ")}, or pass a Metric object { name, higherIsBetter, score(truth, predicted) }.`,
    );
  return found;
}
