/** ANSI terminal colours (in tracebacks and logs) to HTML spans, so errors keep their colours in the book. */
import { escapeHtml } from "./highlight";

/** The 8 standard colours (SGR 30-37 / 40-47; 90-97 are the bright ones). */
const COLOURS = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

/**
 * Converts text with ANSI SGR codes to escaped HTML with `<span class="ansi-red-fg ansi-bold">`
 * (the class names Jupyter uses); other escape sequences are dropped.
 *
 * @example
 * ansiToHtml("\x1b[31mTypeError\x1b[0m: x is not a function"); // '<span class="ansi-red-fg">TypeError</span>: x is not a function'
 */
export function ansiToHtml(text: string): string {
  let html = "";
  let classes: string[] = [];
  let open = false;
  // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with the ESC control character (\x1b)
  const pattern = /\x1b\[([0-9;]*)m|\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]/g;
  let last = 0;
  const emit = (chunk: string) => {
    if (chunk === "") return;
    html += escapeHtml(chunk);
  };
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    emit(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[1] === undefined) continue; // not a colour code
    const codes = match[1] === "" ? [0] : match[1].split(";").map(Number);
    for (const code of codes) {
      if (code === 0) classes = [];
      else if (code === 1) classes.push("ansi-bold");
      else if (code === 4) classes.push("ansi-underline");
      else if (code >= 30 && code <= 37) classes = [...classes.filter((c) => !c.endsWith("-fg")), `ansi-${COLOURS[code - 30]}-fg`];
      else if (code >= 90 && code <= 97) classes = [...classes.filter((c) => !c.endsWith("-fg")), `ansi-bright-${COLOURS[code - 90]}-fg`];
      else if (code >= 40 && code <= 47) classes = [...classes.filter((c) => !c.endsWith("-bg")), `ansi-${COLOURS[code - 40]}-bg`];
      else if (code === 39) classes = classes.filter((c) => !c.endsWith("-fg"));
      else if (code === 49) classes = classes.filter((c) => !c.endsWith("-bg"));
    }
    if (open) html += "</span>";
    open = classes.length > 0;
    if (open) html += `<span class="${classes.join(" ")}">`;
  }
  emit(text.slice(last));
  if (open) html += "</span>";
  return html;
}
