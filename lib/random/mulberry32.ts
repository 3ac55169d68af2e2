/**
 * mulberry32: the small seeded uniform generator behind data splits, shuffles, generated data
 * sets and sampling (lib/data, lib/seq, lib/captioning, lib/compare). A 32-bit state advanced by a Weyl step and
 * mixed; the same seed gives the same sequence on every machine and every version. (`rng` in
 * lib/ndarray/random is the numpy-like generator for arrays.)
 */

/** A function returning uniform numbers in [0, 1). */
export type Uniform = () => number;

/**
 * A seeded uniform generator on [0, 1); the seed is taken as an unsigned 32-bit integer.
 * @example const rand = mulberry32(42); rand(); // 0.6011..., the same on every machine
 */
export function mulberry32(seed: number): Uniform {
  let state = seed >>> 0;
  return () => {
    // state += 0x6d2b79f5 (Weyl step), then two xor-shift-multiply rounds
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
