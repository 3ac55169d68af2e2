/** Converting LSTM weights between this library's gate order (i, f, o, g) and tfjs/Keras's (i, f, c, o). */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";
import { concat } from "../ndarray/slice";

function reorderGates(W: ArrayLike, fnName: string, order: [number, number, number, number]): NDArray {
  const X = asNDArray(W, fnName, "W");
  const axis = X.ndim - 1;
  const width = X.shape[axis];
  if (width % 4 !== 0) throw new Error(`Error in ${fnName}: the last axis of W (${width}) must hold 4 gate blocks of width H, shape [${X.shape}]`);
  const H = width / 4;
  return concat(
    order.map((g) => X.slice(axis, g * H, (g + 1) * H)),
    axis,
  );
}

/**
 * LSTM weights from this library's column blocks `[i, f, o, g]` to tfjs's `[i, f, c, o]` (c is the
 * candidate g), for `kernel`, `recurrentKernel` or `bias` of `tf.layers.lstm`.
 *
 * Shapes: `[D, 4H]`, `[H, 4H]` or `[4H]`, unchanged.
 *
 * @example
 * ```ts
 * lstmLayer.setWeights([Wx, Wh, b].map((w) => tf.tensor(lstmGatesToTfjs(w).toArray())));
 * ```
 */
export function lstmGatesToTfjs(W: ArrayLike): NDArray {
  // blocks i, f, o, g -> i, f, g, o
  return reorderGates(W, "lstmGatesToTfjs", [0, 1, 3, 2]);
}

/** The inverse of {@link lstmGatesToTfjs}: tfjs's `[i, f, c, o]` to this library's `[i, f, o, g]`. */
export function lstmGatesFromTfjs(W: ArrayLike): NDArray {
  // blocks i, f, c, o -> i, f, o, c (the swap is its own inverse)
  return reorderGates(W, "lstmGatesFromTfjs", [0, 1, 3, 2]);
}
