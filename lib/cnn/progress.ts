/** The one display that training updates: a progress line and live loss/accuracy curves. */
import { JUPYTER_DISPLAY, MimeBundle } from "../display";
import { linePlot } from "../plot";

/** Statistics of one finished epoch. */
export interface EpochStats {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Training accuracy over the epoch's batches. */
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Wall-clock seconds the epoch took (training batches only). */
  seconds: number;
}

/** A snapshot of training, displayed as a Plotly figure whose title is the progress bar. */
export class TrainingProgress {
  constructor(
    readonly epoch: number,
    readonly epochs: number,
    readonly batch: number,
    readonly batches: number,
    readonly loss: number,
    readonly accuracy: number,
    readonly history: EpochStats[],
    /** Loss of recent batches, every batch, for the live curve. */
    readonly batchLoss: number[],
    readonly note = "",
  ) {}

  /** `epoch 1/2 [#######.....] 312/782 loss 0.213 acc 93.1% val 97.9%`. */
  line(): string {
    const width = 20;
    const filled = Math.round((width * this.batch) / Math.max(1, this.batches));
    const last = this.history[this.history.length - 1];
    const val = last?.valAccuracy !== undefined ? ` val ${(100 * last.valAccuracy).toFixed(1)}%` : "";
    return `epoch ${this.epoch}/${this.epochs} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${this.batch}/${this.batches} loss ${this.loss.toFixed(4)} acc ${(100 * this.accuracy).toFixed(1)}%${val}${this.note ? " " + this.note : ""}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const perEpoch = this.batches;
    const x = this.batchLoss.map((_, i) => i / Math.max(1, perEpoch));
    const epochs = this.history.map((h) => h.epoch);
    const series = [
      { name: "train loss (batch)", x, y: this.batchLoss },
      ...(this.history.some((h) => h.valLoss !== undefined) ? [{ name: "validation loss", x: epochs, y: this.history.map((h) => h.valLoss ?? NaN) }] : []),
      ...(this.history.some((h) => h.valAccuracy !== undefined) ? [{ name: "validation error", x: epochs, y: this.history.map((h) => 1 - (h.valAccuracy ?? NaN)) }] : []),
    ];
    const fig = linePlot(series, { title: this.line(), xTitle: "epoch", yTitle: "loss / error", logY: true, height: 360 });
    return { ...fig[JUPYTER_DISPLAY](), "text/plain": this.line() };
  }
}
