/** Random orthogonal matrices: every singular value 1, so `scale * Q` has all singular values `scale`. */
import { NDArray } from "../../ndarray/ndarray";
import { Rng } from "../../ndarray/random";

/**
 * A random `n x n` orthogonal matrix `Q` (`Q^T Q = I`), by Gram-Schmidt on a standard normal matrix.
 *
 * @example
 * ```ts
 * const Wh = randomOrthogonal(rng(0), 16).mul(1.2); // all singular values 1.2
 * ```
 */
export function randomOrthogonal(r: Rng, n: number): NDArray {
  const A = r.randn(n, n);
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = A.data[i * n + j];
    // v <- v - sum_k (q_k . v) q_k, then normalise
    for (const q of cols) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= dot * q[i];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i] /= norm;
    cols.push(v);
  }
  const Q = new NDArray([n, n]);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) Q.data[i * n + j] = cols[j][i];
  return Q;
}
