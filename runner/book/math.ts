/** LaTeX to HTML with KaTeX, on the server, so pages need only katex.css and its fonts. */
import type * as KatexTypes from "katex/types/katex";

// katex declares its types only through its package "exports", which this project's
// moduleResolution ("node") does not read; the declarations are the package's own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const katex = require("katex") as typeof KatexTypes;

/**
 * Renders TeX (without its $ delimiters) to KaTeX HTML. A TeX error shows the source in red
 * with KaTeX's message as its title instead of failing the whole book.
 *
 * @example
 * renderTex("w_{t+1} = w_t - \\eta \\frac{\\hat m_t}{\\sqrt{\\hat v_t} + \\epsilon}", true);
 */
export function renderTex(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex, { displayMode, throwOnError: false, output: "htmlAndMathml", strict: "ignore" });
}

/**
 * Renders a text/latex output: display math when it is wrapped in $$...$$, \[...\] or an
 * environment such as \begin{align}, inline math for $...$.
 */
export function renderLatexOutput(latex: string): string {
  const text = latex.trim();
  const display = /^\$\$([\s\S]*)\$\$$/.exec(text) ?? /^\\\[([\s\S]*)\\\]$/.exec(text);
  if (display) return renderTex(display[1], true);
  const inline = /^\$([\s\S]*)\$$/.exec(text) ?? /^\\\(([\s\S]*)\\\)$/.exec(text);
  if (inline) return renderTex(inline[1], false);
  return renderTex(text, true);
}
