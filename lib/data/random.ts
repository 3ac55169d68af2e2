/**
 * Seeded randomness for reproducible splits, shuffles and augmentation: the same seed gives the
 * same 50K/10K split and the same batch order on every machine.
 */

/**
 * A seeded uniform generator on [0, 1) (mulberry32: a 32-bit state advanced by a Weyl step and mixed).
 * @example const rand = seededRandom(42); rand(); // 0.6011...
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seeded random permutation of 0..n-1 (Fisher-Yates: swap i with a uniform j <= i, i from n-1 down).
 * @example permutation(5, 1); // e.g. Int32Array [3, 0, 4, 1, 2]
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
