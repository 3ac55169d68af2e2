/**
 * How a tfjs tensor shows in a notebook: shape and dtype, summarised values, a 2-D tensor as an
 * HTML table (first and last rows and columns when large), and an image-shaped tensor
 * ([h, w, 1|3|4] with h, w >= 8) as a PNG.
 */
import type { MimeBundle } from "../../lib/display";
import { encodePng } from "../../lib/display/png";

/** The part of tf.Tensor the display needs (duck-typed, so the kernel never loads tfjs itself). */
export interface TensorLike {
  readonly shape: number[];
  readonly dtype: string;
  readonly size: number;
  readonly rank: number;
  readonly isDisposed: boolean;
  dataSync(): ArrayLike<number | string | Uint8Array>;
  toString(verbose?: boolean): string;
}

/** True for tfjs tensors. */
export function isTensor(value: unknown): value is TensorLike {
  if (typeof value !== "object" || value === null) return false;
  const t = value as Partial<TensorLike> & { dataId?: unknown };
  return Array.isArray(t.shape) && typeof t.dtype === "string" && typeof t.dataSync === "function" && t.dataId !== undefined;
}

/** Rows and columns shown at each end of a large table. */
const EDGE = 5;

function formatValue(v: number | string | Uint8Array, dtype: string): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return `[${v.length} bytes]`;
  if (dtype === "bool") return v ? "true" : "false";
  if (dtype === "int32") return String(v);
  return Number.isInteger(v) && Math.abs(v) < 1e6 ? v.toFixed(1) : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Indices shown along an axis of length n: all, or the first and last EDGE with a gap (-1). */
function shownIndices(n: number): number[] {
  if (n <= 2 * EDGE + 1) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE }, (_, i) => i), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)];
}

function tableHtml(values: ArrayLike<number | string | Uint8Array>, rows: number, cols: number, dtype: string): string {
  const colIdx = shownIndices(cols);
  const head = `<tr><th></th>${colIdx.map((c) => `<th>${c < 0 ? "&hellip;" : c}</th>`).join("")}</tr>`;
  const body = shownIndices(rows)
    .map((r) => {
      if (r < 0) return `<tr><th>&vellip;</th>${colIdx.map(() => "<td>&hellip;</td>").join("")}</tr>`;
      return `<tr><th>${r}</th>${colIdx.map((c) => `<td>${c < 0 ? "&hellip;" : escapeHtml(formatValue(values[r * cols + c], dtype))}</td>`).join("")}</tr>`;
    })
    .join("");
  return `<table class="dl-workbook-tensor" style="font-family:monospace;text-align:right">${head}${body}</table>`;
}

/** An image-shaped tensor as PNG bytes, scaled from its own min..max to 0..255. */
function imagePng(values: ArrayLike<number>, shape: number[]): Buffer | undefined {
  const [h, w, c] = shape.length === 2 ? [shape[0], shape[1], 1] : shape;
  if (h < 8 || w < 8 || h > 2048 || w > 2048 || ![1, 3, 4].includes(c)) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  // pixel = 255 * (x - min) / (max - min); values already in 0..255 keep their scale
  const [lo, hi] = min >= 0 && max <= 255 && max > 1 ? [0, 255] : [min, max > min ? max : min + 1];
  const pixels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) pixels[i] = Math.round((255 * (values[i] - lo)) / (hi - lo));
  return encodePng(pixels, w, h, c as 1 | 3 | 4);
}

/** The MIME bundle of a tensor. */
export function tensorBundle(t: TensorLike): MimeBundle {
  const title = `Tensor ${t.dtype} [${t.shape.join(", ")}]`;
  if (t.isDisposed) return { "text/plain": `${title} (disposed)` };
  const text = `${title}\n${t.toString().replace(/^Tensor\n?/, "")}`;
  const bundle: MimeBundle = { "text/plain": text };
  const values = t.dataSync();
  const numeric = t.dtype !== "string" && t.dtype !== "complex64";
  const isImage = numeric && ((t.rank === 3 && [1, 3, 4].includes(t.shape[2])) || (t.rank === 2 && t.shape[0] >= 28 && t.shape[1] >= 28));
  if (isImage) {
    const png = imagePng(values as ArrayLike<number>, t.shape);
    if (png) bundle["image/png"] = png.toString("base64");
  }
  if (t.rank <= 2 && !bundle["image/png"]) {
    const [rows, cols] = t.rank === 2 ? t.shape : t.rank === 1 ? [1, t.shape[0]] : [1, 1];
    bundle["text/html"] = `<div><b>${escapeHtml(title)}</b>${tableHtml(values, rows, cols, t.dtype)}</div>`;
  }
  return bundle;
}
