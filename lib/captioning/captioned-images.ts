/** The common form of a captioning data set: images (NHWC floats) with one caption each. */

/** One split of a captioning data set. */
export interface CaptionedImageSet {
  /** "train", "validation" or "test". */
  readonly name: string;
  /** Number of images N. */
  readonly count: number;
  /** [height, width, channels]; channels is 1 (gray) or 3 (RGB). */
  readonly imageShape: readonly [number, number, number];
  /** N * height * width * channels pixels in [0, 1], image-major, row-major, channels last. */
  readonly images: Float32Array;
  /** The caption of each image, e.g. "seven two one" or "a red circle left of a blue square". */
  readonly captions: string[];
}

/** A data set's train/validation/test splits. */
export interface CaptionedImageSplits {
  readonly train: CaptionedImageSet;
  readonly validation: CaptionedImageSet;
  readonly test: CaptionedImageSet;
}

/** Number of pixels (floats) of one image of `set`. */
export function pixelsPerImage(set: { imageShape: readonly [number, number, number] }): number {
  return set.imageShape[0] * set.imageShape[1] * set.imageShape[2];
}

/** Image i of `set` as a view of its pixels (no copy). */
export function imageAt(set: CaptionedImageSet, i: number): Float32Array {
  if (!Number.isInteger(i) || i < 0 || i >= set.count) {
    throw new Error(`Error in imageAt: image ${i} is out of range for the "${set.name}" split of ${set.count} images.`);
  }
  const p = pixelsPerImage(set);
  return set.images.subarray(i * p, (i + 1) * p);
}

/**
 * The first `count` images and captions of a split (a view): for overfitting checks and tests.
 * @example const small = takeCaptioned(scenes.train, 50);
 */
export function takeCaptioned(set: CaptionedImageSet, count: number): CaptionedImageSet {
  if (!Number.isInteger(count) || count < 0 || count > set.count) {
    throw new Error(`Error in takeCaptioned: count ${count} must be an integer in [0, ${set.count}] (the "${set.name}" split has ${set.count} images).`);
  }
  return { ...set, count, images: set.images.subarray(0, count * pixelsPerImage(set)), captions: set.captions.slice(0, count) };
}
