/**
 * Types for Plotly figures: the traces and layout fields the course uses. Each type lists the
 * attributes we rely on; Plotly has many more, which stay allowed (values typed `unknown`).
 */

/**
 * A title: the plotly.js this package uses (plotly.js-dist 4) draws only the object form
 * `{ text: "loss" }` and silently ignores a bare string, so every title here is an object.
 */
export interface Title {
  text: string;
  font?: { size?: number; color?: string; family?: string; [attribute: string]: unknown };
  [attribute: string]: unknown;
}

/** A colour bar beside a contour or heatmap; its title is a {@link Title} object too. */
export interface ColorBar {
  title?: Title;
  [attribute: string]: unknown;
}

/** One axis of values: numbers, or category labels. */
export type Values = number[] | string[];

/** A colour scale: a named one ("Viridis") or `[fraction, colour]` stops. */
export type ColorScale = string | [number, string][];

/** Line styling. */
export interface LineStyle {
  color?: string;
  width?: number;
  dash?: "solid" | "dot" | "dash" | "longdash" | "dashdot" | "longdashdot";
  [attribute: string]: unknown;
}

/** Marker styling. */
export interface MarkerStyle {
  color?: string | string[] | number[];
  size?: number | number[];
  symbol?: string;
  [attribute: string]: unknown;
}

/** Error bars: `array` gives the half-width of each bar (symmetric). */
export interface ErrorBars {
  type: "data" | "percent" | "constant" | "sqrt";
  array?: number[];
  value?: number;
  visible?: boolean;
  [attribute: string]: unknown;
}

/** Attributes every trace may carry. */
export interface TraceBase {
  name?: string;
  showlegend?: boolean;
  legendgroup?: string;
  xaxis?: string;
  yaxis?: string;
  hovertemplate?: string;
  visible?: boolean | "legendonly";
  [attribute: string]: unknown;
}

/** Lines and markers: `{ type: "scatter", x, y, mode: "lines" }`. */
export interface ScatterTrace extends TraceBase {
  type: "scatter";
  x?: Values;
  y: Values;
  mode?: "lines" | "markers" | "lines+markers" | "text" | "lines+text" | "markers+text" | "lines+markers+text";
  line?: LineStyle;
  marker?: MarkerStyle;
  text?: string | string[];
  error_y?: ErrorBars;
}

/** Contour lines of `z[row][col]` over the grid `x` (columns) and `y` (rows). */
export interface ContourTrace extends TraceBase {
  type: "contour";
  z: number[][];
  x?: number[];
  y?: number[];
  colorscale?: ColorScale;
  ncontours?: number;
  contours?: { coloring?: "fill" | "heatmap" | "lines" | "none"; showlabels?: boolean; [attribute: string]: unknown };
  showscale?: boolean;
  colorbar?: ColorBar;
}

/** Bars, optionally with error bars. */
export interface BarTrace extends TraceBase {
  type: "bar";
  x: Values;
  y: Values;
  orientation?: "v" | "h";
  error_y?: ErrorBars;
  error_x?: ErrorBars;
  marker?: MarkerStyle;
  text?: string | string[];
}

/** A colour-mapped matrix `z[row][col]`. */
export interface HeatmapTrace extends TraceBase {
  type: "heatmap";
  z: number[][];
  x?: Values;
  y?: Values;
  colorscale?: ColorScale;
  reversescale?: boolean;
  showscale?: boolean;
  zmin?: number;
  zmax?: number;
  text?: string[][];
  texttemplate?: string;
  colorbar?: ColorBar;
}

/** Any trace this library builds. */
export type Trace = ScatterTrace | ContourTrace | BarTrace | HeatmapTrace;

/** One axis of the layout. */
export interface AxisLayout {
  /** `{ text: "step" }`; a bare string does not compile (plotly.js would not draw it). */
  title?: Title;
  type?: "linear" | "log" | "category";
  range?: [number, number];
  autorange?: boolean | "reversed";
  scaleanchor?: string;
  showticklabels?: boolean;
  domain?: [number, number];
  [attribute: string]: unknown;
}

/** An animation control (the play button of an animated figure). */
export interface UpdateMenu {
  type: "buttons" | "dropdown";
  showactive?: boolean;
  buttons: { label: string; method: "animate" | "restyle" | "relayout" | "update"; args: unknown[] }[];
  [attribute: string]: unknown;
}

/** A slider over frames. */
export interface Slider {
  steps: { label: string; method: "animate"; args: unknown[] }[];
  [attribute: string]: unknown;
}

/**
 * Figure layout: title, axes (`xaxis`, `yaxis`, `xaxis2`, ...), size, grid, animation controls.
 * Titles are objects, `title: { text: "loss" }`: plotly.js ignores the string form.
 */
export interface Layout {
  title?: Title;
  width?: number;
  height?: number;
  showlegend?: boolean;
  xaxis?: AxisLayout;
  yaxis?: AxisLayout;
  grid?: { rows: number; columns: number; pattern?: "independent" | "coupled"; [attribute: string]: unknown };
  barmode?: "group" | "stack" | "overlay";
  updatemenus?: UpdateMenu[];
  sliders?: Slider[];
  /** The further axes of subplots: `xaxis2`, `yaxis3`, ... */
  [axis: `xaxis${number}`]: AxisLayout | undefined;
  [axis: `yaxis${number}`]: AxisLayout | undefined;
  [attribute: string]: unknown;
}

/** One animation frame: the trace data that changes (matched by index to `traces`). */
export interface Frame {
  name: string;
  data: Partial<Trace>[];
  traces?: number[];
  layout?: Layout;
}

/** What {@link figure} takes: the JSON that Plotly's `newPlot` / `animate` read. */
export interface FigureSpec {
  data: Trace[];
  layout?: Layout;
  frames?: Frame[];
}
