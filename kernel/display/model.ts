/**
 * How a tfjs model shows in a notebook: its summary (layer, type, output shape, parameters) as
 * an HTML table and as text, like `model.summary()`.
 */
import type { MimeBundle } from "../../lib/display";

/** The part of a tfjs layer the summary needs. */
interface LayerLike {
  name: string;
  outputShape: unknown;
  getClassName(): string;
  countParams(): number;
}

/** The part of tf.LayersModel the summary needs (duck-typed). */
export interface ModelLike {
  name: string;
  layers: LayerLike[];
  countParams(): number;
  summary(): void;
  trainableWeights: { shape: number[] }[];
}

/** True for tfjs LayersModel / Sequential objects. */
export function isModel(value: unknown): value is ModelLike {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Partial<ModelLike>;
  return Array.isArray(m.layers) && typeof m.countParams === "function" && typeof m.summary === "function";
}

function shapeText(shape: unknown): string {
  if (!Array.isArray(shape)) return String(shape);
  if (shape.length > 0 && Array.isArray(shape[0])) return shape.map(shapeText).join(", ");
  return `[${shape.map((d) => (d === null ? "null" : String(d))).join(",")}]`;
}

/** The MIME bundle of a model: a summary table. */
export function modelBundle(model: ModelLike): MimeBundle {
  const rows = model.layers.map((layer) => {
    let outputShape: string;
    try {
      outputShape = shapeText(layer.outputShape);
    } catch {
      outputShape = "multiple";
    }
    return { name: layer.name, type: layer.getClassName(), outputShape, params: layer.countParams() };
  });
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
  const widths = [28, 22, 12];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" ");
  const text = [
    `Model "${model.name}"`,
    line(["Layer (type)", "Output shape", "Param #"]),
    ...rows.map((r) => line([`${r.name} (${r.type})`, r.outputShape, String(r.params)])),
    `Total params: ${total}`,
    `Trainable params: ${trainable}`,
    `Non-trainable params: ${total - trainable}`,
  ].join("\n");
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const html =
    `<div class="dl-workbook-model"><b>Model "${esc(model.name)}"</b><table>` +
    `<tr><th>Layer (type)</th><th>Output shape</th><th>Param #</th></tr>` +
    rows.map((r) => `<tr><td>${esc(r.name)} (${esc(r.type)})</td><td>${esc(r.outputShape)}</td><td style="text-align:right">${r.params}</td></tr>`).join("") +
    `</table><p>Total params: ${total}<br>Trainable params: ${trainable}<br>Non-trainable params: ${total - trainable}</p></div>`;
  return { "text/plain": text, "text/html": html };
}
