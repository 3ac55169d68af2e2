/**
 * Summary statistics of repeated runs: the mean and the sample standard deviation over seeds.
 */

/** The summary of one cell of a comparison: a method on a data set over `n` seeds. */
export interface Summary {
  /** mean = (1/n) sum_i x_i */
  mean: number;
  /** Sample standard deviation, std = sqrt( sum_i (x_i - mean)^2 / (n - 1) ); 0 when n = 1. */
  std: number;
  /** Number of runs summarized. */
  n: number;
}

/**
 * Mean and sample standard deviation (Bessel's n - 1) of `values`.
 *
 * @example
 * summarize([0.9, 0.92, 0.94]); // { mean: 0.92, std: 0.02, n: 3 }
 */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) throw new Error("Error in summarize: no values to summarize; run at least one seed.");
  // identical scores (a method without randomness): exactly that value, std 0, no rounding noise
  if (values.every((x) => x === values[0])) return { mean: values[0], std: 0, n };
  // mean = (1/n) sum_i x_i
  const mean = values.reduce((sum, x) => sum + x, 0) / n;
  // std = sqrt( sum_i (x_i - mean)^2 / (n - 1) )
  const squares = values.reduce((sum, x) => sum + (x - mean) * (x - mean), 0);
  return { mean, std: Math.sqrt(squares / (n - 1)), n };
}
