/**
 * CS231n's spiral data set: K arms of N points each in the plane, one class per arm, not
 * linearly separable. Generated from a seed, so nothing is stored or downloaded.
 */
import type { Dataset, Split } from "../dataset";
import type { DatasetSpec, LoadOptions } from "../registry";
import { normal, seededRandom, type Random } from "../random";

/** Options of the spiral generator. */
export interface SpiralOptions extends LoadOptions {
  /** Number of arms (classes). Default 3. */
  classes?: number;
  /** Angular noise, standard deviation in radians. Default 0.2. */
  noise?: number;
}

/** Generates `count` points spread evenly over the arms. */
function spiralSplit(count: number, classes: number, noise: number, rand: Random): Split {
  const x = new Float32Array(count * 2);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    const r = rand(); // radius r ~ U(0, 1)
    // angle t = 4 (label + r) + noise * z, z ~ N(0, 1)
    const t = 4 * (label + r) + noise * normal(rand);
    // point = r (sin t, cos t)
    x[2 * i] = r * Math.sin(t);
    x[2 * i + 1] = r * Math.cos(t);
    y[i] = label;
  }
  return { x, y, count };
}

/**
 * Generates the spiral data set. Default: 3 arms, 600 training and 300 test points.
 *
 * @example
 * const spiral = await loadSpiral({ trainSize: 300, testSize: 150, seed: 1 });
 * spiral.shape; // [2]
 */
export async function loadSpiral(options: SpiralOptions = {}): Promise<Dataset> {
  const classes = options.classes ?? 3;
  const noise = options.noise ?? 0.2;
  const rand = seededRandom(options.seed ?? 0);
  const train = spiralSplit(options.trainSize ?? 600, classes, noise, rand);
  const test = spiralSplit(options.testSize ?? 300, classes, noise, rand);
  const classNames = Array.from({ length: classes }, (_, k) => `arm ${k}`);
  return { name: "spiral", shape: [2], numClasses: classes, classNames, train, test };
}

/** The registry entry for the spiral data set. */
export const spiralSpec: DatasetSpec = {
  name: "spiral",
  aliases: ["spirals", "CS231n spiral"],
  description: "3 interleaved spiral arms in the plane, 600 training and 300 test points (generated)",
  source: "generated from a seed (CS231n's spiral data)",
  load: loadSpiral,
};
