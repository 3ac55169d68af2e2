/** HTML pages of the book: one per notebook, and the index that lists them. */
import type { ICell, IMarkdownCell, INotebookContent } from "@jupyterlab/nbformat";
import { isCodeCell, sourceText } from "../../notebook/notebook";
import { ASSETS } from "./assets";
import { escapeHtml, highlightCode } from "./highlight";
import { renderMarkdown } from "./markdown";
import { OutputContext, PLOTLY_MIME, renderOutput } from "./outputs";

/** How a notebook's run went, as the book reports it. */
export type EntryStatus = "ok" | "cached" | "failed" | "interrupted" | "not run";

/** One notebook of the book with its executed form. */
export interface BookEntry {
  /** File name of the source notebook, e.g. "01-adam.ipynb". */
  source: string;
  /** File name of its page, e.g. "01-adam.html". */
  page: string;
  title: string;
  notebook: INotebookContent;
  status: EntryStatus;
  /** Failure messages naming cell and line (empty when it ran cleanly). */
  failures: string[];
}

/** The text of the notebook's first Markdown heading, or `fallback`. */
export function notebookTitle(notebook: INotebookContent, fallback: string): string {
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "markdown") continue;
    const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/m.exec(sourceText(cell.source));
    if (heading) return heading[1];
  }
  return fallback;
}

/** True when some output of the notebook is a Plotly figure (the page then loads plotly.js). */
export function hasPlotly(notebook: INotebookContent): boolean {
  return notebook.cells.some((cell) => isCodeCell(cell) && cell.outputs.some((o) => typeof o.data === "object" && o.data !== null && PLOTLY_MIME in (o.data as object)));
}

function head(title: string, withPlotly: boolean): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${ASSETS.katexCss}">
<link rel="stylesheet" href="${ASSETS.highlightCss}">
<link rel="stylesheet" href="${ASSETS.bookCss}">
${withPlotly ? `<script src="${ASSETS.plotlyJs}"></script>\n<script src="${ASSETS.bookJs}"></script>\n` : ""}</head>`;
}

function header(bookTitle: string): string {
  return `<header class="book"><a class="title" href="index.html">${escapeHtml(bookTitle)}</a><a href="index.html">Contents</a></header>`;
}

function renderCell(cell: ICell, index: number, context: OutputContext): string {
  const source = sourceText(cell.source);
  if (cell.cell_type === "markdown") return `<section class="cell markdown" id="cell-${index + 1}">${renderMarkdown(source, (cell as IMarkdownCell).attachments)}</section>`;
  if (isCodeCell(cell)) {
    const prompt = `In [${cell.execution_count ?? " "}]:`;
    const outputs = cell.outputs.map((o) => renderOutput(o, context)).join("\n");
    return `<section class="cell code" id="cell-${index + 1}"><div class="prompt">${prompt}</div><pre class="source"><code class="hljs language-typescript">${highlightCode(source, "typescript")}</code></pre>${outputs ? `<div class="outputs">${outputs}</div>` : ""}</section>`;
  }
  return `<section class="cell raw" id="cell-${index + 1}"><pre>${escapeHtml(source)}</pre></section>`;
}

/** The page of one notebook, with links to its neighbours. */
export function renderNotebookPage(entry: BookEntry, bookTitle: string, previous?: BookEntry, next?: BookEntry): string {
  const context: OutputContext = { plotlyFigures: 0 };
  const cells = entry.notebook.cells.map((cell, i) => renderCell(cell, i, context)).join("\n");
  const failures =
    entry.failures.length > 0 || entry.status === "interrupted"
      ? `<div class="failures"><strong>${entry.status === "interrupted" ? "This run was interrupted; the page shows the cells that finished." : "This notebook did not run cleanly:"}</strong><ul>${entry.failures.map((f) => `<li>${escapeHtml(f)}</li>`).join("")}</ul></div>`
      : "";
  const pager = `<nav class="pager"><span>${previous ? `<a href="${previous.page}">&larr; ${escapeHtml(previous.title)}</a>` : ""}</span><span>${next ? `<a href="${next.page}">${escapeHtml(next.title)} &rarr;</a>` : ""}</span></nav>`;
  return `${head(`${entry.title} · ${bookTitle}`, hasPlotly(entry.notebook))}
<body>
${header(bookTitle)}
<main>
<p class="download"><a href="notebooks/${encodeURIComponent(entry.source)}" download>Download the executed notebook (${escapeHtml(entry.source)})</a></p>
${failures}
${cells}
${pager}
</main>
</body>
</html>
`;
}

/** The index: the notebooks in order with their status. */
export function renderIndexPage(entries: BookEntry[], bookTitle: string, intro: string): string {
  const rows = entries
    .map(
      (e, i) =>
        `<tr><td>${i + 1}</td><td><a href="${e.page}">${escapeHtml(e.title)}</a></td><td><code>${escapeHtml(e.source)}</code></td><td><span class="status ${e.status.replace(" ", "-")}">${e.status}</span></td></tr>`,
    )
    .join("\n");
  return `${head(bookTitle, false)}
<body>
${header(bookTitle)}
<main>
<h1>${escapeHtml(bookTitle)}</h1>
${renderMarkdown(intro)}
<table class="contents">
${rows}
</table>
</main>
</body>
</html>
`;
}
