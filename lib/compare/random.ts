/**
 * A small seeded random number generator (mulberry32), so that every run of a comparison with
 * the same seed sees the same shuffles and initial weights.
 */

import { mulberry32, type Uniform } from "../random/mulberry32";

/** A function returning uniform numbers in [0, 1). */
export type Random = Uniform;

/**
 * Creates a seeded uniform generator.
 *
 * @example
 * const rand = seededRandom(0);
 * rand(); // 0.3588899802416563, the same on every machine
 */
export function seededRandom(seed: number): Random {
  // the seed is mixed with the golden-ratio constant, so small seeds start far apart
  return mulberry32(Math.floor(seed) ^ 0x9e3779b9);
}

/** A standard normal sample by the Box-Muller transform: z = sqrt(-2 ln u1) cos(2 pi u2). */
export function normal(rand: Random): number {
  const u1 = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand());
}

/** Shuffles `items` in place (Fisher-Yates) and returns it. */
export function shuffle<T>(items: T[], rand: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
