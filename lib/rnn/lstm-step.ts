/**
 * One LSTM step: input gate i, forget gate f, output gate o and candidate g, computed from ONE
 * product of width 4H (`a = x Wx + prevH Wh + b`, column blocks in the order i, f, o, g).
 */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";
import { concat } from "../ndarray/slice";
import { checkRecurrentShapes } from "./check-recurrent-shapes";

/** What {@link lstmStepForward} keeps for the backward pass: inputs, the gates, the new cell. */
export interface LstmStepCache {
  x: NDArray;
  prevH: NDArray;
  prevC: NDArray;
  Wx: NDArray;
  Wh: NDArray;
  inputGate: NDArray;
  forgetGate: NDArray;
  outputGate: NDArray;
  candidate: NDArray;
  nextC: NDArray;
  /** `tanh(nextC)`. */
  tanhNextC: NDArray;
}

/**
 * LSTM step forward, the four gate pre-activations as one product of width 4H:
 * `a = x Wx + prevH Wh + b` split into `[a_i, a_f, a_o, a_g]`;
 * `i = sigmoid(a_i)`, `f = sigmoid(a_f)`, `o = sigmoid(a_o)`, `g = tanh(a_g)`;
 * `nextC = f * prevC + i * g`; `nextH = o * tanh(nextC)`.
 *
 * Shapes: `x [N, D]`, `prevH [N, H]`, `prevC [N, H]`, `Wx [D, 4H]`, `Wh [H, 4H]`, `b [4H]`
 * -> `nextH [N, H]`, `nextC [N, H]`.
 *
 * @example
 * ```ts
 * const { nextH, nextC, cache } = lstmStepForward(x, prevH, prevC, Wx, Wh, b);
 * ```
 */
export function lstmStepForward(x: ArrayLike, prevH: ArrayLike, prevC: ArrayLike, Wx: ArrayLike, Wh: ArrayLike, b: ArrayLike): { nextH: NDArray; nextC: NDArray; cache: LstmStepCache } {
  const fn = "lstmStepForward";
  const X = asNDArray(x, fn, "x");
  const Hp = asNDArray(prevH, fn, "prevH");
  const Cp = asNDArray(prevC, fn, "prevC");
  const WX = asNDArray(Wx, fn, "Wx");
  const WH = asNDArray(Wh, fn, "Wh");
  const B = asNDArray(b, fn, "b");
  const { H } = checkRecurrentShapes(fn, X, Hp, WX, WH, B, 4);
  if (Cp.ndim !== 2 || Cp.shape[0] !== Hp.shape[0] || Cp.shape[1] !== H) {
    throw new Error(`Error in ${fn}: prevC must have the shape of prevH [${Hp.shape}], got [${Cp.shape}]`);
  }
  // a = x Wx + h_{t-1} Wh + b: all four gates in one product of width 4H
  const a = X.matmul(WX).add(Hp.matmul(WH)).add(B);
  const inputGate = a.slice(1, 0, H).sigmoid();
  const forgetGate = a.slice(1, H, 2 * H).sigmoid();
  const outputGate = a.slice(1, 2 * H, 3 * H).sigmoid();
  const candidate = a.slice(1, 3 * H, 4 * H).tanh();
  // c_t = f * c_{t-1} + i * g
  const nextC = forgetGate.mul(Cp).add(inputGate.mul(candidate));
  // h_t = o * tanh(c_t)
  const tanhNextC = nextC.tanh();
  const nextH = outputGate.mul(tanhNextC);
  return { nextH, nextC, cache: { x: X, prevH: Hp, prevC: Cp, Wx: WX, Wh: WH, inputGate, forgetGate, outputGate, candidate, nextC, tanhNextC } };
}

/**
 * LSTM step backward. The cell gradient collects both paths:
 * `dc = dnextC + dnextH * o * (1 - tanh(c)^2)`; then `do = dnextH * tanh(c)`, `df = dc * prevC`,
 * `di = dc * g`, `dg = dc * i`, `dprevC = dc * f`; through the nonlinearities
 * `da_i = di i (1 - i)`, `da_f = df f (1 - f)`, `da_o = do o (1 - o)`, `da_g = dg (1 - g^2)`;
 * and with `da = [da_i, da_f, da_o, da_g]`: `dx = da Wx^T`, `dprevH = da Wh^T`, `dWx = x^T da`,
 * `dWh = prevH^T da`, `db = sum_n da`.
 *
 * Shapes: `dnextH [N, H]`, `dnextC [N, H]` -> `dx [N, D]`, `dprevH [N, H]`, `dprevC [N, H]`,
 * `dWx [D, 4H]`, `dWh [H, 4H]`, `db [4H]`.
 *
 * @example
 * ```ts
 * const { dx, dprevH, dprevC, dWx, dWh, db } = lstmStepBackward(dnextH, dnextC, cache);
 * ```
 */
export function lstmStepBackward(dnextH: ArrayLike, dnextC: ArrayLike, cache: LstmStepCache): { dx: NDArray; dprevH: NDArray; dprevC: NDArray; dWx: NDArray; dWh: NDArray; db: NDArray } {
  const dH = asNDArray(dnextH, "lstmStepBackward", "dnextH");
  const dC = asNDArray(dnextC, "lstmStepBackward", "dnextC");
  const { x, prevH, prevC, Wx, Wh, inputGate: i, forgetGate: f, outputGate: o, candidate: g, tanhNextC } = cache;
  for (const [name, d] of [
    ["dnextH", dH],
    ["dnextC", dC],
  ] as const) {
    if (d.ndim !== 2 || d.shape[0] !== prevH.shape[0] || d.shape[1] !== prevH.shape[1]) {
      throw new Error(`Error in lstmStepBackward: ${name} must have the shape of the hidden state [${prevH.shape}], got [${d.shape}]`);
    }
  }
  // dc = dnextC + dnextH * o * (1 - tanh(c)^2)
  const dc = dC.add(dH.mul(o).mul(tanhNextC.square().neg().add(1)));
  const dOutputGate = dH.mul(tanhNextC);
  const dForgetGate = dc.mul(prevC);
  const dInputGate = dc.mul(g);
  const dCandidate = dc.mul(i);
  const dprevC = dc.mul(f);
  // sigmoid'(a) = s (1 - s); tanh'(a) = 1 - tanh(a)^2
  const dSigmoid = (gate: NDArray, dGate: NDArray): NDArray => dGate.mul(gate).mul(gate.neg().add(1));
  const da = concat([dSigmoid(i, dInputGate), dSigmoid(f, dForgetGate), dSigmoid(o, dOutputGate), dCandidate.mul(g.square().neg().add(1))], 1);
  return {
    dx: da.matmul(Wx.T),
    dprevH: da.matmul(Wh.T),
    dprevC,
    dWx: x.T.matmul(da),
    dWh: prevH.T.matmul(da),
    db: da.sum(0),
  };
}
