/** A gradient check of a whole layer: numerical against analytic gradient for each input. */
import { JUPYTER_DISPLAY, MimeBundle } from "../display";
import { NDArray, ArrayLike, shapeString } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";
import { rng } from "../ndarray/random";
import { relError } from "./rel-error";
import { evalNumericalGradient, evalNumericalGradientArray } from "./numerical-gradient";

/** One line of a gradient check: the input, its shape, and how far analytic and numerical gradients are apart. */
export interface GradCheckRow {
  name: string;
  shape: number[];
  relError: number;
  threshold: number;
  passed: boolean;
}

/**
 * The result of {@link gradCheck}: one row per input; displays as a table in the notebook.
 *
 * @example
 * ```ts
 * const report = gradCheck({ ... });
 * report.passed;         // true when every input is within its threshold
 * report.assertPassed(); // throws, naming the worst input, when not
 * ```
 */
export class GradCheckReport {
  constructor(
    readonly title: string,
    readonly rows: GradCheckRow[],
  ) {}

  /** True when every row is within its threshold. */
  get passed(): boolean {
    return this.rows.every((r) => r.passed);
  }

  /** The row with the largest relative error. */
  get worst(): GradCheckRow | undefined {
    return this.rows.reduce<GradCheckRow | undefined>((w, r) => (!w || !(r.relError <= w.relError) ? r : w), undefined);
  }

  /** Throws an error that names each failing input, its relative error and the threshold. */
  assertPassed(): void {
    const failing = this.rows.filter((r) => !r.passed);
    if (failing.length > 0) {
      const lines = failing.map((r) => `${r.name} ${shapeString(r.shape)}: relative error ${r.relError.toExponential(2)} > ${r.threshold.toExponential(0)}`);
      throw new Error(`Gradient check ${this.title} failed: ${lines.join("; ")}. Compare your backward pass for ${failing.map((r) => r.name).join(", ")} with the forward formulas.`);
    }
  }

  /** Plain-text table. */
  toString(): string {
    const lines = this.rows.map(
      (r) => `  ${r.passed ? "ok  " : "FAIL"} ${r.name.padEnd(8)} ${shapeString(r.shape).padEnd(12)} rel error ${r.relError.toExponential(2)} (threshold ${r.threshold.toExponential(0)})`,
    );
    return `Gradient check ${this.title}: ${this.passed ? "passed" : "FAILED"}\n${lines.join("\n")}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const rows = this.rows
      .map(
        (r) =>
          `<tr><td>${r.name}</td><td>${shapeString(r.shape)}</td><td>${r.relError.toExponential(2)}</td><td>${r.threshold.toExponential(0)}</td><td style="color:${r.passed ? "green" : "red"}">${r.passed ? "✓" : "✗"}</td></tr>`,
      )
      .join("");
    return {
      "text/plain": this.toString(),
      "text/html": `<div><b>Gradient check ${this.title}</b>: ${this.passed ? "passed" : '<span style="color:red">FAILED</span>'}<table><tr><th>input</th><th>shape</th><th>relative error</th><th>threshold</th><th></th></tr>${rows}</table></div>`,
    };
  }
}

/** What {@link gradCheck} takes. */
export interface GradCheckSpec {
  /** Shown in the report's title, e.g. "rnnStepBackward". */
  name?: string;
  /** The forward function of all inputs: an array output (then `dout` is used) or a scalar loss. */
  f: (inputs: Record<string, NDArray>) => NDArray | number;
  /** The inputs at which to check. They are changed in place during the check and restored. */
  inputs: Record<string, ArrayLike>;
  /** The analytic gradients from your backward pass, keyed like `inputs` (only these are checked). */
  analytic: Record<string, ArrayLike>;
  /** Upstream gradient on an array output (default: standard normal with seed 0). */
  dout?: ArrayLike;
  /** Finite-difference step (default 1e-5). */
  h?: number;
  /** Largest accepted relative error, one for all or per input (default 1e-7). */
  threshold?: number | Record<string, number>;
}

/**
 * Checks a backward pass: for each input named in `analytic`, the numerical gradient of
 * `sum(f(inputs) * dout)` (or of the scalar `f`) by centered differences against the analytic
 * one, with CS231n's relative error.
 *
 * @example
 * ```ts
 * const { nextH, cache } = rnnStepForward(x, prevH, Wx, Wh, b);
 * const grads = rnnStepBackward(dnextH, cache);
 * gradCheck({
 *   name: "rnnStep",
 *   f: (p) => rnnStepForward(p.x, p.prevH, p.Wx, p.Wh, p.b).nextH,
 *   inputs: { x, prevH, Wx, Wh, b },
 *   analytic: { x: grads.dx, prevH: grads.dprevH, Wx: grads.dWx, Wh: grads.dWh, b: grads.db },
 *   dout: dnextH,
 *   threshold: 1e-8,
 * }); // displays a table with one row per input
 * ```
 */
export function gradCheck(spec: GradCheckSpec): GradCheckReport {
  const inputs: Record<string, NDArray> = {};
  for (const [key, value] of Object.entries(spec.inputs)) inputs[key] = asNDArray(value, "gradCheck", `inputs.${key}`).copy();
  const h = spec.h ?? 1e-5;
  const rows: GradCheckRow[] = [];
  let dout: NDArray | undefined = spec.dout === undefined ? undefined : asNDArray(spec.dout, "gradCheck", "dout");
  for (const [key, value] of Object.entries(spec.analytic)) {
    const x = inputs[key];
    if (!x) throw new Error(`Error in gradCheck: analytic.${key} has no matching input; inputs are ${Object.keys(inputs).join(", ")}`);
    const analytic = asNDArray(value, "gradCheck", `analytic.${key}`);
    if (analytic.size !== x.size) {
      throw new Error(`Error in gradCheck: analytic.${key} has shape ${shapeString(analytic.shape)} but input ${key} has shape ${shapeString(x.shape)}; a gradient has its input's shape`);
    }
    const probe = spec.f(inputs);
    let numeric: NDArray;
    if (typeof probe === "number") {
      numeric = evalNumericalGradient(() => spec.f(inputs) as number, x, h);
    } else {
      dout ??= rng(0).randn(...probe.shape);
      numeric = evalNumericalGradientArray(() => spec.f(inputs) as NDArray, x, dout, h);
    }
    const threshold = typeof spec.threshold === "number" ? spec.threshold : (spec.threshold?.[key] ?? 1e-7);
    const error = relError(numeric, analytic.reshape(...numeric.shape));
    rows.push({ name: key, shape: x.shape, relError: error, threshold, passed: error <= threshold });
  }
  return new GradCheckReport(spec.name ?? "", rows);
}
