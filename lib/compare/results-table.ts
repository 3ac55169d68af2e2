/**
 * The results of a comparison: one score per (method, data set, seed) run, summarized per cell
 * as mean +- std over seeds, with the best method per data set marked. It displays itself as an
 * HTML table in a notebook and exports as CSV, LaTeX and a grouped bar chart with error bars.
 */
import { JUPYTER_DISPLAY, type MimeBundle } from "../display";
import { barChart, type Figure } from "../plot";
import type { Metric } from "./metric";
import { summarize, type Summary } from "./stats";

/** One finished run: a method trained with one seed on one data set, scored on its test split. */
export interface Run {
  method: string;
  dataset: string;
  seed: number;
  /** The metric's value on the test split. */
  score: number;
  /** Wall-clock seconds of training and prediction. */
  seconds: number;
}

/** Formatting of numbers in exports. */
export interface FormatOptions {
  /** Digits after the decimal point. Default 3. */
  digits?: number;
}

/** Escapes the characters LaTeX treats specially in text. */
function latexText(text: string): string {
  return text.replace(/[\\&%$#_{}~^]/g, (c) => (c === "\\" ? "\\textbackslash{}" : c === "~" ? "\\textasciitilde{}" : c === "^" ? "\\textasciicircum{}" : `\\${c}`));
}

/** Escapes text for HTML. */
function htmlText(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

/** Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value: string | number | boolean): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A table of comparison results: rows are methods, columns data sets, each cell mean +- std of
 * the metric over the seeds that finished.
 *
 * @example
 * const table = await compare({ methods, datasets: ["mnist", "fashion-mnist"], seeds: [0, 1, 2], metric: "accuracy" });
 * table.cell("softmax regression", "mnist"); // { mean: 0.87, std: 0.004, n: 3 }
 * table.best("mnist");                       // "3-NN"
 * fs.writeFileSync("results.tex", table.toLaTeX());
 * display(table.plot());
 */
export class ResultsTable {
  /** Every finished run, in the order they finished. */
  readonly runs: Run[] = [];
  /** True when the comparison was interrupted before every run finished. */
  interrupted = false;

  constructor(
    /** Method names, the rows. */
    readonly methods: readonly string[],
    /** Data set names, the columns. */
    readonly datasets: readonly string[],
    /** The seeds each cell was to run. */
    readonly seeds: readonly number[],
    /** The metric the scores are in. */
    readonly metric: Metric,
  ) {}

  /** Records a finished run. */
  add(run: Run): void {
    if (!this.methods.includes(run.method)) throw new Error(`Error in ResultsTable.add: method "${run.method}" is not one of ${this.methods.join(", ")}.`);
    if (!this.datasets.includes(run.dataset)) throw new Error(`Error in ResultsTable.add: data set "${run.dataset}" is not one of ${this.datasets.join(", ")}.`);
    this.runs.push(run);
  }

  /** The scores of one cell, in seed order of finishing. */
  scores(method: string, dataset: string): number[] {
    return this.runs.filter((r) => r.method === method && r.dataset === dataset).map((r) => r.score);
  }

  /** Mean, std and n of one cell, or undefined when none of its runs finished. */
  cell(method: string, dataset: string): Summary | undefined {
    const scores = this.scores(method, dataset);
    return scores.length === 0 ? undefined : summarize(scores);
  }

  /** The method with the best mean on `dataset` (largest, or smallest for errors), or undefined when no cell finished. */
  best(dataset: string): string | undefined {
    let winner: string | undefined;
    let winnerMean = 0;
    for (const method of this.methods) {
      const summary = this.cell(method, dataset);
      if (!summary) continue;
      const better = this.metric.higherIsBetter ? summary.mean > winnerMean : summary.mean < winnerMean;
      if (winner === undefined || better) {
        winner = method;
        winnerMean = summary.mean;
      }
    }
    return winner;
  }

  /** True when every method ran every seed on every data set. */
  get complete(): boolean {
    return this.runs.length === this.methods.length * this.datasets.length * this.seeds.length;
  }

  /**
   * One line per cell: `method,dataset,metric,mean,std,n,best` (best is true for the best method
   * of the data set). Cells with no finished run are left out. With `{ runs: true }`, one line per
   * run instead: `method,dataset,seed,metric,score,seconds`.
   */
  toCSV(options: { runs?: boolean } = {}): string {
    if (options.runs) {
      const lines = this.runs.map((r) => [r.method, r.dataset, r.seed, this.metric.name, r.score, r.seconds.toFixed(3)].map(csvField).join(","));
      return ["method,dataset,seed,metric,score,seconds", ...lines].join("\n") + "\n";
    }
    const lines: string[] = [];
    for (const dataset of this.datasets) {
      const best = this.best(dataset);
      for (const method of this.methods) {
        const s = this.cell(method, dataset);
        if (s) lines.push([method, dataset, this.metric.name, s.mean, s.std, s.n, method === best].map(csvField).join(","));
      }
    }
    return ["method,dataset,metric,mean,std,n,best", ...lines].join("\n") + "\n";
  }

  /** A cell's text, e.g. "0.912 ± 0.004", or "–" when it did not run; `n` is shown when fewer seeds finished. */
  private cellText(method: string, dataset: string, digits: number, pm: string, dash: string): string {
    const s = this.cell(method, dataset);
    if (!s) return dash;
    const partial = s.n < this.seeds.length ? ` (n=${s.n})` : "";
    return `${s.mean.toFixed(digits)}${pm}${s.std.toFixed(digits)}${partial}`;
  }

  /** What the numbers are: "accuracy, mean ± std over 3 seeds; best per data set in bold". */
  private caption(pm: string): string {
    const interrupted = this.interrupted ? `; interrupted after ${this.runs.length} of ${this.methods.length * this.datasets.length * this.seeds.length} runs` : "";
    return `${this.metric.name} (${this.metric.higherIsBetter ? "higher" : "lower"} is better), mean${pm}std over ${this.seeds.length} seed${this.seeds.length === 1 ? "" : "s"}; best per data set in bold${interrupted}`;
  }

  /**
   * A LaTeX tabular (methods x data sets), cells `$0.912 \pm 0.004$`, the best of each column in bold.
   *
   * @example
   * fs.writeFileSync("results.tex", table.toLaTeX({ digits: 2 }));
   */
  toLaTeX(options: FormatOptions = {}): string {
    const digits = options.digits ?? 3;
    const header = ["Method", ...this.datasets.map(latexText)].join(" & ");
    const rows = this.methods.map((method) => {
      const cells = this.datasets.map((dataset) => {
        const s = this.cell(method, dataset);
        if (!s) return "--";
        const partial = s.n < this.seeds.length ? ` (n=${s.n})` : "";
        const value = `${s.mean.toFixed(digits)} \\pm ${s.std.toFixed(digits)}`;
        return (this.best(dataset) === method ? `$\\mathbf{${value}}$` : `$${value}$`) + partial;
      });
      return [latexText(method), ...cells].join(" & ") + " \\\\";
    });
    return (
      [
        "\\begin{table}[ht]",
        "\\centering",
        `\\begin{tabular}{l${"c".repeat(this.datasets.length)}}`,
        "\\hline",
        `${header} \\\\`,
        "\\hline",
        ...rows,
        "\\hline",
        "\\end{tabular}",
        `\\caption{${latexText(this.caption("\u00b1")).replace("\u00b1", "$\\pm$")}}`,
        "\\end{table}",
      ].join("\n") + "\n"
    );
  }

  /** An HTML table with the best of each data set in bold. */
  toHTML(options: FormatOptions = {}): string {
    const digits = options.digits ?? 3;
    const head = `<tr><th>method</th>${this.datasets.map((d) => `<th>${htmlText(d)}</th>`).join("")}</tr>`;
    const body = this.methods
      .map((method) => {
        const cells = this.datasets.map((dataset) => {
          const text = htmlText(this.cellText(method, dataset, digits, " ± ", "–"));
          return `<td>${this.best(dataset) === method ? `<b>${text}</b>` : text}</td>`;
        });
        return `<tr><th style="text-align:left">${htmlText(method)}</th>${cells.join("")}</tr>`;
      })
      .join("");
    return `<table><caption>${htmlText(this.caption(" ± "))}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`;
  }

  /** A plain-text table, the best of each data set marked with *. */
  toString(options: FormatOptions = {}): string {
    const digits = options.digits ?? 3;
    const rows = [["method", ...this.datasets]];
    for (const method of this.methods) {
      rows.push([method, ...this.datasets.map((d) => this.cellText(method, d, digits, " ± ", "-") + (this.best(d) === method ? " *" : ""))]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    const lines = rows.map((row) =>
      row
        .map((text, c) => text.padEnd(widths[c]))
        .join("  ")
        .trimEnd(),
    );
    return [...lines, `(${this.caption(" ± ").replace("in bold", "marked *")})`].join("\n");
  }

  /**
   * Grouped bars: one group per data set, one bar per method, error bars of one std.
   *
   * @example
   * display(table.plot());
   */
  plot(): Figure {
    const series = this.methods.map((method) => {
      const cells = this.datasets.map((dataset) => this.cell(method, dataset));
      return { name: method, y: cells.map((s) => s?.mean ?? NaN), error: cells.map((s) => s?.std ?? 0) };
    });
    return barChart([...this.datasets], series, { title: `${this.metric.name}: mean ± std over seeds`, xTitle: "data set", yTitle: this.metric.name });
  }

  /** The notebook shows the HTML table; plain text elsewhere. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": this.toHTML() };
  }
}
