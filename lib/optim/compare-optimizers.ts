/**
 * Running several update rules from the same start on a test surface, and showing their
 * trajectories (contours with paths), loss curves (log scale) and an animation of the paths.
 */
import { JUPYTER_DISPLAY, MimeBundle } from "../display";
import { NDArray } from "../ndarray/ndarray";
import { Figure } from "../plot/figure";
import { contourTrace } from "../plot/contour";
import { animationControls } from "../plot/animation";
import { Frame, Layout, ScatterTrace, Trace } from "../plot/types";
import { Surface } from "./surfaces";
import { RuleName, RuleConfigs, updateRules, isAdaptive, UpdateRule } from "./rules";

/** An optimizer to compare: a rule's name (its surface-suggested learning rate), a rule with config, or your own rule. */
export type OptimizerChoice = RuleName | { [K in RuleName]: { rule: K; name?: string; config?: Partial<RuleConfigs[K]> } }[RuleName] | TrajectoryOptimizer;

/** A stateful 2-D optimizer: `step(w, dw)` returns the next w. Make one from any rule with {@link withConfig}. */
export interface TrajectoryOptimizer {
  name: string;
  step(w: NDArray, dw: NDArray): NDArray;
}

/**
 * Wraps any update rule `(w, dw, config) => { nextW, config }` (yours too) with its starting config.
 *
 * @example
 * ```ts
 * compareOptimizers({ surface: rosenbrock(), steps: 300, optimizers: ["sgd", withConfig("my adam", myAdam, { learningRate: 0.05 })] });
 * ```
 */
export function withConfig<C>(name: string, rule: UpdateRule<C>, config: Partial<C> = {}): TrajectoryOptimizer {
  let state: Partial<C> = config;
  return {
    name,
    step(w, dw) {
      const out = rule(w, dw, state);
      state = out.config;
      return out.nextW;
    },
  };
}

/** The surface's suggested learning rate for a rule. */
function suggestedLearningRate(rule: RuleName, surface: Surface): number {
  if (isAdaptive(rule)) return surface.learningRates.adaptive;
  return rule === "sgd" ? surface.learningRates.sgd : surface.learningRates.momentum;
}

function resolve(choice: OptimizerChoice, surface: Surface): TrajectoryOptimizer {
  if (typeof choice === "string") {
    const rule = updateRules[choice] as UpdateRule<{ learningRate: number }>;
    if (!rule) throw new Error(`Error in compareOptimizers: unknown optimizer "${choice}"; use one of ${Object.keys(updateRules).join(", ")}`);
    return withConfig(choice, rule, { learningRate: suggestedLearningRate(choice, surface) });
  }
  if ("step" in choice) return choice;
  const rule = updateRules[choice.rule] as UpdateRule<{ learningRate: number }>;
  if (!rule) throw new Error(`Error in compareOptimizers: unknown rule "${choice.rule}"; use one of ${Object.keys(updateRules).join(", ")}`);
  const learningRate = suggestedLearningRate(choice.rule, surface);
  return withConfig(choice.name ?? choice.rule, rule, { learningRate, ...(choice.config as Partial<{ learningRate: number }>) });
}

/**
 * One colour per optimizer, by its position in `optimizers` (Plotly's default colour sequence).
 * Set on every trace of a run, in every panel and frame: left to itself, Plotly colours traces by
 * their index in the figure, so a run's loss curve would not match its path or legend entry.
 */
export const OPTIMIZER_COLORS: readonly string[] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/** `v` to 5 significant digits, which keeps figure JSON small (paths are drawn, not recomputed). */
function short(v: number): number {
  return Number(v.toPrecision(5));
}

/** One optimizer's run: its path, its loss at each point, and where it ended. */
export interface OptimizerRun {
  name: string;
  /** Positions visited, the start first (length steps + 1 unless it diverged). */
  x: number[];
  y: number[];
  /** `f(x_t, y_t)` at each position. */
  loss: number[];
  finalLoss: number;
  /** Distance from the end point to the surface's minimum, when it has one. */
  distanceToMinimum: number | undefined;
  /** True when the run left all finite numbers (|w| > 1e6 or NaN) and was stopped. */
  diverged: boolean;
}

/** What {@link compareOptimizers} takes. */
export interface CompareOptimizersSpec {
  surface: Surface;
  /** Start point (default: the surface's). */
  start?: [number, number];
  /** Number of steps (default 200). */
  steps?: number;
  optimizers: OptimizerChoice[];
  /** Frames of the animation (default 30). */
  frames?: number;
}

/**
 * The result of {@link compareOptimizers}: one run per optimizer, and its figures. In the notebook
 * it displays as one Plotly figure: contours with the paths (left), loss against step on a log
 * scale (right), with Play and a slider animating the paths.
 */
