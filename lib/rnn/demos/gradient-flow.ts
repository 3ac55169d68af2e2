/**
 * The lecture's vanishing and exploding gradients, measured: the norm of dL/dh_t against t when
 * the loss sits at the last step, for a vanilla RNN and an LSTM with recurrent weights scaled
 * below and above 1.
 */
import { JUPYTER_DISPLAY, MimeBundle } from "../../display";
import { NDArray } from "../../ndarray/ndarray";
import { rng } from "../../ndarray/random";
import { zeros } from "../../ndarray/create";
import { Figure } from "../../plot/figure";
import { linePlot } from "../../plot/line";
import { CellType } from "../recurrent";
import { rnnForward } from "../rnn";
import { rnnStepBackward } from "../rnn-step";
import { lstmForward } from "../lstm";
import { lstmStepBackward } from "../lstm-step";
import { randomOrthogonal } from "./orthogonal";

/** What {@link gradientFlow} takes (all optional). */
export interface GradientFlowSpec {
  /** Sequence length (default 40). */
  T?: number;
  /** Hidden size (default 32). */
  hidden?: number;
  /** Input size (default 8). */
  inputSize?: number;
  /** Batch size averaged over (default 4). */
  batch?: number;
  /** Scales of the recurrent weights `Wh = scale * Q`, Q orthogonal (default [0.5, 1, 2]). */
  scales?: number[];
  cells?: CellType[];
  /** Standard deviation of the inputs (default 0.1, keeping tanh near its linear range at first). */
  inputScale?: number;
  /** Forget-gate bias of the LSTM (default 1, the usual initialisation). */
  forgetBias?: number;
  seed?: number;
}

/** One curve: `norms[k]` is the norm of dL/dh_t at `t = T - 1 - k` (k steps back from the loss). */
export interface GradientFlowCurve {
  cell: CellType;
  scale: number;
  norms: number[];
}

/**
 * The measured gradient norms; displays as a Plotly figure of norm against steps back from the
 * loss (log scale), one line per cell and scale.
 */
export class GradientFlowResult {
  constructor(
    readonly T: number,
    readonly curves: GradientFlowCurve[],
  ) {}

  /** The curve for `cell` at `scale`. */
  curve(cell: CellType, scale: number): GradientFlowCurve {
    const c = this.curves.find((x) => x.cell === cell && x.scale === scale);
    if (!c) throw new Error(`GradientFlowResult.curve: no curve for ${cell} at scale ${scale}; have ${this.curves.map((x) => `${x.cell} ${x.scale}`).join(", ")}`);
    return c;
  }

  figure(): Figure {
    return linePlot(
      this.curves.map((c) => ({ name: `${c.cell.toUpperCase()}, W_hh scale ${c.scale}`, y: c.norms.map((v) => Math.max(v, 1e-300)), dash: c.cell === "lstm" ? ("dash" as const) : undefined })),
      { title: "Gradient norm ||dL/dh_t|| against steps back from the loss", xTitle: "steps back from the loss (T - 1 - t)", yTitle: "||dL/dh_t||", logY: true },
    );
  }

  toString(): string {
    const lines = this.curves.map(
      (c) => `  ${c.cell.padEnd(4)} scale ${String(c.scale).padEnd(4)} ||dL/dh|| at the loss ${c.norms[0].toExponential(2)}, ${this.T - 1} steps back ${c.norms[this.T - 1].toExponential(2)}`,
    );
    return `Gradient flow over ${this.T} steps:\n${lines.join("\n")}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { ...this.figure()[JUPYTER_DISPLAY](), "text/plain": this.toString() };
  }
}

/**
 * Backpropagates a loss on the last hidden state through T steps and records `||dL/dh_t||` at each
 * step, averaged over a small batch: for the vanilla RNN each step back multiplies the gradient (a row) by
 * `diag(1 - h^2) Wh^T`, so its norm is at most `scale^k` times the tanh slopes (vanishing below 1;
 * above 1 it explodes in tanh's linear range, and with these random orthogonal weights also once
 * tanh saturates, more slowly); the LSTM's additive cell path `c_t = f c_{t-1} + i g` carries it
 * much further when the forget gate is near 1 (`forgetBias` 3: f about 0.95).
 *
 * @example
 * ```ts
 * const flow = gradientFlow({ T: 40, scales: [0.5, 1, 2] });
 * flow;                                 // the figure
 * flow.curve("rnn", 0.5).norms[30];     // ~4e-9
 * ```
 */
export function gradientFlow(spec: GradientFlowSpec = {}): GradientFlowResult {
  const T = spec.T ?? 40;
  const H = spec.hidden ?? 32;
  const D = spec.inputSize ?? 8;
  const N = spec.batch ?? 4;
  const scales = spec.scales ?? [0.5, 1, 2];
  const cells = spec.cells ?? ["rnn", "lstm"];
  const inputScale = spec.inputScale ?? 0.1;
  const forgetBias = spec.forgetBias ?? 1;
  const curves: GradientFlowCurve[] = [];
  for (const cell of cells) {
    for (const scale of scales) {
      const r = rng(spec.seed ?? 0);
      const x = r.randn(N, T, D).mul(inputScale);
      const h0 = zeros(N, H);
      const dLoss = r.randn(N, H);
      const norms: number[] = [];
      if (cell === "rnn") {
        const Wx = r.randn(D, H).mul(1 / Math.sqrt(D));
        const Wh = randomOrthogonal(r, H).mul(scale);
        const { cache } = rnnForward(x, h0, Wx, Wh, zeros(H));
        let dh: NDArray = dLoss;
        for (let t = T - 1; t >= 0; t--) {
          norms.push(dh.norm() / Math.sqrt(N));
          dh = rnnStepBackward(dh, cache.steps[t]).dprevH;
        }
      } else {
        const Wx = r.randn(D, 4 * H).mul(1 / Math.sqrt(D));
        // each gate's recurrent block is scale * (its own orthogonal matrix)
        const blocks = [0, 1, 2, 3].map(() => randomOrthogonal(r, H).mul(scale));
        const Wh = new NDArray([H, 4 * H]);
        blocks.forEach((B, g) => {
          for (let i = 0; i < H; i++) Wh.data.set(B.data.subarray(i * H, (i + 1) * H), i * 4 * H + g * H);
        });
        const b = zeros(4 * H);
        for (let j = H; j < 2 * H; j++) b.data[j] = forgetBias;
        const { cache } = lstmForward(x, h0, Wx, Wh, b);
        let dh: NDArray = dLoss;
        let dc: NDArray = zeros(N, H);
        for (let t = T - 1; t >= 0; t--) {
          norms.push(dh.norm() / Math.sqrt(N));
          const step = lstmStepBackward(dh, dc, cache.steps[t]);
          dh = step.dprevH;
          dc = step.dprevC;
        }
      }
      curves.push({ cell, scale, norms });
    }
  }
  return new GradientFlowResult(T, curves);
}
