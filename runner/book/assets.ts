/**
 * The book's static files, copied from installed packages so pages work offline:
 * KaTeX's CSS and fonts, plotly.js, a highlight.js theme, and the book's own CSS and script.
 */
import * as fs from "fs";
import * as path from "path";

/** Folder names and files under `<out>/assets/` that pages link to. */
export const ASSETS = {
  katexCss: "assets/katex/katex.min.css",
  plotlyJs: "assets/plotly.js",
  highlightCss: "assets/highlight.css",
  bookCss: "assets/book.css",
  bookJs: "assets/book.js",
} as const;

/** Where a package's file is, through Node's resolution (works from dist/ and from a global install). */
function packageFile(pkg: string, file: string): string {
  const root = path.dirname(require.resolve(`${pkg}/package.json`));
  return path.join(root, file);
}

/** The book's stylesheet: readable lecture pages, notebook-like cells, Jupyter's ANSI colour classes. */
const BOOK_CSS = `
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0; background: #fafafa; }
header.book { background: #24292f; color: #fff; padding: 0.6rem 1.5rem; display: flex; gap: 1.5rem; align-items: baseline; }
header.book a { color: #fff; text-decoration: none; }
header.book .title { font-weight: 600; }
nav.pager { display: flex; justify-content: space-between; margin: 2rem 0 1rem; }
main { max-width: 980px; margin: 0 auto; padding: 1rem 1.5rem 3rem; background: #fff; }
.cell { margin: 1rem 0; }
.download { text-align: right; font-size: 0.85em; margin: 0; }
.cell.code .source { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.6rem 0.8rem; overflow-x: auto; margin: 0; }
.cell.code .source code.hljs { padding: 0; background: transparent; }
.cell.markdown table, .output-html table { border-collapse: collapse; }
.cell.markdown th, .cell.markdown td { border: 1px solid #d0d7de; padding: 0.25rem 0.6rem; }
.prompt { color: #57606a; font: 12px monospace; margin-bottom: 0.2rem; }
.outputs { margin: 0.3rem 0 0 0; }
.outputs pre { margin: 0.2rem 0; padding: 0.4rem 0.8rem; overflow-x: auto; white-space: pre-wrap; }
.output-stream.stderr { background: #fff8e5; }
.output-error { background: #ffebe9; border-left: 3px solid #cf222e; }
.output-image img, .output-svg svg { max-width: 100%; height: auto; }
.plotly-figure { width: 100%; min-height: 420px; }
.failures { background: #ffebe9; border: 1px solid #cf222e; border-radius: 6px; padding: 0.6rem 1rem; }
.status { font-size: 0.85em; padding: 0.1rem 0.5rem; border-radius: 1rem; background: #ddf4ff; }
.status.failed, .status.interrupted { background: #ffebe9; }
.status.cached, .status.not-run { background: #eaeef2; }
table.contents { border-collapse: collapse; width: 100%; }
table.contents td { padding: 0.4rem 0.6rem; border-bottom: 1px solid #d0d7de; }
.math-display { overflow-x: auto; }
.ansi-bold { font-weight: bold; } .ansi-underline { text-decoration: underline; }
.ansi-black-fg { color: #3e424d; } .ansi-red-fg { color: #e75c58; } .ansi-green-fg { color: #00a250; } .ansi-yellow-fg { color: #ddb62b; }
.ansi-blue-fg { color: #208ffb; } .ansi-magenta-fg { color: #d160c4; } .ansi-cyan-fg { color: #60c6c8; } .ansi-white-fg { color: #c5c1b4; }
.ansi-bright-black-fg { color: #282c36; } .ansi-bright-red-fg { color: #b22b31; } .ansi-bright-green-fg { color: #007427; } .ansi-bright-yellow-fg { color: #b27d12; }
.ansi-bright-blue-fg { color: #0065ca; } .ansi-bright-magenta-fg { color: #a03196; } .ansi-bright-cyan-fg { color: #258f8f; } .ansi-bright-white-fg { color: #a1a6b2; }
.ansi-red-bg { background: #e75c58; } .ansi-green-bg { background: #00a250; } .ansi-yellow-bg { background: #ddb62b; } .ansi-blue-bg { background: #208ffb; }
`;

/**
 * Draws every Plotly figure of the page from its JSON (data, layout, config, frames) with the
 * local plotly.js; marks the element data-rendered="true" (or "error" with the reason shown).
 */
const BOOK_JS = `"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var specs = document.querySelectorAll("script.plotly-spec");
  specs.forEach(function (spec) {
    var target = document.getElementById(spec.getAttribute("data-target"));
    try {
      var figure = JSON.parse(spec.textContent);
      window.Plotly.newPlot(target, {
        data: figure.data || [],
        layout: figure.layout || {},
        frames: figure.frames || [],
        config: Object.assign({ responsive: true }, figure.config || {}),
      }).then(function () {
        target.setAttribute("data-rendered", "true");
      }, function (err) {
        target.setAttribute("data-rendered", "error");
        target.textContent = "Plotly could not draw this figure: " + err.message;
      });
    } catch (err) {
      target.setAttribute("data-rendered", "error");
      target.textContent = "Plotly could not draw this figure: " + err.message;
    }
  });
});
`;

/** Copies (or writes) every asset under `<outDir>/assets/`; files already up to date are left alone. */
export function copyAssets(outDir: string): void {
  const katexDir = path.join(outDir, "assets", "katex");
  fs.mkdirSync(path.join(katexDir, "fonts"), { recursive: true });
  const copy = (from: string, to: string) => {
    const target = path.join(outDir, to);
    const source = fs.statSync(from);
    if (fs.existsSync(target) && fs.statSync(target).size === source.size) return;
    fs.copyFileSync(from, target);
  };
  copy(packageFile("katex", "dist/katex.min.css"), ASSETS.katexCss);
  const fonts = packageFile("katex", "dist/fonts");
  for (const font of fs.readdirSync(fonts)) copy(path.join(fonts, font), path.join("assets", "katex", "fonts", font));
  copy(packageFile("plotly.js-dist", "plotly.js"), ASSETS.plotlyJs);
  copy(packageFile("highlight.js", "styles/github.min.css"), ASSETS.highlightCss);
  fs.writeFileSync(path.join(outDir, ASSETS.bookCss), BOOK_CSS);
  fs.writeFileSync(path.join(outDir, ASSETS.bookJs), BOOK_JS);
}
