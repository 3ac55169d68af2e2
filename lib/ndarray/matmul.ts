/** The matrix product. */
import { NDArray, ArrayLike, shapeString } from "./ndarray";
import { asNDArray } from "./as-ndarray";

/**
 * Matrix product `C = A B`, `C[i, j] = sum_k A[i, k] B[k, j]`.
 *
 * Shapes: `[M, K] x [K, N] -> [M, N]`; a 1-D `b` of length K gives `[M]`.
 *
 * @example
 * ```ts
 * matmul([[1, 2]], [[3], [4]]).toArray(); // [[11]]
 * ```
 */
export function matmul(a: ArrayLike, b: ArrayLike): NDArray {
  const A = asNDArray(a, "matmul", "a");
  const B = asNDArray(b, "matmul", "b");
  if (A.ndim !== 2 || (B.ndim !== 2 && B.ndim !== 1)) {
    throw new Error(`Error in matmul: expects a 2-D a and a 1-D or 2-D b, got shapes ${shapeString(A.shape)} and ${shapeString(B.shape)}`);
  }
  const [M, K] = A.shape;
  const vector = B.ndim === 1;
  const Kb = B.shape[0];
  const N = vector ? 1 : B.shape[1];
  if (K !== Kb) {
    throw new Error(`Error in matmul: inner shapes (${K}) and (${Kb}) of arrays with shapes ${shapeString(A.shape)} and ${shapeString(B.shape)} must match`);
  }
  const out = new Float64Array(M * N);
  const a_ = A.data;
  const b_ = B.data;
  // i-k-j loop order: the inner loop walks rows of B and C contiguously.
  for (let i = 0; i < M; i++) {
    const rowC = i * N;
    for (let k = 0; k < K; k++) {
      const aik = a_[i * K + k];
      if (aik === 0) continue;
      const rowB = k * N;
      for (let j = 0; j < N; j++) out[rowC + j] += aik * b_[rowB + j];
    }
  }
  return new NDArray(vector ? [M] : [M, N], out);
}
