/** Contour plots of a function of two variables, with optional paths drawn on top. */
import { Figure } from "./figure";
import { ContourTrace, Layout, ScatterTrace } from "./types";

/** Options of {@link contourPlot}. */
export interface ContourOptions {
  title?: string;
  /** Grid points per axis (default 80). */
  resolution?: number;
  /** Plot `log(1 + f - min f)` so deep narrow valleys (Rosenbrock) stay visible. */
  logScale?: boolean;
  ncontours?: number;
  colorscale?: string;
  /** Paths drawn over the contours, e.g. optimizer trajectories. */
  paths?: { name: string; x: number[]; y: number[] }[];
  width?: number;
  height?: number;
}

/**
 * Samples `f(x, y)` on a grid: `z[row][col] = f(xs[col], ys[row])`.
 *
 * @example
 * ```ts
 * const { xs, ys, z } = gridSample((x, y) => x * x - y * y, [-1, 1], [-1, 1], 50);
 * ```
 */
export function gridSample(f: (x: number, y: number) => number, xRange: [number, number], yRange: [number, number], resolution = 80): { xs: number[]; ys: number[]; z: number[][] } {
  const axis = ([lo, hi]: [number, number]): number[] => Array.from({ length: resolution }, (_, i) => lo + ((hi - lo) * i) / (resolution - 1));
  const xs = axis(xRange);
  const ys = axis(yRange);
  const z = ys.map((y) => xs.map((x) => f(x, y)));
  return { xs, ys, z };
}

/** The contour trace of `f` over a box (see {@link gridSample}). */
export function contourTrace(f: (x: number, y: number) => number, xRange: [number, number], yRange: [number, number], options: ContourOptions = {}): ContourTrace {
  const { xs, ys, z } = gridSample(f, xRange, yRange, options.resolution ?? 80);
  let shown = z;
  if (options.logScale) {
    const min = Math.min(...z.map((row) => Math.min(...row)));
    shown = z.map((row) => row.map((v) => Math.log1p(v - min)));
  }
  return {
    type: "contour",
    x: xs,
    y: ys,
    z: shown,
    ncontours: options.ncontours ?? 30,
    colorscale: options.colorscale ?? "Viridis",
    contours: { coloring: "lines" },
    showscale: false,
    name: options.logScale ? "log(1 + f - min f)" : "f",
  };
}

/**
 * A contour plot of `f(x, y)` over the box `xRange x yRange`, with optional paths on top.
 *
 * @example
 * ```ts
 * contourPlot((x, y) => 0.1 * x * x + 2 * y * y, [-5, 5], [-3, 3], { paths: [{ name: "sgd", x: xs, y: ys }] });
 * ```
 */
export function contourPlot(f: (x: number, y: number) => number, xRange: [number, number], yRange: [number, number], options: ContourOptions = {}): Figure {
  const paths: ScatterTrace[] = (options.paths ?? []).map((p) => ({ type: "scatter", mode: "lines+markers", name: p.name, x: p.x, y: p.y, marker: { size: 3 } }));
  const layout: Layout = {
    xaxis: { title: { text: "x" }, range: xRange },
    yaxis: { title: { text: "y" }, range: yRange },
  };
  if (options.title) layout.title = { text: options.title };
  if (options.width) layout.width = options.width;
  if (options.height) layout.height = options.height;
  return new Figure({ data: [contourTrace(f, xRange, yRange, options), ...paths], layout });
}
