/**
 * What a comparison compares: a method learns a classifier from a training split.
 */
import type { Dataset, Split } from "./dataset";

/** A trained classifier: predicts one label per example of `x` (shape [count, features]). */
export interface Classifier {
  predict(x: Float32Array, count: number): Int32Array | Promise<Int32Array>;
}

/** A learning method. `fit` gets the training split, the data set's description and the run's seed. */
export interface Method {
  /** Name shown in tables and plots. */
  name: string;
  /**
   * Trains on `train` and returns the classifier. `seed` fixes every random choice (initial
   * weights, shuffles), so the same seed gives the same result.
   */
  fit(train: Split, dataset: Pick<Dataset, "name" | "shape" | "numClasses">, seed: number): Classifier | Promise<Classifier>;
}