export class OptimizerComparison {
  constructor(
    readonly surface: Surface,
    readonly start: [number, number],
    readonly steps: number,
    readonly runs: OptimizerRun[],
    private readonly frameCount: number,
  ) {}

  /** The run of the optimizer named `name`. */
  run(name: string): OptimizerRun {
    const r = this.runs.find((run) => run.name === name);
    if (!r) throw new Error(`OptimizerComparison.run: no optimizer named "${name}"; runs are ${this.runs.map((x) => x.name).join(", ")}`);
    return r;
  }

  /** The loss shown on the log-scale plot: `f - f*` when the minimum is known, else `f`. */
  private shownLoss(run: OptimizerRun): number[] {
    const best = this.surface.minimum?.value;
    return best === undefined ? run.loss : run.loss.map((v) => Math.max(v - best, 1e-16));
  }

  private get logLoss(): boolean {
    return this.surface.minimum !== undefined;
  }

  /** The colour of the optimizer named `name`, the same in every panel and frame. */
  color(name: string): string {
    const i = this.runs.findIndex((run) => run.name === name);
    if (i < 0) throw new Error(`OptimizerComparison.color: no optimizer named "${name}"; runs are ${this.runs.map((x) => x.name).join(", ")}`);
    return OPTIMIZER_COLORS[i % OPTIMIZER_COLORS.length];
  }

  private pathTrace(run: OptimizerRun, upTo: number, axes: Partial<ScatterTrace>): ScatterTrace {
    const color = this.color(run.name);
    return {
      type: "scatter",
      mode: "lines+markers",
      name: run.name,
      legendgroup: run.name,
      x: run.x.slice(0, upTo).map(short),
      y: run.y.slice(0, upTo).map(short),
      line: { color },
      marker: { size: 3, color },
      ...axes,
    };
  }

  private lossTrace(run: OptimizerRun, upTo: number, axes: Partial<ScatterTrace>): ScatterTrace {
    const shown = this.shownLoss(run);
    return {
      type: "scatter",
      mode: "lines",
      name: run.name,
      legendgroup: run.name,
      showlegend: false,
      x: shown.slice(0, upTo).map((_, i) => i),
      y: shown.slice(0, upTo).map(short),
      line: { color: this.color(run.name) },
      ...axes,
    };
  }

  private contour(axes: Partial<Trace>): Trace {
    const s = this.surface;
    const trace = contourTrace((x, y) => s.f(x, y), s.xRange, s.yRange, { logScale: s.logContours, resolution: 70 });
    return { ...trace, z: trace.z.map((row) => row.map(short)), ...axes } as Trace;
  }

  /** Contours of the surface with one path per optimizer. */
  contourFigure(): Figure {
    const s = this.surface;
    const layout: Layout = { title: { text: `${s.name}: ${s.formula}` }, xaxis: { title: { text: "x" }, range: s.xRange }, yaxis: { title: { text: "y" }, range: s.yRange } };
    return new Figure({ data: [this.contour({}), ...this.runs.map((r) => this.pathTrace(r, r.x.length, {}))], layout });
  }

  /** Loss against step, on a log scale of `f - f*` when the minimum is known. */
  lossFigure(): Figure {
    const layout: Layout = {
      title: { text: `${this.surface.name}: ${this.logLoss ? "f - f* (log scale)" : "f"} against step` },
      xaxis: { title: { text: "step" } },
      yaxis: { title: { text: this.logLoss ? "f - f*" : "f" }, ...(this.logLoss ? { type: "log" as const } : {}) },
    };
    return new Figure({ data: this.runs.map((r) => ({ ...this.lossTrace(r, r.loss.length, {}), showlegend: true })), layout });
  }

  /** Steps shown in the animation's frames. */
  private frameSteps(): number[] {
    const n = Math.max(2, this.frameCount);
    const out = new Set<number>();
    for (let k = 0; k < n; k++) out.add(Math.round((k * this.steps) / (n - 1)));
    return [...out];
  }

