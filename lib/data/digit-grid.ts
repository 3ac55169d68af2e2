/** A grid of digits that displays itself in a notebook (PNG) and as ASCII art in a terminal. */
import { JUPYTER_DISPLAY, MimeBundle } from "../display";
import type { ImageSet } from "./mnist";
import { encodeGrayPng } from "./png";

/** Options of {@link digitGrid}. */
export interface DigitGridOptions {
  /** Which examples of the split to show (default: the first `count`). */
  indices?: ArrayLike<number>;
  /** How many to show when `indices` is not given (default 32). */
  count?: number;
  /** Digits per row (default 8). */
  columns?: number;
  /** Predicted labels, parallel to the shown examples; wrong ones are marked. */
  predictions?: ArrayLike<number>;
  /** Pixels per image pixel in the PNG (default 2). */
  scale?: number;
}

/** A displayable grid of digits with their labels (and predictions). */
export class DigitGrid {
  constructor(
    /** One 8-bit image per digit, rows*cols bytes each. */
    readonly images: Uint8Array[],
    readonly labels: number[],
    readonly imageSize: [number, number],
    readonly columns: number,
    readonly scale: number,
    readonly predictions?: number[],
  ) {}

  /** The whole grid as one 8-bit image, with a 2-pixel gap between digits. */
  toPixels(): { pixels: Uint8Array; width: number; height: number } {
    const [h, w] = this.imageSize;
    const s = this.scale;
    const gap = 2;
    const rows = Math.ceil(this.images.length / this.columns);
    const width = this.columns * (w * s + gap) + gap;
    const height = rows * (h * s + gap) + gap;
    const pixels = new Uint8Array(width * height).fill(128);
    this.images.forEach((image, k) => {
      const x0 = gap + (k % this.columns) * (w * s + gap);
      const y0 = gap + Math.floor(k / this.columns) * (h * s + gap);
      for (let y = 0; y < h * s; y++) for (let x = 0; x < w * s; x++) pixels[(y0 + y) * width + x0 + x] = image[Math.floor(y / s) * w + Math.floor(x / s)];
    });
    return { pixels, width, height };
  }

  private caption(k: number): string {
    const p = this.predictions?.[k];
    return p === undefined ? `${this.labels[k]}` : p === this.labels[k] ? `${p}` : `${p}(${this.labels[k]})`;
  }

  /** ASCII art: 14x14 per digit (2x2 averages), labels above. */
  toString(): string {
    const [h, w] = this.imageSize;
    const shades = " .:-=+*#%@";
    const lines: string[] = [];
    for (let start = 0; start < this.images.length; start += this.columns) {
      const row = this.images.slice(start, start + this.columns);
      const cellWidth = Math.ceil(w / 2) + 1;
      lines.push(row.map((_, j) => this.caption(start + j).padEnd(cellWidth)).join(""));
      for (let y = 0; y < h; y += 2) {
        lines.push(row.map((image) => {
          let text = "";
          for (let x = 0; x < w; x += 2) {
            const v = (image[y * w + x] + image[y * w + Math.min(x + 1, w - 1)] + image[Math.min(y + 1, h - 1) * w + x] + image[Math.min(y + 1, h - 1) * w + Math.min(x + 1, w - 1)]) / 4;
            text += shades[Math.min(shades.length - 1, Math.floor((v / 256) * shades.length))];
          }
          return text + " ";
        }).join("").trimEnd());
      }
    }
    return lines.join("\n");
  }

  /** MIME bundle: a PNG of the grid, an HTML table with captions, and ASCII art. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const { pixels, width, height } = this.toPixels();
    const png = encodeGrayPng(pixels, width, height).toString("base64");
    const captions = this.images.map((_, k) => this.caption(k));
    const rows: string[] = [];
    for (let i = 0; i < captions.length; i += this.columns) rows.push(captions.slice(i, i + this.columns).join(" "));
    return {
      "image/png": png,
      "text/html": `<figure style="margin:0"><img src="data:image/png;base64,${png}" style="image-rendering:pixelated"/><figcaption style="font-family:monospace;white-space:pre">${rows.join("\n")}</figcaption></figure>`,
      "text/plain": this.toString(),
    };
  }
}

/**
 * A grid of digits from a split, labelled (and, with `predictions`, marked "pred(label)" when wrong).
 * Each image is min-max scaled to 0-255 for display, so any normalisation shows well.
 *
 * @example
 * display(digitGrid(mnist.train, { count: 16, columns: 8 }));
 */
export function digitGrid(set: ImageSet, options: DigitGridOptions = {}): DigitGrid {
  const [h, w, c] = set.imageShape;
  const pixels = h * w * c;
  const indices = options.indices ? Array.from(options.indices) : Array.from({ length: Math.min(options.count ?? 32, set.count) }, (_, i) => i);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= set.count) throw new Error(`Error in digitGrid: index ${i} is outside the "${set.name}" split (0..${set.count - 1}).`);
  }
  if (options.predictions && options.predictions.length !== indices.length) {
    throw new Error(`Error in digitGrid: ${options.predictions.length} predictions for ${indices.length} shown digits; pass one prediction per digit.`);
  }
  const images = indices.map((i) => {
    const src = set.images.subarray(i * pixels, (i + 1) * pixels);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of src) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const out = new Uint8Array(h * w);
    // first channel, min-max scaled: 255 * (x - min) / (max - min)
    for (let p = 0; p < h * w; p++) out[p] = hi > lo ? Math.round((255 * (src[p * c] - lo)) / (hi - lo)) : 0;
    return out;
  });
  return new DigitGrid(images, indices.map((i) => set.labels[i]), [h, w], options.columns ?? 8, options.scale ?? 2, options.predictions ? Array.from(options.predictions) : undefined);
}
