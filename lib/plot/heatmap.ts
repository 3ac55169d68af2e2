/** Heatmaps of matrices and grids of images. */
import { Figure } from "./figure";
import { HeatmapTrace, Layout } from "./types";
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";

function rows(x: NDArray): number[][] {
  const [R, C] = x.shape;
  return Array.from({ length: R }, (_, r) => Array.from(x.data.subarray(r * C, (r + 1) * C)));
}

/** Options of {@link heatmap}. */
export interface HeatmapOptions {
  title?: string;
  /** Labels of the columns (x) and rows (y), e.g. source and target words of an attention map. */
  xLabels?: string[];
  yLabels?: string[];
  colorscale?: string;
  /** Write each value in its cell, with this many decimals. */
  showValues?: number;
  width?: number;
  height?: number;
}

/**
 * A heatmap of a matrix `[rows, cols]`, first row at the top.
 *
 * @example
 * ```ts
 * heatmap([[0.9, 0.1], [0.2, 0.8]], { xLabels: ["le", "chat"], yLabels: ["the", "cat"], showValues: 2 });
 * ```
 */
export function heatmap(matrix: ArrayLike, options: HeatmapOptions = {}): Figure {
  const m = asNDArray(matrix, "heatmap", "matrix");
  if (m.ndim !== 2) throw new Error(`Error in heatmap: matrix must be 2-D [rows, cols] but has shape [${m.shape.join(",")}]`);
  const z = rows(m);
  const trace: HeatmapTrace = { type: "heatmap", z, colorscale: options.colorscale ?? "Viridis" };
  if (options.xLabels) trace.x = options.xLabels;
  if (options.yLabels) trace.y = options.yLabels;
  if (options.showValues !== undefined) {
    trace.text = z.map((r) => r.map((v) => v.toFixed(options.showValues)));
    trace.texttemplate = "%{text}";
  }
  const layout: Layout = { yaxis: { autorange: "reversed" } };
  if (options.title) layout.title = { text: options.title };
  if (options.width) layout.width = options.width;
  if (options.height) layout.height = options.height;
  return new Figure({ data: [trace], layout });
}

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** Images per row (default: up to 8). */
  columns?: number;
  /** A caption above each image (e.g. the label or the predicted class). */
  titles?: string[];
  title?: string;
  /** Pixel size of one image cell (default 90). */
  cellSize?: number;
}

/**
 * A grid of grayscale images `[N, H, W]` (e.g. MNIST digits), each drawn as a heatmap with the
 * first row at the top, black on white.
 *
 * @example
 * ```ts
 * imageGrid(images.slice(0, 0, 16), { titles: labels.slice(0, 16).map(String) });
 * ```
 */
export function imageGrid(images: ArrayLike, options: ImageGridOptions = {}): Figure {
  const x = asNDArray(images, "imageGrid", "images");
  if (x.ndim !== 3) throw new Error(`Error in imageGrid: images must be 3-D [N, H, W] (grayscale) but have shape [${x.shape.join(",")}]`);
  const [N, H, W] = x.shape;
  const columns = Math.max(1, options.columns ?? Math.min(8, N));
  const rowsCount = Math.max(1, Math.ceil(N / columns));
  const cell = options.cellSize ?? 90;
  const data: HeatmapTrace[] = [];
  const layout: Layout = {
    grid: { rows: rowsCount, columns, pattern: "independent" },
    width: columns * cell + 40,
    height: rowsCount * (cell + (options.titles ? 20 : 0)) + (options.title ? 60 : 20),
    margin: { l: 10, r: 10, t: options.title ? 50 : 10, b: 10 },
    annotations: [] as Record<string, unknown>[],
  };
  if (options.title) layout.title = { text: options.title };
  const annotations: Record<string, unknown>[] = [];
  for (let n = 0; n < N; n++) {
    const suffix = n === 0 ? "" : String(n + 1);
    const img = new NDArray([H, W], x.data.subarray(n * H * W, (n + 1) * H * W));
    data.push({ type: "heatmap", z: rows(img), colorscale: "Greys", reversescale: false, showscale: false, xaxis: `x${suffix}`, yaxis: `y${suffix}`, name: options.titles?.[n] ?? `image ${n}` });
    layout[`xaxis${suffix}`] = { showticklabels: false, showgrid: false, zeroline: false };
    layout[`yaxis${suffix}`] = { showticklabels: false, showgrid: false, zeroline: false, autorange: "reversed", scaleanchor: `x${suffix}` };
    if (options.titles?.[n] !== undefined) {
      annotations.push({ text: options.titles[n], xref: `x${suffix} domain`, yref: `y${suffix} domain`, x: 0.5, y: 1.12, showarrow: false, font: { size: 11 } });
    }
  }
  layout.annotations = annotations;
  return new Figure({ data, layout });
}
