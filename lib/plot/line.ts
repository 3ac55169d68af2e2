/** Line plots: one or more curves against a shared or own x. */
import { Figure } from "./figure";
import { Layout, ScatterTrace } from "./types";

/** One curve of a line plot. `x` defaults to 0, 1, 2, ... */
export interface Series {
  name?: string;
  x?: number[];
  y: number[];
  /** Half-width of an error band drawn as error bars at each point. */
  error?: number[];
  dash?: "solid" | "dot" | "dash";
  color?: string;
}

/** Options of {@link linePlot}. */
export interface LinePlotOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** Logarithmic y axis (loss curves). */
  logY?: boolean;
  logX?: boolean;
  markers?: boolean;
  width?: number;
  height?: number;
}

/** The scatter trace of one series. */
export function lineTrace(series: Series, markers = false): ScatterTrace {
  const trace: ScatterTrace = {
    type: "scatter",
    mode: markers ? "lines+markers" : "lines",
    x: series.x ?? series.y.map((_, i) => i),
    y: series.y,
  };
  if (series.name !== undefined) trace.name = series.name;
  if (series.dash || series.color) trace.line = { ...(series.dash ? { dash: series.dash } : {}), ...(series.color ? { color: series.color } : {}) };
  if (series.error) trace.error_y = { type: "data", array: series.error, visible: true };
  return trace;
}

/**
 * A line plot of one or more series, e.g. loss against step for several optimizers.
 *
 * @example
 * ```ts
 * linePlot([{ name: "sgd", y: lossSgd }, { name: "adam", y: lossAdam }], { title: "loss", logY: true, xTitle: "step" });
 * ```
 */
export function linePlot(series: Series[] | Series, options: LinePlotOptions = {}): Figure {
  const list = Array.isArray(series) ? series : [series];
  list.forEach((s, i) => {
    if (!s || !Array.isArray(s.y)) throw new Error(`Error in linePlot: series ${i} needs a y array of numbers`);
    if (s.x && s.x.length !== s.y.length) throw new Error(`Error in linePlot: series ${i}${s.name ? ` ("${s.name}")` : ""} has ${s.x.length} x values but ${s.y.length} y values`);
  });
  const layout: Layout = {
    xaxis: { title: { text: options.xTitle ?? "" }, ...(options.logX ? { type: "log" } : {}) },
    yaxis: { title: { text: options.yTitle ?? "" }, ...(options.logY ? { type: "log" } : {}) },
  };
  if (options.title) layout.title = { text: options.title };
  if (options.width) layout.width = options.width;
  if (options.height) layout.height = options.height;
  return new Figure({ data: list.map((s) => lineTrace(s, options.markers)), layout });
}
