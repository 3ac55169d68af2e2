/**
 * A small seeded random generator (mulberry32 with Box-Muller normals) for generated data sets
 * and sampling, so that a seed gives the same data on every machine and every version.
 */

import { mulberry32, type Uniform } from "./mulberry32";

/** A seeded source of uniform, normal and categorical draws. */
export class SeededRandom {
  private readonly next: Uniform;
  private spareNormal: number | undefined;

  /** @param seed any integer; the same seed gives the same sequence. */
  constructor(seed: number) {
    // the seed is mixed with the golden-ratio constant, so small seeds start far apart
    this.next = mulberry32(Math.trunc(seed) ^ 0x9e3779b9);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** One element of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Standard normal draw (Box-Muller). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const s = this.spareNormal;
      this.spareNormal = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    // r = sqrt(-2 ln u), (r cos 2 pi v, r sin 2 pi v)
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** `n` normal draws times `scale`. */
  normals(n: number, scale = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal() * scale;
    return out;
  }

  /** An index drawn with probabilities `p` (which sum to 1). */
  categorical(p: ArrayLike<number>): number {
    const u = this.uniform();
    let acc = 0;
    for (let i = 0; i < p.length; i++) {
      acc += p[i];
      if (u < acc) return i;
    }
    return p.length - 1;
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}
