/**
 * Renders a proposal notebook as one printable HTML page: markdown (with $math$ through KaTeX),
 * code cells with their outputs, the course's font size and margins. This page is what the PDF
 * (and so the page count) is made of.
 */
import * as path from "path";
import { pathToFileURL } from "url";
import type { ICell, INotebookContent, IOutput, MultilineString } from "@jupyterlab/nbformat";
import { marked } from "marked";
import { asText } from "../../kernel/wire";
import type { Course } from "../course";
import { sourceText } from "../../notebook/notebook";

/** The part of KaTeX we use (the package ships no type declarations). */
interface Katex {
  renderToString(tex: string, options: { displayMode?: boolean; throwOnError?: boolean }): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- katex ships no type declarations, so an import statement would not compile; require with the Katex interface above types it
const katex = require("katex") as Katex;

/** Escapes text for HTML. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

/** Replaces $$display$$ and $inline$ math with KaTeX's HTML before the markdown is parsed. */
function renderMath(markdown: string): string {
  const display = markdown.replace(/\$\$([\s\S]+?)\$\$/g, (_, tex: string) => katex.renderToString(tex, { displayMode: true, throwOnError: false }));
  return display.replace(/(^|[^\\$])\$([^$\n]+?)\$/g, (_, before: string, tex: string) => before + katex.renderToString(tex, { throwOnError: false }));
}

/** The HTML of one output: an image, HTML, or text, in that order of preference. */
function outputHtml(output: IOutput): string {
  if (output.output_type === "stream") return `<pre class="output">${escapeHtml(sourceText(output.text as MultilineString))}</pre>`;
  if (output.output_type === "error") return `<pre class="output error">${escapeHtml(`${asText(output.ename)}: ${asText(output.evalue)}`)}</pre>`;
  const data = (output.data ?? {}) as Record<string, MultilineString>;
  for (const mime of ["image/png", "image/jpeg"]) {
    if (data[mime]) return `<img class="output" src="data:${mime};base64,${sourceText(data[mime]).replace(/\s/g, "")}">`;
  }
  if (data["image/svg+xml"]) return `<div class="output">${sourceText(data["image/svg+xml"])}</div>`;
  if (data["text/html"]) return `<div class="output">${sourceText(data["text/html"])}</div>`;
  if (data["text/plain"]) return `<pre class="output">${escapeHtml(sourceText(data["text/plain"]))}</pre>`;
  return "";
}

/** The HTML of one cell. */
function cellHtml(cell: ICell): string {
  const source = sourceText(cell.source);
  if (cell.cell_type === "markdown") return `<section class="markdown">${marked.parse(renderMath(source), { async: false })}</section>`;
  if (cell.cell_type !== "code" || source.trim() === "") return "";
  const outputs = ((cell.outputs ?? []) as IOutput[]).map(outputHtml).join("");
  return `<section class="code"><pre class="source"><code>${escapeHtml(source)}</code></pre>${outputs}</section>`;
}

/**
 * The printable HTML of a notebook. `file` is the notebook's path: relative image links
 * resolve against its folder.
 *
 * @example
 * const html = proposalHtml(readNotebook("proposal.ipynb"), "proposal.ipynb", DEFAULT_COURSE);
 */
export function proposalHtml(notebook: INotebookContent, file: string, course: Course): string {
  const katexCss = pathToFileURL(require.resolve("katex/dist/katex.min.css")).href;
  const base = pathToFileURL(path.resolve(path.dirname(file)) + path.sep).href;
  const { format, margin, fontSize } = course.pdf;
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<base href="${base}">
<title>${escapeHtml(path.basename(file))}</title>
<link rel="stylesheet" href="${katexCss}">
<style>
  @page { size: ${format}; margin: ${margin}; }
  body { font-family: "DejaVu Serif", "Times New Roman", serif; font-size: ${fontSize}; line-height: 1.35; margin: 0; }
  h1 { font-size: 1.5em; margin: 0 0 0.4em; } h2 { font-size: 1.2em; margin: 0.8em 0 0.3em; } h3 { font-size: 1.05em; margin: 0.6em 0 0.2em; }
  p, ul, ol { margin: 0.3em 0; }
  table { border-collapse: collapse; } th, td { border: 1px solid #999; padding: 1px 6px; }
  pre { font-size: 0.8em; white-space: pre-wrap; margin: 0.3em 0; }
  pre.source { background: #f4f4f4; padding: 4px; }
  .error { color: #a00; }
  img.output { max-width: 100%; }
</style></head>
<body>
${notebook.cells.map(cellHtml).join("\n")}
</body></html>
`;
}
