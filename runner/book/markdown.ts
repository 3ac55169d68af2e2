/** Markdown cells to HTML: marked for the Markdown, KaTeX for $...$ and $$...$$, highlight.js for code. */
import type { IAttachments } from "@jupyterlab/nbformat";
import { Marked, type Token, type TokenizerAndRendererExtension, type Tokens } from "marked";
import { asText } from "../../kernel/wire";
import { highlightCode } from "./highlight";
import { renderTex } from "./math";

interface MathToken extends Tokens.Generic {
  type: "blockMath" | "inlineMath";
  raw: string;
  tex: string;
  display: boolean;
}

/** $$ ... $$ (or \[ ... \]) on lines of their own: display math. */
const blockMath: TokenizerAndRendererExtension = {
  name: "blockMath",
  level: "block",
  start: (src: string) => src.match(/\$\$|\\\[/)?.index,
  tokenizer(src: string): MathToken | undefined {
    const match = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/.exec(src) ?? /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n+|$)/.exec(src);
    if (match) return { type: "blockMath", raw: match[0], tex: match[1].trim(), display: true };
    return undefined;
  },
  renderer: (token) => `<div class="math-display">${renderTex((token as MathToken).tex, true)}</div>\n`,
};

/** $...$ or \( ... \) inside text: inline math; $$...$$ inside a paragraph: display math. */
const inlineMath: TokenizerAndRendererExtension = {
  name: "inlineMath",
  level: "inline",
  start: (src: string) => src.match(/\$|\\\(/)?.index,
  tokenizer(src: string): MathToken | undefined {
    const display = /^\$\$([^$]+?)\$\$/.exec(src);
    if (display) return { type: "inlineMath", raw: display[0], tex: display[1].trim(), display: true };
    const inline = /^\$(?!\s)((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)/.exec(src) ?? /^\\\(([\s\S]+?)\\\)/.exec(src);
    if (inline) return { type: "inlineMath", raw: inline[0], tex: inline[1], display: false };
    return undefined;
  },
  renderer: (token) => renderTex((token as MathToken).tex, (token as MathToken).display),
};

const marked = new Marked({
  gfm: true,
  extensions: [blockMath, inlineMath],
  renderer: {
    code({ text, lang }: Tokens.Code): string {
      return `<pre class="code"><code class="hljs">${highlightCode(text, lang ?? "")}</code></pre>\n`;
    },
  },
});

/** A markdown cell's attachments (nbformat): file name -> { MIME type: base64 data }. */
export type Attachments = IAttachments;

/** `attachment:plot.png` -> a data URI of that attachment, or undefined when the cell has no such file. */
function attachmentUri(href: string, attachments: Attachments | undefined): string | undefined {
  if (!attachments || !href.startsWith("attachment:")) return undefined;
  const bundle = attachments[decodeURIComponent(href.slice("attachment:".length))];
  const mime = bundle && Object.keys(bundle).find((m) => m.startsWith("image/"));
  if (!bundle || !mime) return undefined;
  const data = bundle[mime];
  return `data:${mime};base64,${asText(data).replace(/\s/g, "")}`;
}

/**
 * Markdown (GitHub flavour) with LaTeX math to HTML. A link to another notebook ("see
 * [Adam](01-adam.ipynb)") points at its page in the book; an image of the cell's attachments
 * (`![plot](attachment:plot.png)`, as Jupyter writes a pasted image) is embedded as a data URI.
 *
 * @example
 * renderMarkdown("# Adam\nThe update $w \\leftarrow w - \\eta \\hat m / (\\sqrt{\\hat v} + \\epsilon)$.");
 */
export function renderMarkdown(text: string, attachments?: Attachments): string {
  const walkTokens = (token: Token): void => {
    // marked's Token union includes a generic token with `any` fields: name the two we rewrite.
    if (token.type === "link") {
      const link = token as Tokens.Link;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(link.href)) link.href = link.href.replace(/\.ipynb(?=$|#)/, ".html");
    }
    if (token.type === "image") {
      const image = token as Tokens.Image;
      image.href = attachmentUri(image.href, attachments) ?? image.href;
    }
  };
  const html = marked.parse(text, { async: false, walkTokens });
  // <img src="attachment:..."> written as HTML inside the Markdown
  return html.replace(/(<img\b[^>]*\bsrc=")(attachment:[^"]+)"/g, (all, head: string, href: string) => {
    const uri = attachmentUri(href, attachments);
    return uri ? `${head}${uri}"` : all;
  });
}
