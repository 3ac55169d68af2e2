/** An {@link ImageSet} in the two numeric worlds of the course: tfjs tensors and float64 arrays. */
import * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "./mnist";

/** A split as tfjs tensors. */
export interface TensorSet {
  /** Images, shape [n, 28, 28, 1], float32. */
  xs: tf.Tensor4D;
  /** One-hot labels, shape [n, classes], float32. */
  ys: tf.Tensor2D;
  /** Integer labels, shape [n], int32. */
  labels: tf.Tensor1D;
}

/**
 * The split as tfjs tensors (NHWC images, one-hot labels). Dispose them when done (`tf.dispose(t)`).
 * @example const { xs, ys } = toTensors(take(mnist.train, 256)); xs.shape; // [256, 28, 28, 1]
 */
export function toTensors(set: ImageSet, classes = 10): TensorSet {
  const [h, w, c] = set.imageShape;
  return tf.tidy(() => {
    const labels = tf.tensor1d(Int32Array.from(set.labels), "int32");
    return { xs: tf.tensor4d(set.images, [set.count, h, w, c]), ys: tf.oneHot(labels, classes).toFloat() as tf.Tensor2D, labels };
  });
}

/** A split as float64 arrays for the from-scratch layers. */
export interface Float64Set {
  /** Images, row-major [n, d] with d = 784. */
  X: Float64Array;
  /** Labels, length n. */
  y: Int32Array;
  /** [n, d]. */
  shape: [number, number];
}

/**
 * The split as a float64 design matrix X (n x 784, row-major) and integer labels y.
 * @example const { X, y, shape } = toFloat64(take(mnist.validation, 100)); shape; // [100, 784]
 */
export function toFloat64(set: ImageSet): Float64Set {
  const d = set.imageShape[0] * set.imageShape[1] * set.imageShape[2];
  return { X: Float64Array.from(set.images), y: Int32Array.from(set.labels), shape: [set.count, d] };
}
