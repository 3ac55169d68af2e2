/** A seeded random generator, so every notebook run and test gives the same numbers. */
import { NDArray } from "./ndarray";

/**
 * A deterministic random number generator (xoshiro128**, seeded through splitmix32), with
 * numpy-like methods. The same seed gives the same sequence on every machine and run.
 *
 * @example
 * ```ts
 * const r = rng(231);
 * const W = r.randn(10, 4).mul(0.01);   // N(0, 0.01^2) weights [10, 4]
 * const y = r.randint(0, 5, [8]);      // 8 labels in {0, ..., 4}
 * ```
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;

  constructor(readonly seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Error in rng: seed must be a finite number, got ${seed}`);
    let x = Math.floor(seed) >>> 0;
    // splitmix32 spreads the seed over the four state words
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** The next 32 random bits as an unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** A uniform number in [0, 1) with 53 random bits. */
  random(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** One standard normal number (Box-Muller: `sqrt(-2 ln u1) cos(2 pi u2)`). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u1 = this.random();
    while (u1 === 0) u1 = this.random();
    const u2 = this.random();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Standard normal samples of the given shape: `randn(N, D)`. */
  randn(...shape: number[]): NDArray {
    const out = new NDArray(shape);
    for (let i = 0; i < out.size; i++) out.data[i] = this.normal();
    return out;
  }

  /** Uniform samples in [0, 1) of the given shape: `rand(N, D)`. */
  rand(...shape: number[]): NDArray {
    const out = new NDArray(shape);
    for (let i = 0; i < out.size; i++) out.data[i] = this.random();
    return out;
  }

  /** Uniform samples in [low, high) of the given shape. */
  uniform(low: number, high: number, shape: number[]): NDArray {
    return this.rand(...shape).map((u) => low + (high - low) * u);
  }

  /** One integer in `[low, high)`. */
  int(low: number, high: number): number {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
      throw new Error(`Error in randint: needs integers low < high, got low=${low}, high=${high}`);
    }
    return low + Math.floor(this.random() * (high - low));
  }

  /** Integers in `[low, high)` (high excluded, as numpy) of the given shape, stored as float64. */
  randint(low: number, high: number, shape: number[]): NDArray {
    const out = new NDArray(shape);
    for (let i = 0; i < out.size; i++) out.data[i] = this.int(low, high);
    return out;
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of `0, ..., n-1`. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** One element of `items`, uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Error in choice: items is empty");
    return items[Math.floor(this.random() * items.length)];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A seeded random generator: `rng(seed).randn(...shape)`, `rand`, `randint(low, high, shape)`,
 * `shuffle`. Deterministic across runs and machines.
 *
 * @example
 * ```ts
 * rng(0).randn(2, 3); // the same 2x3 normal samples every time
 * ```
 */
export function rng(seed: number): Rng {
  return new Rng(seed);
}
