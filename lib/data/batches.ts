/** Seeded shuffling and mini-batching of an {@link ImageSet}. */
import type { ImageSet } from "./mnist";
import { permutation } from "./random";

/** One mini-batch: B images (flat, B * pixels) and their labels. */
export interface Batch {
  /** Position of this batch in the epoch (0-based). */
  readonly index: number;
  /** Number of examples B in this batch (the last may be smaller). */
  readonly size: number;
  /** B * pixels floats, example-major. */
  readonly images: Float32Array;
  /** B labels. */
  readonly labels: Uint8Array;
  /** For each example, its index in the split. */
  readonly exampleIndex: Int32Array;
}

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Shuffle before batching (default true). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0); use e.g. seed + epoch for a new order every epoch. */
  seed?: number;
  /** Drop a last batch smaller than batchSize (default false). */
  dropLast?: boolean;
}

/** Number of batches {@link batches} yields: ceil(n / B), or floor(n / B) with dropLast. */
export function batchCount(count: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/**
 * Splits a data set into mini-batches of `batchSize` examples, in a seeded random order.
 *
 * @example
 * for (const batch of batches(mnist.train, 64, { seed: epoch })) {
 *   // batch.images: Float32Array(64 * 784), batch.labels: Uint8Array(64)
 * }
 */
export function* batches(set: ImageSet, batchSize: number, options: BatchOptions = {}): Generator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`Error in batches: batchSize ${batchSize} must be a positive integer.`);
  }
  const pixels = set.imageShape[0] * set.imageShape[1] * set.imageShape[2];
  const order = options.shuffle === false ? Int32Array.from({ length: set.count }, (_, i) => i) : permutation(set.count, options.seed ?? 0);
  const total = batchCount(set.count, batchSize, options.dropLast);
  for (let b = 0; b < total; b++) {
    const exampleIndex = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, set.count));
    const size = exampleIndex.length;
    const images = new Float32Array(size * pixels);
    const labels = new Uint8Array(size);
    for (let k = 0; k < size; k++) {
      const i = exampleIndex[k];
      images.set(set.images.subarray(i * pixels, (i + 1) * pixels), k * pixels);
      labels[k] = set.labels[i];
    }
    yield { index: b, size, images, labels, exampleIndex };
  }
}
