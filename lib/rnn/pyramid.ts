/**
 * The pyramid of Listen, Attend and Spell: each level halves the number of time steps by
 * concatenating adjacent frames, and a pyramid BiLSTM encoder stacks such levels.
 */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";
import { MergeMode, DirectionParams, BidirectionalCache, bidirectionalForward, bidirectionalBackward } from "./bidirectional";
import { RecurrentGrads } from "./recurrent";

/** What to do with the last frame when T is odd: `"pad"` adds a zero frame (default), `"drop"` leaves it out. */
export type OddLengthRule = "pad" | "drop";

/** What {@link pyramidReduceForward} keeps. */
export interface PyramidReduceCache {
  xShape: number[];
}

/**
 * Pyramid reduction: `out[:, i, :] = [x[:, 2i, :], x[:, 2i+1, :]]` (adjacent frames concatenated).
 * Odd T: with `"pad"` (default) a zero frame is appended, giving `ceil(T/2)` steps; with `"drop"`
 * the last frame is left out, giving `floor(T/2)`.
 *
 * Shapes: `x [N, T, D]` -> `out [N, ceil(T/2) or floor(T/2), 2D]`.
 *
 * @example
 * ```ts
 * pyramidReduceForward(x).out.shape; // [N, 5, 2D] for T = 9 (padded)
 * ```
 */
export function pyramidReduceForward(x: ArrayLike, odd: OddLengthRule = "pad"): { out: NDArray; cache: PyramidReduceCache } {
  const X = asNDArray(x, "pyramidReduceForward", "x");
  if (X.ndim !== 3) throw new Error(`Error in pyramidReduceForward: x must be 3-D [N, T, D] but has shape [${X.shape}]`);
  if (odd !== "pad" && odd !== "drop") throw new Error(`Error in pyramidReduceForward: odd must be "pad" or "drop", got "${String(odd)}"`);
  const [N, T, D] = X.shape;
  const T2 = odd === "pad" ? Math.ceil(T / 2) : Math.floor(T / 2);
  const out = new NDArray([N, T2, 2 * D]);
  for (let n = 0; n < N; n++) {
    // frames 2i and 2i+1 of example n are contiguous: copy min(2, T - 2i) frames (a missing one stays zero)
    for (let i = 0; i < T2; i++) {
      const frames = Math.min(2, T - 2 * i);
      out.data.set(X.data.subarray((n * T + 2 * i) * D, (n * T + 2 * i + frames) * D), (n * T2 + i) * 2 * D);
    }
  }
  return { out, cache: { xShape: X.shape } };
}

/**
 * Pyramid reduction backward: each half of `dout[:, i, :]` goes back to its frame; a dropped
 * last frame gets zero gradient, a padding frame's gradient is discarded.
 *
 * Shapes: `dout [N, T2, 2D]` -> `dx [N, T, D]`.
 */
export function pyramidReduceBackward(dout: ArrayLike, cache: PyramidReduceCache): NDArray {
  const dOut = asNDArray(dout, "pyramidReduceBackward", "dout");
  const [N, T, D] = cache.xShape;
  const T2 = dOut.shape[1];
  if (dOut.ndim !== 3 || dOut.shape[0] !== N || dOut.shape[2] !== 2 * D || (T2 !== Math.ceil(T / 2) && T2 !== Math.floor(T / 2))) {
    throw new Error(`Error in pyramidReduceBackward: dout must be [${N}, ${Math.ceil(T / 2)} or ${Math.floor(T / 2)}, ${2 * D}] for x [${cache.xShape}], got [${dOut.shape}]`);
  }
  const dx = new NDArray([N, T, D]);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < T2; i++) {
      const frames = Math.min(2, T - 2 * i);
      dx.data.set(dOut.data.subarray((n * T2 + i) * 2 * D, (n * T2 + i) * 2 * D + frames * D), (n * T + 2 * i) * D);
    }
  }
  return dx;
}

/** One bidirectional level of the encoder: both directions' initial states and weights. */
export interface PyramidLevelParams {
  forward: DirectionParams;
  backward: DirectionParams;
}

/** What {@link pyramidEncoderForward} keeps. */
export interface PyramidEncoderCache {
  levels: { reduce?: PyramidReduceCache; bilstm: BidirectionalCache }[];
}

/**
 * The pyramid BiLSTM encoder ("listener") of Listen, Attend and Spell: a BiLSTM on the input,
 * then for each further level a pyramid reduction followed by a BiLSTM, so L levels divide the
 * time steps by 2^(L-1). Levels merge by concatenation (`h [., ., 2H]`).
 *
 * Shapes: `x [N, T, D]`; level 0: `Wx [D, 4H]`; level l > 0: `Wx [2 * 2H, 4H]` (the reduced
 * concatenated states); each `Wh [H, 4H]`, `b [4H]`, `h0 [N, H]` -> `h [N, ~T / 2^(L-1), 2H]`.
 *
 * @example
 * ```ts
 * const { h, cache } = pyramidEncoderForward(x, [level0, level1, level2, level3]); // T = 64 -> 8 steps
 * ```
 */
export function pyramidEncoderForward(x: ArrayLike, levels: PyramidLevelParams[], odd: OddLengthRule = "pad", merge: MergeMode = "concat"): { h: NDArray; cache: PyramidEncoderCache } {
  if (levels.length === 0) throw new Error("Error in pyramidEncoderForward: levels must hold at least one BiLSTM level");
  let h = asNDArray(x, "pyramidEncoderForward", "x");
  const caches: PyramidEncoderCache["levels"] = [];
  levels.forEach((params, l) => {
    let reduce: PyramidReduceCache | undefined;
    if (l > 0) {
      const r = pyramidReduceForward(h, odd);
      h = r.out;
      reduce = r.cache;
    }
    const b = bidirectionalForward("lstm", h, params, merge);
    h = b.h;
    caches.push({ reduce, bilstm: b.cache });
  });
  return { h, cache: { levels: caches } };
}

/**
 * Backward through the pyramid encoder, top level first.
 *
 * Shapes: `dh` like `h` -> `dx [N, T, D]`, `grads[l]` with `forward` and `backward` gradients of level l.
 */
export function pyramidEncoderBackward(dh: ArrayLike, cache: PyramidEncoderCache): { dx: NDArray; grads: { forward: RecurrentGrads & { dh0: NDArray }; backward: RecurrentGrads & { dh0: NDArray } }[] } {
  let upstream = asNDArray(dh, "pyramidEncoderBackward", "dh");
  const grads: { forward: RecurrentGrads & { dh0: NDArray }; backward: RecurrentGrads & { dh0: NDArray } }[] = [];
  for (let l = cache.levels.length - 1; l >= 0; l--) {
    const level = cache.levels[l];
    const b = bidirectionalBackward(upstream, level.bilstm);
    grads[l] = { forward: b.forward, backward: b.backward };
    upstream = level.reduce ? pyramidReduceBackward(b.dx, level.reduce) : b.dx;
  }
  return { dx: upstream, grads };
}
