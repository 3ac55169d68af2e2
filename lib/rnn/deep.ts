/** A deep (stacked) RNN or LSTM: each layer's hidden states are the next layer's inputs. */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";
import { CellType, RecurrentParams, RecurrentGrads, RecurrentCache, recurrentForward, recurrentBackward } from "./recurrent";

/** What {@link deepRnnForward} keeps: one cache per layer. */
export interface DeepRnnCache {
  layers: RecurrentCache[];
}

/**
 * Deep (stacked) recurrent forward: `h^(1) = layer_1(x)`, `h^(l) = layer_l(h^(l-1))`; the top
 * layer's states are the output.
 *
 * Shapes: `x [N, T, D]`, `h0s[l] [N, H_l]`, `layers[l]`: `Wx [H_{l-1}, G H_l]` (`H_0 = D`),
 * `Wh [H_l, G H_l]`, `b [G H_l]` with G = 1 (rnn) or 4 (lstm) -> `h [N, T, H_L]`, `hs[l] [N, T, H_l]`.
 *
 * @example
 * ```ts
 * const { h, cache } = deepRnnForward("lstm", x, [h0a, h0b], [layer1, layer2]);
 * ```
 */
export function deepRnnForward(cell: CellType, x: ArrayLike, h0s: ArrayLike[], layers: RecurrentParams[]): { h: NDArray; hs: NDArray[]; cache: DeepRnnCache } {
  if (layers.length === 0) throw new Error("Error in deepRnnForward: layers must hold at least one layer's { Wx, Wh, b }");
  if (h0s.length !== layers.length) throw new Error(`Error in deepRnnForward: got ${layers.length} layers but ${h0s.length} initial states h0s; give one [N, H] per layer`);
  let input = asNDArray(x, "deepRnnForward", "x");
  const hs: NDArray[] = [];
  const caches: RecurrentCache[] = [];
  layers.forEach((params, l) => {
    const { h, cache } = recurrentForward(cell, input, h0s[l], params);
    hs.push(h);
    caches.push(cache);
    input = h;
  });
  return { h: input, hs, cache: { layers: caches } };
}

/**
 * Deep recurrent backward: from the top layer down, each layer's `dx` is the gradient on the
 * states of the layer below.
 *
 * Shapes: `dh [N, T, H_L]` -> `dx [N, T, D]`, `dh0s[l] [N, H_l]`, `grads[l]` like `layers[l]`.
 *
 * @example
 * ```ts
 * const { dx, dh0s, grads } = deepRnnBackward(dh, cache);
 * ```
 */
export function deepRnnBackward(dh: ArrayLike, cache: DeepRnnCache): { dx: NDArray; dh0s: NDArray[]; grads: RecurrentGrads[] } {
  let upstream = asNDArray(dh, "deepRnnBackward", "dh");
  const dh0s: NDArray[] = [];
  const grads: RecurrentGrads[] = [];
  for (let l = cache.layers.length - 1; l >= 0; l--) {
    const g = recurrentBackward(upstream, cache.layers[l]);
    dh0s[l] = g.dh0;
    grads[l] = { dWx: g.dWx, dWh: g.dWh, db: g.db };
    upstream = g.dx;
  }
  return { dx: upstream, dh0s, grads };
}
