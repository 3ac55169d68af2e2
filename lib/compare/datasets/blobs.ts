/**
 * Gaussian blobs: K classes, each a round Gaussian cloud around its own centre in D dimensions.
 * The easy, linearly separable baseline of a comparison. Generated from a seed.
 */
import type { Dataset, Split } from "../dataset";
import type { DatasetSpec, LoadOptions } from "../registry";
import { normal, seededRandom, type Random } from "../random";

/** Options of the blobs generator. */
export interface BlobsOptions extends LoadOptions {
  /** Number of classes. Default 4. */
  classes?: number;
  /** Dimension of each point. Default 2. */
  dimensions?: number;
  /** Standard deviation of each cloud (the centres are ~N(0, 4 I)). Default 1. */
  spread?: number;
}

/** Draws `count` points: x = centre[label] + spread * z, z ~ N(0, I). */
function blobSplit(count: number, centres: number[][], spread: number, rand: Random): Split {
  const dimensions = centres[0].length;
  const x = new Float32Array(count * dimensions);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % centres.length;
    for (let d = 0; d < dimensions; d++) x[i * dimensions + d] = centres[label][d] + spread * normal(rand);
    y[i] = label;
  }
  return { x, y, count };
}

/**
 * Generates Gaussian blobs. Default: 4 classes in 2-D, 400 training and 200 test points.
 *
 * @example
 * const blobs = await loadBlobs({ classes: 3, dimensions: 5, seed: 2 });
 * blobs.shape; // [5]
 */
export async function loadBlobs(options: BlobsOptions = {}): Promise<Dataset> {
  const classes = options.classes ?? 4;
  const dimensions = options.dimensions ?? 2;
  const rand = seededRandom(options.seed ?? 0);
  // centres ~ N(0, 4 I): well apart compared with a spread of 1
  const centres = Array.from({ length: classes }, () => Array.from({ length: dimensions }, () => 2 * normal(rand)));
  const spread = options.spread ?? 1;
  const train = blobSplit(options.trainSize ?? 400, centres, spread, rand);
  const test = blobSplit(options.testSize ?? 200, centres, spread, rand);
  const classNames = Array.from({ length: classes }, (_, k) => `blob ${k}`);
  return { name: "blobs", shape: [dimensions], numClasses: classes, classNames, train, test };
}

/** The registry entry for Gaussian blobs. */
export const blobsSpec: DatasetSpec = {
  name: "blobs",
  aliases: ["gaussian blobs"],
  description: "4 Gaussian clouds in the plane, 400 training and 200 test points (generated)",
  source: "generated from a seed",
  load: loadBlobs,
};
