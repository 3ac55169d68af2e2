/**
 * `dl-workbook/data`: MNIST from the raw IDX files (our own parser), a seeded 50K/10K
 * train/validation split of the 60K training set, the 10K test set, normalisation, seeded
 * shuffling and batching, tfjs tensors and float64 arrays, and a digit grid that displays itself.
 *
 * @example
 * import { loadMnist, batches, toTensors, digitGrid } from "dl-workbook/data";
 * const mnist = loadMnist({ seed: 0 });
 * display(digitGrid(mnist.train, { count: 16 }));
 */
import "../backend";
export * from "./idx";
export * from "./random";
export * from "./mnist";
export * from "./batches";
export * from "./tensors";
export * from "./png";
export * from "./digit-grid";
