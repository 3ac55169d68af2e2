/** A Plotly figure that displays itself in the notebook. */
import { JUPYTER_DISPLAY, MimeBundle } from "../display";
import { Frame, Layout, Trace, FigureSpec } from "./types";

/** The MIME type of Plotly figure JSON; JupyterLab renders it, and the kernel adds an offline HTML fallback. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/**
 * A Plotly figure: `data` (traces), `layout`, and optional animation `frames`.
 * In a notebook it shows as an interactive plot; its `text/plain` is a one-line summary.
 *
 * @example
 * ```ts
 * const fig = figure({ data: [{ type: "scatter", x: [0, 1, 2], y: [1, 0.5, 0.2] }], layout: { title: { text: "loss" } } });
 * fig; // displays the plot in the notebook
 * ```
 */
export class Figure {
  readonly data: Trace[];
  readonly layout: Layout;
  readonly frames: Frame[] | undefined;

  constructor(spec: FigureSpec) {
    if (!spec || !Array.isArray(spec.data)) {
      throw new Error("Error in figure: the spec needs a data array of traces, e.g. figure({ data: [{ type: 'scatter', y: [1, 2] }] })");
    }
    this.data = spec.data;
    this.layout = spec.layout ?? {};
    this.frames = spec.frames;
  }

  /** The figure's title text, if any. */
  get title(): string | undefined {
    return this.layout.title?.text;
  }

  /** The Plotly JSON `{ data, layout, frames? }`. */
  toJSON(): FigureSpec {
    return this.frames ? { data: this.data, layout: this.layout, frames: this.frames } : { data: this.data, layout: this.layout };
  }

  /** One line: `Figure "loss" with 3 traces (scatter x3), 40 frames`. */
  summary(): string {
    const counts = new Map<string, number>();
    for (const t of this.data) counts.set(t.type, (counts.get(t.type) ?? 0) + 1);
    const kinds = [...counts].map(([k, n]) => (n > 1 ? `${k} x${n}` : k)).join(", ");
    const title = this.title ? ` "${this.title}"` : "";
    const frames = this.frames ? `, ${this.frames.length} frames` : "";
    return `Figure${title} with ${this.data.length} trace${this.data.length === 1 ? "" : "s"}${kinds ? ` (${kinds})` : ""}${frames}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { [PLOTLY_MIME]: this.toJSON(), "text/plain": this.summary() };
  }

  toString(): string {
    return this.summary();
  }
}

/**
 * Makes a {@link Figure} from Plotly JSON.
 *
 * @example
 * ```ts
 * figure({ data: [{ type: "bar", x: ["sgd", "adam"], y: [0.91, 0.97] }], layout: { title: { text: "accuracy" } } });
 * ```
 */
export function figure(spec: FigureSpec): Figure {
  return new Figure(spec);
}
