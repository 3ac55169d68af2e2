/** The design of a CNN as a table that displays itself: one row per layer, totals at the bottom. */
import { JUPYTER_DISPLAY, MimeBundle } from "../display";
import { analyzeDesign, designTotals, DesignTotals, LayerStats } from "./analyze";
import type { CnnSpec } from "./spec";

/** Formats counts as 1.2K / 3.4M / 5.6G. */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}K`;
  return `${n}`;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

const HEADERS = ["#", "layer", "output", "params", "MACs", "receptive field", "activations"];

/** A displayable design table (see {@link designTable}). */
export class DesignTable {
  constructor(
    readonly spec: CnnSpec,
    readonly rows: LayerStats[],
    readonly totals: DesignTotals,
  ) {}

  /** The table's cells as strings, header first, totals last. */
  cells(): string[][] {
    const body = this.rows.map((r) => [
      String(r.index),
      r.name,
      `[${r.outputShape.join(", ")}]`,
      formatCount(r.params),
      formatCount(r.macs),
      `${r.receptiveField[0]}x${r.receptiveField[1]}`,
      formatBytes(r.activationBytes),
    ]);
    const t = this.totals;
    return [
      HEADERS,
      [" ", `input`, `[${this.spec.input.join(", ")}]`, "", "", "1x1", formatBytes(4 * this.spec.input.reduce((a, b) => a * b, 1))],
      ...body,
      ["", "total", "", formatCount(t.params), formatCount(t.macs), "", formatBytes(t.activationBytes)],
    ];
  }

  /** Aligned plain-text table. */
  toString(): string {
    const cells = this.cells();
    const widths = HEADERS.map((_, j) => Math.max(...cells.map((row) => row[j].length)));
    const line = (row: string[]) =>
      row
        .map((c, j) => (j <= 2 ? c.padEnd(widths[j]) : c.padStart(widths[j])))
        .join("  ")
        .trimEnd();
    const t = this.totals;
    return [
      line(cells[0]),
      ...cells.slice(1).map(line),
      `${formatCount(t.params)} parameters (${t.params}), ${formatCount(t.flops)} FLOPs per example forward (2 x MACs), ${formatBytes(t.activationBytes)} activations per example`,
    ].join("\n");
  }

  /** MIME bundle: an HTML table and the plain-text table. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const cells = this.cells();
    const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    const head = `<tr>${cells[0].map((c) => `<th>${esc(c)}</th>`).join("")}</tr>`;
    const body = cells
      .slice(1)
      .map(
        (row, i) =>
          `<tr${i === cells.length - 2 ? ' style="font-weight:bold;border-top:1px solid"' : ""}>${row.map((c, j) => `<td style="text-align:${j <= 2 ? "left" : "right"}">${esc(c)}</td>`).join("")}</tr>`,
      )
      .join("");
    return { "text/html": `<table>${head}${body}</table><p>${formatCount(this.totals.flops)} FLOPs per example (forward)</p>`, "text/plain": this.toString() };
  }
}

/**
 * Analyses `spec` layer by layer and returns a table that displays itself in the kernel.
 * @example
 * designTable(referenceSpec()); // shows output shapes, params, MACs, receptive fields per layer
 */
export function designTable(spec: CnnSpec): DesignTable {
  const rows = analyzeDesign(spec);
  return new DesignTable(spec, rows, designTotals(rows));
}
