/** Gradient clipping, the standard remedy for exploding gradients in RNNs. */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";

/**
 * Clips every gradient element to `[-clipValue, clipValue]`: `g_i <- min(max(g_i, -c), c)`.
 *
 * @example
 * ```ts
 * const clipped = clipGradientsByValue({ dWx, dWh, db }, 5);
 * ```
 */
export function clipGradientsByValue<K extends string>(grads: Record<K, ArrayLike>, clipValue: number): Record<K, NDArray> {
  if (!(clipValue > 0)) throw new Error(`Error in clipGradientsByValue: clipValue must be positive, got ${clipValue}`);
  const out = {} as Record<K, NDArray>;
  for (const key of Object.keys(grads) as K[]) out[key] = asNDArray(grads[key], "clipGradientsByValue", `grads.${key}`).clip(-clipValue, clipValue);
  return out;
}

/**
 * Rescales all gradients together when their global norm exceeds `maxNorm` (Pascanu et al.):
 * `norm = sqrt(sum over all gradients of sum(g^2))`; if `norm > maxNorm`, `g <- g * maxNorm / norm`.
 * The direction of the full gradient is kept.
 *
 * @example
 * ```ts
 * const { grads, norm, clipped } = clipGradientsByNorm({ dWx, dWh, db }, 1.0);
 * ```
 */
export function clipGradientsByNorm<K extends string>(grads: Record<K, ArrayLike>, maxNorm: number): { grads: Record<K, NDArray>; norm: number; clipped: boolean } {
  if (!(maxNorm > 0)) throw new Error(`Error in clipGradientsByNorm: maxNorm must be positive, got ${maxNorm}`);
  const arrays = {} as Record<K, NDArray>;
  let squares = 0;
  for (const key of Object.keys(grads) as K[]) {
    arrays[key] = asNDArray(grads[key], "clipGradientsByNorm", `grads.${key}`);
    // sum of g^2 over this gradient
    squares += arrays[key].square().sum();
  }
  const norm = Math.sqrt(squares);
  if (!(norm > maxNorm)) return { grads: arrays, norm, clipped: false };
  const scale = maxNorm / norm;
  const out = {} as Record<K, NDArray>;
  for (const key of Object.keys(arrays) as K[]) out[key] = arrays[key].mul(scale);
  return { grads: out, norm, clipped: true };
}
