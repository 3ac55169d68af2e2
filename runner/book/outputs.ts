/**
 * Cell outputs to HTML, every nbformat output type: stream, error (ANSI colours kept), and rich
 * MIME bundles (Plotly JSON, HTML, SVG, PNG/JPEG, Markdown, LaTeX, JSON, plain text).
 */
import type { IMimeBundle, IOutput } from "@jupyterlab/nbformat";
import { asText } from "../../kernel/wire";
import { ansiToHtml } from "./ansi";
import { escapeHtml } from "./highlight";
import { renderMarkdown } from "./markdown";
import { renderLatexOutput } from "./math";

/** The MIME type of Plotly figures ({ data, layout, config }). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Richest first: the book shows the first type of this list that a bundle has (as nbconvert does). */
export const MIME_ORDER = [PLOTLY_MIME, "text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/markdown", "text/latex", "application/json", "text/plain"];

/** What rendering one page needs to know across outputs. */
export interface OutputContext {
  /** Counts Plotly figures on the page, for their element ids. */
  plotlyFigures: number;
}

function text(value: unknown): string {
  if (Array.isArray(value)) return value.join("");
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** JSON safe inside a <script> element (no "</script>" or "<!--" can close it). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * What a terminal would show for text with carriage returns: each line keeps what was written
 * in its last non-empty "\r"-separated part (a progress bar printed as "\r 10%\r 20%" shows " 20%").
 */
export function collapseCarriageReturns(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const parts = line.split("\r").filter((part) => part !== "");
      return parts.length > 0 ? parts[parts.length - 1] : "";
    })
    .join("\n");
}

/** One MIME bundle (display_data / execute_result) to HTML, using the richest type it offers. */
export function renderMimeBundle(data: IMimeBundle, context: OutputContext): string {
  const mime = MIME_ORDER.find((m) => data[m] !== undefined) ?? Object.keys(data)[0];
  if (mime === undefined) return "";
  const value = data[mime];
  switch (mime) {
    case PLOTLY_MIME: {
      const id = `plotly-figure-${++context.plotlyFigures}`;
      return `<div class="output-plotly"><div class="plotly-figure" id="${id}"></div><script type="application/json" class="plotly-spec" data-target="${id}">${scriptJson(value)}</script></div>`;
    }
    case "text/html":
      return `<div class="output-html">${text(value)}</div>`;
    case "image/svg+xml":
      return `<div class="output-svg">${text(value)}</div>`;
    case "image/png":
    case "image/jpeg":
    case "image/gif":
      return `<div class="output-image"><img alt="figure" src="data:${mime};base64,${text(value).replace(/\s/g, "")}"></div>`;
    case "text/markdown":
      return `<div class="output-markdown">${renderMarkdown(text(value))}</div>`;
    case "text/latex":
      return `<div class="output-latex">${renderLatexOutput(text(value))}</div>`;
    case "application/json":
      return `<pre class="output-json">${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
    default:
      return `<pre class="output-text">${ansiToHtml(text(value))}</pre>`;
  }
}

/**
 * One output to HTML.
 *
 * @example
 * renderOutput({ output_type: "stream", name: "stdout", text: "loss 0.31\n" }, { plotlyFigures: 0 });
 * // '<pre class="output-stream stdout">loss 0.31\n</pre>'
 */
export function renderOutput(output: IOutput, context: OutputContext): string {
  switch (output.output_type) {
    case "stream":
      return `<pre class="output-stream ${output.name === "stderr" ? "stderr" : "stdout"}">${ansiToHtml(collapseCarriageReturns(text(output.text)))}</pre>`;
    case "error": {
      const traceback = Array.isArray(output.traceback) ? (output.traceback as string[]).join("\n") : "";
      const body = traceback !== "" ? traceback : `${asText(output.ename)}: ${asText(output.evalue)}`;
      return `<pre class="output-error">${ansiToHtml(body)}</pre>`;
    }
    case "display_data":
    case "execute_result":
      return renderMimeBundle((output.data ?? {}) as IMimeBundle, context);
    default:
      return "";
  }
}
