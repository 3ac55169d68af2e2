/**
 * The long-term dependency demonstration: train a small RNN and a small LSTM on
 * "I grew up in <country> ... I speak fluent <language>" for several gap lengths and plot
 * test accuracy against the gap; the same on the slides' short example, "the clouds are in the
 * sky"; and ask each trained model for its answer to a sentence of one's own.
 */
import { JUPYTER_DISPLAY, MimeBundle, createDisplayHandle, interruptRequested } from "../../display";
import { NDArray } from "../../ndarray/ndarray";
import { rng } from "../../ndarray/random";
import { argmaxRows } from "../../ndarray/reduce";
import { Figure } from "../../plot/figure";
import { linePlot } from "../../plot/line";
import { adam, AdamConfig } from "../../optim/rules/adam";
import { clipGradientsByNorm } from "../clipping";
import { CellType } from "../recurrent";
import { longTermDependencyData, dependencyTaskWords, DependencyTask } from "./long-term-dependency-data";
import { initSequenceClassifier, sequenceClassifierLoss, SequenceClassifierParams } from "./sequence-classifier";

/** What {@link longTermDependency} takes (all optional). */
export interface LongTermDependencySpec {
  /** Filler gap lengths to try (default [2, 8, 16, 24]). */
  gaps?: number[];
  cells?: CellType[];
  /** Hidden size (default 16); embedding size is 8. */
  hidden?: number;
  /** Adam steps per model (default 250; under CI 200). */
  iterations?: number;
  batchSize?: number;
  learningRate?: number;
  /** Test sentences per gap (default 200). */
  testSize?: number;
  seed?: number;
  /** Initial forget-gate bias of the LSTM (default 3: f ~ 0.95, so the cell starts out remembering ~20 steps). */
  forgetBias?: number;
  /** Show a progress line while training (default true). */
  progress?: boolean;
  /** Which sentences (default `"language"`, "i grew up in <country> ... i speak fluent"; `"sky"`, "the clouds ... are in the"). */
  task?: DependencyTask;
}

/** One trained model: its cell, gap, test accuracy, training loss curve and weights. */
export interface LongTermDependencyRun {
  cell: CellType;
  gap: number;
  accuracy: number;
  losses: number[];
  params: SequenceClassifierParams;
}

/** A trained model's answer to one sentence: the most probable answer word and every answer's probability. */
export interface DependencyPrediction {
  answer: string;
  /** Probability of `answer`. */
  p: number;
  /** Probability of each answer word. */
  probabilities: Record<string, number>;
}

/** Test accuracy against gap for each cell; displays as a Plotly figure with the chance level. */
export class LongTermDependencyResult {
  readonly chance: number;
  constructor(
    readonly gaps: number[],
    readonly runs: LongTermDependencyRun[],
    /** True when an interrupt stopped training early (the runs so far are kept). */
    readonly interrupted: boolean,
    readonly task: DependencyTask = "language",
  ) {
    this.chance = 1 / dependencyTaskWords(task).pairs.length;
  }

  /** The run of `cell` at `gap`. */
  run(cell: CellType, gap: number): LongTermDependencyRun {
    const run = this.runs.find((r) => r.cell === cell && r.gap === gap);
    if (!run) throw new Error(`LongTermDependencyResult: no run for ${cell} at gap ${gap}; have ${this.runs.map((r) => `${r.cell} ${r.gap}`).join(", ") || "none"}`);
    return run;
  }

  /** Accuracy of `cell` at `gap`. */
  accuracy(cell: CellType, gap: number): number {
    return this.run(cell, gap).accuracy;
  }

