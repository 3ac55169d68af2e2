/**
 * The comparison runner: trains every method on every data set with every seed, scores each on
 * the data set's test split, and collects a {@link ResultsTable}. Progress shows while it runs;
 * an interrupt (the notebook's stop button) ends it between runs, keeping the finished ones.
 */
import { createDisplayHandle, interruptRequested } from "../display";
import { validateDataset, type Dataset } from "./dataset";
import type { Method } from "./method";
import { resolveMetric, type Metric } from "./metric";
import { ComparisonProgress } from "./progress";
import { loadDataset, type LoadOptions } from "./registry";
import { ResultsTable } from "./results-table";
import "./datasets";

/** What {@link compare} runs. */
export interface CompareOptions {
  /** The methods to compare (rows of the table). */
  methods: Method[];
  /** Data sets by registry name ("mnist", "fashion-mnist", "spiral", "blobs") or loaded (columns). */
  datasets: (string | Dataset)[];
  /** The seeds each method runs with on each data set, or how many (3 means seeds 0, 1, 2). */
  seeds: number[] | number;
  /** "accuracy", "error", or a {@link Metric}. */
  metric: string | Metric;
  /** Sizes for data sets named by registry name, e.g. { trainSize: 1000, testSize: 500 }. */
  load?: LoadOptions;
  /** Show progress (default true). */
  progress?: boolean;
}

let last: ResultsTable | undefined;

/**
 * The table of the most recent {@link compare} call, finished or interrupted. After an interrupt the
 * notebook reports the cell as interrupted and its `const table = await compare(...)` is never
 * assigned; the finished runs are still here.
 *
 * @example
 * // cell 1 (interrupted):  const table = await compare({ ... });
 * // cell 2:
 * const partial = lastComparison()!;
 * partial.interrupted; // true
 * partial.runs.length; // the runs that finished
 */
export function lastComparison(): ResultsTable | undefined {
  return last;
}

/** Seeds as a list: a count n becomes 0 .. n-1. */
function seedList(seeds: number[] | number): number[] {
  const list = typeof seeds === "number" ? Array.from({ length: seeds }, (_, i) => i) : seeds;
  if (list.length === 0 || list.some((s) => !Number.isFinite(s))) {
    throw new Error(`Error in compare: seeds = ${JSON.stringify(seeds)}; give a list of numbers like [0, 1, 2] or a count like 3.`);
  }
  return list;
}

/** Lets the kernel deliver an interrupt (and the display its update) between runs. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Compares `methods` on `datasets` over `seeds`, scoring each run by `metric` on the test split.
 * Returns the results table: mean and std over seeds per (method, data set), best per data set
 * marked; `table.interrupted` is true when an interrupt stopped it early (finished runs are kept,
 * shown in place of the progress bar, and returned by {@link lastComparison}).
 *
 * Runs: |methods| x |datasets| x |seeds|; each run is fit(train, seed) then predict(test).
 *
 * @example
 * import { compare, nearestCentroid, softmaxRegression, kNearestNeighbours } from "dl-workbook/compare";
 * const table = await compare({
 *   methods: [nearestCentroid(), softmaxRegression({ epochs: 5 }), kNearestNeighbours(3)],
 *   datasets: ["mnist", "fashion-mnist"],
 *   seeds: [0, 1, 2],
 *   metric: "accuracy",
 *   load: { trainSize: 1000, testSize: 500 },
 * });
 * table;            // an HTML table in the notebook
 * table.toLaTeX();  // for the report
 * table.plot();     // grouped bars with error bars
 */
export async function compare(options: CompareOptions): Promise<ResultsTable> {
  const { methods, datasets } = options;
  if (!Array.isArray(methods) || methods.length === 0) throw new Error("Error in compare: methods is empty; give at least one method, e.g. methods: [nearestCentroid()].");
  if (!Array.isArray(datasets) || datasets.length === 0) throw new Error('Error in compare: datasets is empty; give at least one, e.g. datasets: ["mnist", "fashion-mnist"].');
  const names = methods.map((m) => m.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new Error(`Error in compare: two methods are named "${duplicate}"; give each method its own name, e.g. { ...method, name: "${duplicate} (lr 0.1)" }.`);
  const seeds = seedList(options.seeds);
  const metric = resolveMetric(options.metric);
  const showProgress = options.progress ?? true;

  const datasetNames = datasets.map((d) => (typeof d === "string" ? d : d.name));
  const table = new ResultsTable(names, datasetNames, seeds, metric);
  last = table;
  const total = methods.length * datasets.length * seeds.length;
  const progress = showProgress ? createDisplayHandle(new ComparisonProgress(0, total, "loading data")) : undefined;

  try {
    for (let d = 0; d < datasets.length; d++) {
      const entry = datasets[d];
      const dataset = typeof entry === "string" ? await loadDataset(entry, options.load) : entry;
      validateDataset(dataset);
      for (const method of methods) {
        for (const seed of seeds) {
          await yieldToEventLoop();
          if (interruptRequested()) {
            table.interrupted = true;
            // the progress output becomes the partial table, so the finished runs stay in view
            progress?.update(table);
            return table;
          }
          const what = `${method.name} on ${datasetNames[d]}, seed ${seed}`;
          progress?.update(new ComparisonProgress(table.runs.length, total, what));
          const start = performance.now();
          let score: number;
          try {
            const classifier = await method.fit(dataset.train, dataset, seed);
            const predicted = await classifier.predict(dataset.test.x, dataset.test.count);
            score = metric.score(dataset.test.y, predicted);
          } catch (err) {
            throw new Error(`Error in compare: ${what} failed: ${(err as Error).message}`, { cause: err });
          }
          table.add({ method: method.name, dataset: datasetNames[d], seed, score, seconds: (performance.now() - start) / 1000 });
        }
      }
    }
    progress?.update(new ComparisonProgress(total, total, "done"));
    return table;
  } finally {
    progress?.close();
  }
}
