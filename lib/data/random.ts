/**
 * Seeded randomness for reproducible splits, shuffles and augmentation: the same seed gives the
 * same 50K/10K split and the same batch order on every machine.
 */

import { mulberry32 } from "../random/mulberry32";

/**
 * A seeded uniform generator on [0, 1) (mulberry32, seeded with the seed as it is).
 * @example const rand = seededRandom(42); rand(); // 0.6011...
 */
export const seededRandom = mulberry32;

/**
 * A seeded random permutation of 0..n-1 (Fisher-Yates: swap i with a uniform j <= i, i from n-1 down).
 * @example permutation(5, 1); // Int32Array [4, 2, 1, 0, 3], the same on every machine
 */
export function permutation(n: number, seed: number): Int32Array {
  const rand = seededRandom(seed);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