  /**
   * The answer of the model trained at `gap` to `sentence` (words separated by spaces, from the
   * task's vocabulary, any length), e.g. `predict("rnn", 0, "the clouds are in the")`.
   */
  predict(cell: CellType, gap: number, sentence: string): DependencyPrediction {
    const { vocab, pairs } = dependencyTaskWords(this.task);
    const words = sentence
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w.length > 0);
    const unknown = words.filter((w) => !vocab.includes(w));
    if (words.length === 0 || unknown.length > 0) {
      throw new Error(
        `LongTermDependencyResult.predict: the sentence must be words of the "${this.task}" task's vocabulary; ${words.length === 0 ? "it is empty" : `unknown: ${unknown.join(", ")}`} (known: ${vocab.join(" ")})`,
      );
    }
    const x = new NDArray(
      [1, words.length],
      Float64Array.from(words, (w) => vocab.indexOf(w)),
    );
    const scores = sequenceClassifierLoss(cell, this.run(cell, gap).params, x).scores.data;
    // p = softmax(scores)
    const max = Math.max(...scores);
    const e = Array.from(scores, (s) => Math.exp(s - max));
    const total = e.reduce((a, b) => a + b, 0);
    const probabilities: Record<string, number> = {};
    pairs.forEach((pair, k) => (probabilities[pair[1]] = e[k] / total));
    const best = e.indexOf(Math.max(...e));
    return { answer: pairs[best][1], p: e[best] / total, probabilities };
  }

  figure(): Figure {
    const cells = [...new Set(this.runs.map((r) => r.cell))];
    const series = cells.map((cell) => {
      const runs = this.runs.filter((r) => r.cell === cell);
      return { name: cell.toUpperCase(), x: runs.map((r) => r.gap), y: runs.map((r) => r.accuracy) };
    });
    series.push({ name: "chance", x: this.gaps, y: this.gaps.map(() => this.chance) });
    const what = this.task === "language" ? '"I grew up in <country> ... I speak fluent <language>"' : '"the <subject> ... are in the <place>"';
    const fig = linePlot(series, { title: `${what}: test accuracy against gap`, xTitle: "gap (filler words)", yTitle: "test accuracy", markers: true });
    fig.data[fig.data.length - 1].line = { dash: "dot", color: "gray" };
    return fig;
  }

  toString(): string {
    const cells = [...new Set(this.runs.map((r) => r.cell))];
    const header = `  gap   ${cells.map((c) => c.toUpperCase().padStart(6)).join(" ")}`;
    const rows = this.gaps.map(
      (g) =>
        `  ${String(g).padEnd(5)} ${cells
          .map((c) => {
            const run = this.runs.find((r) => r.cell === c && r.gap === g);
            return (run ? run.accuracy.toFixed(2) : "-").padStart(6);
          })
          .join(" ")}`,
    );
    return `${this.task === "language" ? "Long-term dependency" : "Short-gap dependency"} (chance ${this.chance.toFixed(2)})${this.interrupted ? " (interrupted)" : ""}:\n${header}\n${rows.join("\n")}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { ...this.figure()[JUPYTER_DISPLAY](), "text/plain": this.toString() };
  }
}

/** Rows `idx` of a 2-D or 1-D array. */
function rows(x: NDArray, idx: number[]): NDArray {
  const width = x.ndim === 1 ? 1 : x.shape[1];
  const out = new NDArray(x.ndim === 1 ? [idx.length] : [idx.length, width]);
  idx.forEach((i, k) => out.data.set(x.data.subarray(i * width, (i + 1) * width), k * width));
  return out;
}

/** Fraction of rows whose highest score is the label. */
function accuracyOf(scores: NDArray, y: NDArray): number {
  return argmaxRows(scores).filter((best, n) => best === y.data[n]).length / scores.shape[0];
}

/**
 * Trains a small RNN and LSTM classifier (embedding 8, hidden 16, Adam, global-norm clipping at 5)
 * per gap on freshly generated sentences and measures test accuracy. The LSTM keeps the country
 * across long gaps where the vanilla RNN falls towards chance (0.25); on short gaps (task `"sky"`,
 * "the clouds are in the sky") both are right. Under `CI` the default number of steps shrinks, so
 * that the demo stays a short part of the test run.
 *
 * @example
 * ```ts
 * const result = longTermDependency({ gaps: [2, 8, 16, 24] });
 * result;                          // accuracy against gap, RNN and LSTM, with chance
 * result.accuracy("lstm", 24);
 * longTermDependency({ task: "sky", gaps: [0] }).predict("rnn", 0, "the clouds are in the").answer; // "sky"
 * ```
 */
export function longTermDependency(spec: LongTermDependencySpec = {}): LongTermDependencyResult {
  const gaps = spec.gaps ?? [2, 8, 16, 24];
  const cells = spec.cells ?? ["rnn", "lstm"];
  const H = spec.hidden ?? 16;
  const E = 8;
  const iterations = spec.iterations ?? (process.env.CI ? 200 : 250);
  const batchSize = spec.batchSize ?? 32;
  const learningRate = spec.learningRate ?? 0.02;
  const testSize = spec.testSize ?? 200;
  const seed = spec.seed ?? 0;
  const task = spec.task ?? "language";
  const K = dependencyTaskWords(task).pairs.length;
  const handle = spec.progress === false ? undefined : createDisplayHandle();
  const runs: LongTermDependencyRun[] = [];
  let interrupted = false;
  for (const gap of gaps) {
    const train = longTermDependencyData({ gap, n: batchSize * 20, seed: seed * 1000 + gap, task });
    const test = longTermDependencyData({ gap, n: testSize, seed: seed * 1000 + gap + 500, task });
    const V = train.vocab.length;
    for (const cell of cells) {
      const r = rng(seed + 7);
      const params = initSequenceClassifier(r, cell, V, E, H, K, spec.forgetBias ?? 3);
      const configs = new Map<keyof SequenceClassifierParams, Partial<AdamConfig>>();
      const losses: number[] = [];
      for (let it = 0; it < iterations; it++) {
        if (interruptRequested()) {
          interrupted = true;
          break;
        }
        const idx = Array.from({ length: batchSize }, () => r.int(0, train.y.size));
        const { loss, grads } = sequenceClassifierLoss(cell, params, rows(train.x, idx), rows(train.y, idx));
        losses.push(loss);
        if (!grads) break;
        const { grads: clipped } = clipGradientsByNorm(grads, 5);
        for (const key of Object.keys(params) as (keyof SequenceClassifierParams)[]) {
          const step = adam(params[key], clipped[key], configs.get(key) ?? { learningRate });
          params[key] = step.nextW;
          configs.set(key, step.config);
        }
        if (handle && (it % 25 === 0 || it === iterations - 1)) handle.update(`gap ${gap}, ${cell.toUpperCase()}: step ${it + 1}/${iterations}, loss ${loss.toFixed(3)}`);
      }
      const accuracy = accuracyOf(sequenceClassifierLoss(cell, params, test.x).scores, test.y);
      runs.push({ cell, gap, accuracy, losses, params });
      if (interrupted) break;
    }
    if (interrupted) break;
  }
  handle?.close();
  return new LongTermDependencyResult(gaps, runs, interrupted, task);
}
