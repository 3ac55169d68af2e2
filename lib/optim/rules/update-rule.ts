/** What every update rule looks like, and how its arguments are read. */
import { NDArray, ArrayLike, shapeString } from "../../ndarray/ndarray";
import { asNDArray } from "../../ndarray/as-ndarray";

/**
 * An update rule `(w, dw, config?) => { nextW, config }` (CS231n's optim.py in camelCase).
 * `config` carries the hyperparameters and the rule's state (velocity, cache, m, v, t); pass the
 * returned config to the next call.
 */
export type UpdateRule<C> = (w: ArrayLike, dw: ArrayLike, config?: Partial<C>) => { nextW: NDArray; config: C };

/** Reads `w` and `dw` and checks that they have the same shape. */
export function readWeights(fnName: string, w: ArrayLike, dw: ArrayLike): { W: NDArray; dW: NDArray } {
  const W = asNDArray(w, fnName, "w");
  const dW = asNDArray(dw, fnName, "dw");
  if (W.size !== dW.size || W.shape.some((d, i) => d !== dW.shape[i])) {
    throw new Error(`Error in ${fnName}: w and dw must have the same shape, got w ${shapeString(W.shape)} and dw ${shapeString(dW.shape)}`);
  }
  return { W, dW };
}

/** The state array `name` from the config, or zeros like `w` on the first call; checked against w's shape. */
export function readState(fnName: string, name: string, value: ArrayLike | undefined, W: NDArray): NDArray {
  if (value === undefined) return new NDArray(W.shape);
  const S = asNDArray(value, fnName, `config.${name}`);
  if (S.size !== W.size) {
    throw new Error(`Error in ${fnName}: config.${name} has shape ${shapeString(S.shape)} but w has shape ${shapeString(W.shape)}; it holds one number per weight (leave it out on the first step)`);
  }
  return S.reshape(...W.shape);
}