  /** Contours and loss side by side, animated: the paths grow frame by frame (Play, or drag the slider). */
  animatedFigure(): Figure {
    const s = this.surface;
    const left = { xaxis: "x", yaxis: "y" };
    const right = { xaxis: "x2", yaxis: "y2" };
    const data: Trace[] = [this.contour(left), ...this.runs.map((r) => this.pathTrace(r, r.x.length, left)), ...this.runs.map((r) => this.lossTrace(r, r.loss.length, right))];
    // Frames redraw only the paths (the loss curves stay whole), every `stride`-th point, to keep the JSON small.
    const moving = this.runs.map((_, i) => i + 1);
    const stride = Math.max(1, Math.ceil(this.steps / 100));
    const upTo = (values: number[], step: number): number[] =>
      values
        .slice(0, step + 1)
        .filter((_, i) => i % stride === 0 || i === step)
        .map(short);
    const frames: Frame[] = this.frameSteps().map((step) => ({
      name: String(step),
      traces: moving,
      data: this.runs.map((r) => ({ x: upTo(r.x, step), y: upTo(r.y, step), line: { color: this.color(r.name) }, marker: { size: 3, color: this.color(r.name) } })),
    }));
    const lossValues = this.runs.flatMap((r) => this.shownLoss(r)).filter((v) => Number.isFinite(v) && v > 0);
    const yRange2: [number, number] | undefined = this.logLoss && lossValues.length > 0 ? [Math.log10(Math.min(...lossValues)) - 0.2, Math.log10(Math.max(...lossValues)) + 0.2] : undefined;
    const layout: Layout = {
      title: { text: `${s.name}: ${s.formula}, ${this.steps} steps` },
      xaxis: { title: { text: "x" }, range: s.xRange, domain: [0, 0.55] },
      yaxis: { title: { text: "y" }, range: s.yRange },
      xaxis2: { title: { text: "step" }, range: [0, this.steps], domain: [0.65, 1], anchor: "y2" },
      yaxis2: { title: { text: this.logLoss ? "f - f* (log)" : "f" }, anchor: "x2", ...(this.logLoss ? { type: "log" } : {}), ...(yRange2 ? { range: yRange2 } : {}) },
      width: 950,
      height: 450,
      ...animationControls(frames.map((f) => f.name)),
    };
    return new Figure({ data, layout, frames });
  }

  /** The three figures: contours with paths, loss curves, animation. */
  figures(): Figure[] {
    return [this.contourFigure(), this.lossFigure(), this.animatedFigure()];
  }

  /** A table: optimizer, final loss, distance to the minimum, diverged. */
  toString(): string {
    const lines = this.runs.map((r) => {
      const d = r.distanceToMinimum === undefined ? "" : `  |w - w*| ${r.distanceToMinimum.toExponential(2)}`;
      return `  ${r.name.padEnd(12)} f ${r.finalLoss.toExponential(3)}${d}${r.diverged ? "  DIVERGED" : ""}`;
    });
    return `Optimizers on ${this.surface.name} (${this.surface.formula}) from (${this.start.join(", ")}), ${this.steps} steps:\n${lines.join("\n")}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { ...this.animatedFigure()[JUPYTER_DISPLAY](), "text/plain": this.toString() };
  }
}

/**
 * Runs each optimizer for `steps` steps from `start` on `surface` with the surface's analytic
 * gradient, recording the path and the loss; stops a run that diverges (|w| > 1e6 or NaN).
 *
 * @example
 * ```ts
 * const cmp = compareOptimizers({ surface: illConditionedBowl(), steps: 100, optimizers: ["sgd", "sgdMomentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"] });
 * cmp;                            // contour + loss figure with an animation
 * cmp.run("adam").finalLoss;
 * ```
 */
export function compareOptimizers(spec: CompareOptimizersSpec): OptimizerComparison {
  const { surface } = spec;
  if (!surface || typeof surface.grad !== "function") throw new Error("Error in compareOptimizers: surface must be a Surface such as rosenbrock() or illConditionedBowl()");
  const start = spec.start ?? surface.start;
  const steps = spec.steps ?? 200;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`Error in compareOptimizers: steps must be a positive integer, got ${steps}`);
  if (!Array.isArray(spec.optimizers) || spec.optimizers.length === 0) throw new Error('Error in compareOptimizers: optimizers must list at least one, e.g. ["sgd", "adam"]');
  const runs = spec.optimizers.map((choice) => {
    const opt = resolve(choice, surface);
    let w = new NDArray([2], Float64Array.from(start));
    const xs = [start[0]];
    const ys = [start[1]];
    const loss = [surface.f(start[0], start[1])];
    let diverged = false;
    for (let t = 0; t < steps; t++) {
      const [gx, gy] = surface.grad(w.data[0], w.data[1]);
      w = opt.step(w, new NDArray([2], Float64Array.of(gx, gy)));
      const [x, y] = w.data;
      const f = surface.f(x, y);
      if (!Number.isFinite(f) || !Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 1e6 || Math.abs(y) > 1e6) {
        diverged = true;
        break;
      }
      xs.push(x);
      ys.push(y);
      loss.push(f);
    }
    const last = xs.length - 1;
    const min = surface.minimum?.at;
    return {
      name: opt.name,
      x: xs,
      y: ys,
      loss,
      finalLoss: loss[last],
      distanceToMinimum: min ? Math.hypot(xs[last] - min[0], ys[last] - min[1]) : undefined,
      diverged,
    };
  });
  return new OptimizerComparison(surface, start, steps, runs, spec.frames ?? 30);
}
