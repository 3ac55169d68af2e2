/** Bar charts, grouped, with error bars. */
import { Figure } from "./figure";
import { BarTrace, Layout } from "./types";

/** One group of bars (one colour): a value per category, with optional error half-widths. */
export interface BarSeries {
  name?: string;
  y: number[];
  error?: number[];
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  logY?: boolean;
  width?: number;
  height?: number;
}

/**
 * A bar chart over `categories`; several series are grouped side by side, each with optional
 * error bars (e.g. mean +- std of accuracy over seeds).
 *
 * @example
 * ```ts
 * barChart(["MNIST", "Fashion"], [{ name: "sgd", y: [0.97, 0.86], error: [0.004, 0.01] }, { name: "adam", y: [0.98, 0.88] }]);
 * ```
 */
export function barChart(categories: string[], series: BarSeries[] | BarSeries, options: BarChartOptions = {}): Figure {
  const list = Array.isArray(series) ? series : [series];
  const data: BarTrace[] = list.map((s, i) => {
    if (s.y.length !== categories.length) {
      throw new Error(`Error in barChart: series ${i}${s.name ? ` ("${s.name}")` : ""} has ${s.y.length} values but there are ${categories.length} categories`);
    }
    if (s.error && s.error.length !== s.y.length) {
      throw new Error(`Error in barChart: series ${i}${s.name ? ` ("${s.name}")` : ""} has ${s.error.length} error values but ${s.y.length} values`);
    }
    const trace: BarTrace = { type: "bar", x: categories, y: s.y };
    if (s.name !== undefined) trace.name = s.name;
    if (s.error) trace.error_y = { type: "data", array: s.error, visible: true };
    return trace;
  });
  const layout: Layout = { barmode: "group", xaxis: { title: { text: options.xTitle ?? "" } }, yaxis: { title: { text: options.yTitle ?? "" }, ...(options.logY ? { type: "log" } : {}) } };
  if (options.title) layout.title = { text: options.title };
  if (options.width) layout.width = options.width;
  if (options.height) layout.height = options.height;
  return new Figure({ data, layout });
}
