/** The shape checks shared by the recurrent layers, with messages naming the layer and argument. */
import { NDArray, shapeString } from "../ndarray/ndarray";
import { expectRank } from "../ndarray/as-ndarray";

/**
 * Checks `x [N, D]`, `prevH [N, H]`, `Wx [D, G*H]`, `Wh [H, G*H]`, `b [G*H]` where `G` is the number
 * of gate blocks (1 for a vanilla RNN, 4 for an LSTM), and returns `{ N, D, H }`.
 */
export function checkRecurrentShapes(fnName: string, x: NDArray, prevH: NDArray, Wx: NDArray, Wh: NDArray, b: NDArray, gates: number): { N: number; D: number; H: number } {
  expectRank(x, 2, fnName, "x", "[N, D]");
  expectRank(prevH, 2, fnName, "prevH", "[N, H]");
  expectRank(Wx, 2, fnName, "Wx", gates === 1 ? "[D, H]" : `[D, ${gates}H]`);
  expectRank(Wh, 2, fnName, "Wh", gates === 1 ? "[H, H]" : `[H, ${gates}H]`);
  expectRank(b, 1, fnName, "b", gates === 1 ? "[H]" : `[${gates}H]`);
  const [N, D] = x.shape;
  const H = prevH.shape[1];
  const all = `x ${shapeString(x.shape)}, prevH ${shapeString(prevH.shape)}, Wx ${shapeString(Wx.shape)}, Wh ${shapeString(Wh.shape)}, b ${shapeString(b.shape)}`;
  const G = gates === 1 ? "H" : `${gates}H`;
  const expect = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`Error in ${fnName}: ${what}; shapes are ${all}`);
  };
  expect(prevH.shape[0] === N, `x and prevH must have the same batch size N, got ${N} and ${prevH.shape[0]}`);
  expect(Wx.shape[0] === D, `Wx must have D = ${D} rows (x's axis 1), got ${Wx.shape[0]}`);
  expect(Wx.shape[1] === gates * H, `Wx must have ${G} = ${gates * H} columns (H = ${H} from prevH), got ${Wx.shape[1]}`);
  expect(Wh.shape[0] === H && Wh.shape[1] === gates * H, `Wh must be [${H}, ${gates * H}], got ${shapeString(Wh.shape)}`);
  expect(b.shape[0] === gates * H, `b must have ${G} = ${gates * H} entries, got ${b.shape[0]}`);
  return { N, D, H };
}

/** Checks a sequence `x [N, T, D]` and an initial state `h0 [N, H]`; returns `{ N, T, D }`. */
export function checkSequence(fnName: string, x: NDArray, h0: NDArray): { N: number; T: number; D: number } {
  expectRank(x, 3, fnName, "x", "[N, T, D]");
  expectRank(h0, 2, fnName, "h0", "[N, H]");
  if (x.shape[0] !== h0.shape[0]) {
    throw new Error(`Error in ${fnName}: x and h0 must have the same batch size N, got x ${shapeString(x.shape)} and h0 ${shapeString(h0.shape)}`);
  }
  const [N, T, D] = x.shape;
  return { N, T, D };
}
