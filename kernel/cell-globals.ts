/**
 * The functions every cell can call without importing anything, and their types for the
 * type checker. The kernel defines the values on globalThis (see display-host.ts and kernel.ts).
 */

/** The declaration the type checker sees before every cell. */
export const CELL_GLOBALS_DECLARATION = `declare global {
  /** A Jupyter MIME bundle, e.g. { "text/html": "<b>hi</b>", "text/plain": "hi" }. */
  type MimeBundle = { [mimeType: string]: unknown };
  interface CellDisplay {
    /** Shows a value as rich output (its Symbol.for("Jupyter.display") bundle, a tensor table, a Plotly figure, ...). Returns the display id when one was given. */
    (value: unknown, options?: { displayId?: string; update?: boolean; metadata?: Record<string, unknown> }): void;
    html(html: string): void;
    markdown(markdown: string): void;
    latex(latex: string): void;
    svg(svg: string): void;
    png(bytes: Uint8Array): void;
    jpeg(bytes: Uint8Array): void;
    text(text: string): void;
    json(value: unknown): void;
    /** Sends a raw MIME bundle. */
    bundle(bundle: MimeBundle): void;
  }
  /** Shows rich output in the notebook: display(tensor), display.html("<b>hi</b>"), ... */
  const display: CellDisplay;
  /** Clears this cell's output (wait: until new output arrives). */
  function clearOutput(wait?: boolean): void;
  /**
   * Asks the person at the notebook for a line of text (like Python's input()). The front end shows
   * the prompt exactly as given, so end it with a space: const name = input("Your name? ");
   */
  function input(prompt?: string): string;
  /** Like input(), with the typed text hidden (for passwords), e.g. password("API key: "). */
  function password(prompt?: string): string;
}
`;
