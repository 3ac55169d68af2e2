/**
 * Image features for the float64 captioning model: a fixed, seeded random projection of the
 * pixels. Not a trained encoder (the tfjs captioning model trains its CNN); enough to tell
 * images apart for the overfitting check and small experiments.
 *
 *   features = tanh(pixels R / ||pixels||),   R ~ N(0, 1) of shape [P, D], P = pixels per image
 *
 * Dividing by the image's norm makes every feature ~ N(0, 1) before the tanh, whatever the image.
 */
import { NDArray, rng } from "../ndarray";
import { CaptionedImageSet, pixelsPerImage } from "./captioned-images";

/**
 * Projects every image of `set` to a D-dimensional feature vector.
 * @returns features [N, D]
 * @example const features = randomProjectionFeatures(scenes.train, 64); // [N, 64]
 */
export function randomProjectionFeatures(set: CaptionedImageSet, dim: number, seed = 0): NDArray {
  const P = pixelsPerImage(set),
    N = set.count;
  const R = rng(seed).randn(P, dim).data;
  const out = new NDArray([N, dim]);
  for (let n = 0; n < N; n++) {
    const image = set.images.subarray(n * P, (n + 1) * P);
    let norm = 0;
    for (let p = 0; p < P; p++) norm += image[p] * image[p];
    const scale = 1 / Math.max(1e-8, Math.sqrt(norm));
    for (let d = 0; d < dim; d++) {
      let s = 0;
      for (let p = 0; p < P; p++) s += image[p] * R[p * dim + d];
      out.data[n * dim + d] = Math.tanh(s * scale);
    }
  }
  return out;
}
