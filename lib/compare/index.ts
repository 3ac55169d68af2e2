/**
 * `dl-workbook/compare`: compare several methods on two or more data sets over several seeds,
 * the way a project's comparison is reported: a table of mean +- std with the best marked,
 * exported to CSV and LaTeX and plotted as grouped bars with error bars.
 *
 * @example
 * import { compare, nearestCentroid, softmaxRegression } from "dl-workbook/compare";
 * const table = await compare({ methods: [nearestCentroid(), softmaxRegression()], datasets: ["spiral", "blobs"], seeds: 3, metric: "accuracy" });
 */
export { compare, lastComparison, type CompareOptions } from "./compare";
export { ResultsTable, type Run, type FormatOptions } from "./results-table";
export { ComparisonProgress } from "./progress";
export { summarize, type Summary } from "./stats";
export { accuracy, errorRate, resolveMetric, METRICS, type Metric } from "./metric";
export type { Method, Classifier } from "./method";
export { featureCount, validateDataset, type Dataset, type Split } from "./dataset";
export { registerDataset, findDataset, listDatasets, loadDataset, normalizeDatasetName, type DatasetSpec, type LoadOptions } from "./registry";
export * from "./datasets";
export { nearestCentroid } from "./methods/nearest-centroid";
export { kNearestNeighbours } from "./methods/k-nearest-neighbours";
export { softmaxRegression, type SoftmaxRegressionOptions } from "./methods/softmax-regression";
export { seededRandom, type Random } from "./random";
