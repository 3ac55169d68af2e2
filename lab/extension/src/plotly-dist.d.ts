/** plotly.js-dist ships no types; the renderer uses only `newPlot`, `purge` and `Plots.resize`. */
declare module "plotly.js-dist" {
  /** Draws a figure into `root`, replacing what was there. */
  export function newPlot(root: HTMLElement, data: unknown[], layout?: Record<string, unknown>, config?: Record<string, unknown>): Promise<HTMLElement>;
  /** Frees a figure's listeners and DOM. */
  export function purge(root: HTMLElement): void;
  export const Plots: { resize(root: HTMLElement): Promise<void> | void };
}
