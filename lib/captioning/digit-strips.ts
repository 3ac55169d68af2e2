/**
 * Generated captioning data from MNIST: 2 to 4 digits side by side in one strip, captioned with
 * their words, "seven two one". Digits of the train strips come from MNIST's train split, and so
 * on, so no test digit is ever seen in training. Seeded.
 */
import { ImageSet, MNIST_SIZE, MnistData, loadMnist } from "../data";
import { SeededRandom } from "../random/seeded-random";
import { CaptionedImageSet, CaptionedImageSplits } from "./captioned-images";

/** The words of the digits 0-9. */
export const DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"] as const;

/** Options of {@link digitStrips}. */
export interface DigitStripOptions {
  /** Number of strips N (required). */
  count: number;
  /** Fewest digits in a strip (default 2). */
  minDigits?: number;
  /** Most digits in a strip (default 4); the strip is maxDigits * 28 pixels wide. */
  maxDigits?: number;
  /** Seed (default 0). */
  seed?: number;
}

/**
 * Builds N strips from the digits of one MNIST split. Each strip is [28, 28 * maxDigits, 1];
 * its k digits are centred, the rest is background (0).
 * @example
 * const strips = digitStrips(loadMnist().test, { count: 10 });
 * strips.captions[0]; // e.g. "seven two one"
 */
export function digitStrips(source: ImageSet, options: DigitStripOptions): CaptionedImageSet & { digits: number[][] } {
  const { count, minDigits = 2, maxDigits = 4, seed = 0 } = options;
  if (!(Number.isInteger(minDigits) && Number.isInteger(maxDigits) && 1 <= minDigits && minDigits <= maxDigits)) {
    throw new Error(`Error in digitStrips: need integers 1 <= minDigits <= maxDigits, got minDigits ${minDigits} and maxDigits ${maxDigits}.`);
  }
  if (source.imageShape[0] !== MNIST_SIZE || source.imageShape[1] !== MNIST_SIZE || source.imageShape[2] !== 1) {
    throw new Error(`Error in digitStrips: source images must be 28x28x1 MNIST digits, got ${source.imageShape.join("x")}.`);
  }
  if (source.count === 0) throw new Error(`Error in digitStrips: the "${source.name}" split is empty.`);
  const random = new SeededRandom(seed);
  const S = MNIST_SIZE,
    width = S * maxDigits;
  const pixels = S * width;
  const images = new Float32Array(count * pixels);
  const captions: string[] = [],
    digits: number[][] = [];
  for (let n = 0; n < count; n++) {
    const k = minDigits + random.int(maxDigits - minDigits + 1);
    const left = ((maxDigits - k) * S) / 2;
    const strip = images.subarray(n * pixels, (n + 1) * pixels);
    const labels: number[] = [];
    for (let d = 0; d < k; d++) {
      const i = random.int(source.count);
      labels.push(source.labels[i]);
      const digit = source.images.subarray(i * S * S, (i + 1) * S * S);
      for (let y = 0; y < S; y++) strip.set(digit.subarray(y * S, (y + 1) * S), y * width + left + d * S);
    }
    digits.push(labels);
    captions.push(labels.map((l) => DIGIT_WORDS[l]).join(" "));
  }
  return { name: source.name, count, imageShape: [S, width, 1], images, captions, digits };
}

/**
 * Train/validation/test strips from the matching MNIST splits (loaded with x / 255 pixels).
 * @example const { train, test } = digitStripSplits({ train: 5000, validation: 500, test: 500 });
 */
export function digitStripSplits(sizes: { train: number; validation: number; test: number; seed?: number; minDigits?: number; maxDigits?: number; mnist?: MnistData }): CaptionedImageSplits {
  const mnist = sizes.mnist ?? loadMnist({ seed: sizes.seed ?? 0 });
  const seed = sizes.seed ?? 0;
  const make = (source: ImageSet, count: number, offset: number) => digitStrips(source, { count, seed: seed * 3 + offset, minDigits: sizes.minDigits, maxDigits: sizes.maxDigits });
  return { train: make(mnist.train, sizes.train, 1), validation: make(mnist.validation, sizes.validation, 2), test: make(mnist.test, sizes.test, 3) };
}
