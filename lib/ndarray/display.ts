/** How an NDArray looks: numpy-style text, and an HTML table for 2-D arrays in a notebook. */
import type { NDArray } from "./ndarray";
import type { MimeBundle } from "../display";

/** Arrays with more elements than this are summarised (first and last `EDGE_ITEMS` per axis). */
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

function formatNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e8)) return v.toExponential(4);
  return Number(v.toPrecision(6)).toString();
}

/** Indices to show along an axis of size `n`; -1 marks the "..." gap. */
function shownIndices(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), -1, ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i)];
}

/**
 * numpy-style text of `x`: `NDArray [2,3]` followed by the nested rows, summarised with `...`
 * when the array has more than 1000 elements.
 */
export function formatNDArray(x: NDArray): string {
  const summarise = x.size > SUMMARY_THRESHOLD;
  if (x.ndim === 0) return `NDArray [] ${formatNumber(x.data[0])}`;
  const strides: number[] = [];
  let s = 1;
  for (let a = x.ndim - 1; a >= 0; a--) {
    strides[a] = s;
    s *= x.shape[a];
  }
  const render = (axis: number, offset: number, indent: string): string => {
    const parts = shownIndices(x.shape[axis], summarise).map((i) => {
      if (i < 0) return "...";
      const at = offset + i * strides[axis];
      return axis === x.ndim - 1 ? formatNumber(x.data[at]) : render(axis + 1, at, indent + " ");
    });
    const sep = axis === x.ndim - 1 ? ", " : `,\n${indent} `;
    return `[${parts.join(sep)}]`;
  };
  return `NDArray [${x.shape.join(",")}]\n${render(0, 0, "")}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The MIME bundle of an NDArray: `text/plain` always; `text/html` for 1-D and 2-D arrays as a
 * table (rows and columns beyond 6 summarised with "…" when the array is big).
 */
export function ndarrayBundle(x: NDArray): MimeBundle {
  const bundle: MimeBundle = { "text/plain": formatNDArray(x) };
  if (x.ndim === 1 || x.ndim === 2) {
    const rows = x.ndim === 1 ? 1 : x.shape[0];
    const cols = x.ndim === 1 ? x.shape[0] : x.shape[1];
    const big = x.size > SUMMARY_THRESHOLD;
    const rowIdx = shownIndices(rows, big || rows > 40);
    const colIdx = shownIndices(cols, big || cols > 20);
    const head = `<tr><th></th>${colIdx.map((j) => `<th>${j < 0 ? "…" : j}</th>`).join("")}</tr>`;
    const body = rowIdx
      .map((i) => {
        const cells = colIdx.map((j) => `<td>${i < 0 || j < 0 ? "…" : escapeHtml(formatNumber(x.data[i * cols + j]))}</td>`).join("");
        return `<tr><th>${i < 0 ? "…" : i}</th>${cells}</tr>`;
      })
      .join("");
    bundle["text/html"] =
      `<div class="dl-workbook-ndarray"><div style="font-size:smaller">NDArray [${x.shape.join(",")}] float64</div>` + `<table style="font-family:monospace;text-align:right">${head}${body}</table></div>`;
  }
  return bundle;
}
