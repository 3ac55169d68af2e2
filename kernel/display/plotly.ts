/**
 * Plotly figures (`{ data, layout }`) as `application/vnd.plotly.v1+json`, plus a `text/html`
 * fallback that draws the figure offline: the first figure of a kernel session carries
 * plotly.js itself (from the plotly.js-dist package, about 10 MB, inlined once), later ones reuse
 * it. The library is left out when the front end draws the Plotly MIME type itself: the course's
 * JupyterLab extension says so by opening a comm to FRONTEND_COMM_TARGET with
 * `{ renders: ["application/vnd.plotly.v1+json"] }` (lab/extension/src/plugin.ts), or
 * WORKBOOK_PLOTLY_INLINE=0 is in the kernel's environment.
 */
import * as fs from "fs";
import { randomUUID } from "crypto";
import type { MimeBundle } from "../../lib/display";
import { PACKAGE_ROOT } from "../info";
import { asText } from "../wire";
import * as path from "path";

/** A Plotly figure: traces and an optional layout and config. */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  frames?: unknown[];
}

const FIGURE_KEYS = new Set(["data", "layout", "config", "frames"]);

/** True for a plain `{ data: [...traces], layout?, config? }` object. */
export function isPlotlyFigure(value: unknown): value is PlotlyFigure {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const fig = value as Partial<PlotlyFigure>;
  if (!Array.isArray(fig.data) || fig.data.length === 0) return false;
  if (!Object.keys(value).every((k) => FIGURE_KEYS.has(k))) return false;
  return fig.data.every((trace) => typeof trace === "object" && trace !== null && ("x" in trace || "y" in trace || "z" in trace || "type" in trace || "values" in trace));
}

let plotlyInlined = false;
let frontendRendersPlotly = false;

/** The comm target the course's JupyterLab extension opens to say which MIME types it renders. */
export const FRONTEND_COMM_TARGET = "dl-workbook.frontend";
/** The Plotly MIME type. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/**
 * Handles the front end's announcement (comm_open data `{ renders: string[] }`): when it renders
 * the Plotly MIME type, figures from now on carry no plotly.js in their HTML fallback.
 * @example comms.registerTarget(FRONTEND_COMM_TARGET, (comm, data) => frontendAnnounced(data))
 */
export function frontendAnnounced(data: Record<string, unknown>): void {
  if (Array.isArray(data.renders) && data.renders.includes(PLOTLY_MIME)) frontendRendersPlotly = true;
}

/** True once a front end said it renders the Plotly MIME type (see {@link frontendAnnounced}). */
export function plotlyRenderedByFrontend(): boolean {
  return frontendRendersPlotly;
}

/** Starts a new session: the next figure inlines plotly.js again (after a kernel restart this is a new process anyway). */
export function resetPlotlyInlining(): void {
  plotlyInlined = false;
}

function plotlySource(): string {
  const file = path.join(path.dirname(require.resolve("plotly.js-dist/package.json", { paths: [PACKAGE_ROOT] })), "plotly.js");
  // A "</script" inside the library would end the <script> element early.
  return fs.readFileSync(file, "utf8").replace(/<\/script/gi, "<\\/script");
}

/** The offline HTML for a figure (see file comment). */
export function plotlyHtml(figure: PlotlyFigure): string {
  const id = `dl-workbook-plot-${randomUUID()}`;
  const spec = JSON.stringify({ data: figure.data, layout: figure.layout ?? {}, config: { responsive: true, ...(figure.config ?? {}) } }).replace(/<\//g, "<\\/");
  let library = "";
  // Left out where the front end draws the JSON itself (smaller notebooks; the HTML then draws only where the page has Plotly).
  if (!plotlyInlined && !frontendRendersPlotly && process.env.WORKBOOK_PLOTLY_INLINE !== "0") {
    library = `<script type="text/javascript">${plotlySource()}\n;(window.__dlwbPlotlyQueue || []).forEach(function (draw) { draw(); }); window.__dlwbPlotlyQueue = [];</script>\n`;
    plotlyInlined = true;
  }
  const draw =
    `<script type="text/javascript">(function () { var spec = ${spec};` +
    ` function draw() { window.Plotly.newPlot(${JSON.stringify(id)}, spec.data, spec.layout, spec.config); }` +
    ` if (window.Plotly) draw(); else (window.__dlwbPlotlyQueue = window.__dlwbPlotlyQueue || []).push(draw); })();</script>`;
  return `${library}<div id="${id}" class="dl-workbook-plotly" style="min-height:360px"></div>\n${draw}`;
}

/** The MIME bundle of a figure (the plotly JSON and the offline HTML). */
export function plotlyBundle(figure: PlotlyFigure): MimeBundle {
  const traces = figure.data.map((t) => asText(t.type, "scatter")).join(", ");
  return {
    "application/vnd.plotly.v1+json": { data: figure.data, layout: figure.layout ?? {}, config: figure.config ?? {} },
    "text/html": plotlyHtml(figure),
    "text/plain": `Plotly figure (${figure.data.length} trace${figure.data.length === 1 ? "" : "s"}: ${traces})`,
  };
}

/** Adds the offline HTML to a bundle that carries plotly JSON but no HTML (e.g. from a lib figure). */
export function withPlotlyFallback(bundle: MimeBundle): MimeBundle {
  const json = bundle["application/vnd.plotly.v1+json"];
  if (json === undefined || bundle["text/html"] !== undefined) return bundle;
  if (typeof json !== "object" || json === null || !Array.isArray((json as PlotlyFigure).data)) return bundle;
  return { ...bundle, "text/html": plotlyHtml(json as PlotlyFigure) };
}
