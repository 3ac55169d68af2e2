/**
 * What a comparison trains on: a classification data set with a training and a test split,
 * each example flattened to one row of numbers.
 */

/** One split of a data set: `count` examples, `x` row-major (count x features), labels in `y`. */
export interface Split {
  /** Features, shape [count, features] flattened row-major; images are scaled to [0, 1]. */
  x: Float32Array;
  /** Class labels 0 .. numClasses - 1, shape [count]. */
  y: Int32Array;
  /** Number of examples. */
  count: number;
}

/** A classification data set ready for {@link compare}. */
export interface Dataset {
  /** The registry name, e.g. "mnist". */
  name: string;
  /** Shape of one example before flattening, e.g. [28, 28] for an image, [2] for a point. */
  shape: number[];
  /** Number of classes. */
  numClasses: number;
  /** Human names of the classes, index = label. */
  classNames: string[];
  /** The examples methods learn from. */
  train: Split;
  /** The held-out examples the metric is computed on. */
  test: Split;
}

/** Number of features of one example: the product of `shape`. */
export function featureCount(dataset: Pick<Dataset, "shape">): number {
  return dataset.shape.reduce((product, d) => product * d, 1);
}

/**
 * Checks that a data set's arrays agree with its shape and class count; throws an error that
 * names the data set, the split and the sizes otherwise.
 */
export function validateDataset(dataset: Dataset): void {
  const features = featureCount(dataset);
  for (const [splitName, split] of [
    ["train", dataset.train],
    ["test", dataset.test],
  ] as const) {
    if (split.x.length !== split.count * features) {
      throw new Error(`Error in data set "${dataset.name}": ${splitName}.x has ${split.x.length} numbers but ${split.count} examples of shape [${dataset.shape}] need ${split.count * features}.`);
    }
    if (split.y.length !== split.count) {
      throw new Error(`Error in data set "${dataset.name}": ${splitName}.y has ${split.y.length} labels for ${split.count} examples; give one label per example.`);
    }
    for (let i = 0; i < split.count; i++) {
      const label = split.y[i];
      if (label < 0 || label >= dataset.numClasses) {
        throw new Error(`Error in data set "${dataset.name}": ${splitName}.y[${i}] = ${label} is outside 0..${dataset.numClasses - 1} (numClasses = ${dataset.numClasses}).`);
      }
    }
  }
}
