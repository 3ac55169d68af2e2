/** Syntax highlighting with highlight.js (TypeScript by default), done when the book is built. */
import hljs from "highlight.js";

/** Escapes text for use inside HTML elements and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Highlighted HTML for `code` in `language` (a highlight.js name or alias; "ts" when empty).
 * Unknown languages come back escaped but not coloured.
 *
 * @example
 * highlightCode("const x: number = 1;", "typescript"); // '<span class="hljs-keyword">const</span> x: ...'
 */
export function highlightCode(code: string, language = "typescript"): string {
  const lang = language === "" ? "typescript" : language;
  if (!hljs.getLanguage(lang)) return escapeHtml(code);
  return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
}
