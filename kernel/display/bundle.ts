/**
 * Turns any value into a Jupyter MIME bundle: the value's own `Symbol.for("Jupyter.display")`
 * bundle first, then the built-in forms (tfjs tensors and models, Plotly figures), then
 * `util.inspect` text. Every bundle carrying Plotly JSON gets the offline HTML fallback.
 */
import { inspect } from "util";
import { isDisplayable, JUPYTER_DISPLAY } from "../../lib/display";
import type { MimeBundle } from "../../lib/display";
import { isTensor, tensorBundle } from "./tensor";
import { isModel, modelBundle } from "./model";
import { isPlotlyFigure, plotlyBundle, withPlotlyFallback } from "./plotly";

/** Binary MIME types travel base64-encoded in JSON. */
const BINARY_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "application/pdf"]);

/** The plain text of a value, as the Node REPL shows it. */
export function inspectText(value: unknown): string {
  return inspect(value, { depth: 4, colors: false, maxArrayLength: 100, maxStringLength: 10000, breakLength: 100 });
}

/**
 * Makes a bundle JSON-safe: binary data to base64, and always a text/plain, except beside a
 * widget view that left it out on purpose (protocol 1: Notebook 6.4 would print it under the widget).
 */
function normalize(bundle: MimeBundle, value: unknown): MimeBundle {
  const out: MimeBundle = {};
  for (const [type, data] of Object.entries(bundle)) {
    if (data === undefined) continue;
    if (BINARY_TYPES.has(type) && (data instanceof Uint8Array || Buffer.isBuffer(data))) out[type] = Buffer.from(data).toString("base64");
    else out[type] = data;
  }
  if (typeof out["text/plain"] !== "string" && !("application/vnd.jupyter.widget-view+json" in out)) out["text/plain"] = isDisplayable(value) ? `[${value.constructor?.name ?? "object"}]` : inspectText(value);
  return withPlotlyFallback(out);
}

/** The MIME bundle for `value` (see file comment). */
export function toBundle(value: unknown): MimeBundle {
  if (isDisplayable(value)) {
    const own = value[JUPYTER_DISPLAY]();
    if (typeof own !== "object" || own === null) {
      throw new TypeError(
        `display: the Symbol.for("Jupyter.display") method of ${value.constructor?.name ?? "this object"} returned ${inspectText(own)}; it must return a MIME bundle such as { "text/plain": "..." }`,
      );
    }
    return normalize(own, value);
  }
  if (isTensor(value)) return normalize(tensorBundle(value), value);
  if (isModel(value)) return normalize(modelBundle(value), value);
  if (isPlotlyFigure(value)) return normalize(plotlyBundle(value), value);
  return { "text/plain": inspectText(value) };
}
