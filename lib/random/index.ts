/**
 * Seeded randomness for everything that is not an NDArray: {@link mulberry32}, the uniform
 * generator behind data splits and shuffles (lib/data), comparisons (lib/compare), generated
 * data sets and sampling (lib/seq, lib/captioning), and {@link SeededRandom} on top of it. The
 * same seed gives the same sequence on every machine and every version. (`rng` from
 * `dl-workbook` is the numpy-like generator for arrays.)
 *
 * @example
 * import { SeededRandom } from "dl-workbook/seq";
 * const random = new SeededRandom(0);
 * random.normal(); // the same number on every machine
 */
export * from "./mulberry32";
export * from "./seeded-random";
