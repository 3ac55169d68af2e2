/**
 * A generated translation task for sequence to sequence: dates written in many human formats,
 * "Tuesday, 3 March 1998", "03/03/98", "march 3rd, 1998", to ISO dates "1998-03-03".
 * Character level on both sides. Seeded; splits never share a source string.
 */
import { SeededRandom } from "../random/seeded-random";

/** One pair: a human-written date and its ISO form. */
export interface TranslationPair {
  source: string;
  target: string;
}

/** Train/validation/test pairs. */
export interface TranslationSplits {
  train: TranslationPair[];
  validation: TranslationPair[];
  test: TranslationPair[];
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function ordinal(d: number): string {
  const suffix = d % 10 === 1 && d !== 11 ? "st" : d % 10 === 2 && d !== 12 ? "nd" : d % 10 === 3 && d !== 13 ? "rd" : "th";
  return `${d}${suffix}`;
}

function capitalize(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

/** The human formats, each a function of (year, month 1-12, day, weekday 0=monday). */
export const DATE_FORMATS: readonly ((y: number, m: number, d: number, w: number) => string)[] = [
  (y, m, d) => `${d} ${MONTHS[m - 1]} ${y}`,
  (y, m, d) => `${capitalize(MONTHS[m - 1])} ${d}, ${y}`,
  (y, m, d, w) => `${capitalize(WEEKDAYS[w])}, ${d} ${capitalize(MONTHS[m - 1])} ${y}`,
  (y, m, d) => `${MONTHS[m - 1]} ${ordinal(d)}, ${y}`,
  (y, m, d) => `${pad2(d)}/${pad2(m)}/${y}`,
  (y, m, d) => `${pad2(d)}.${pad2(m)}.${y}`,
  (y, m, d) => `${d} ${capitalize(MONTHS[m - 1]).slice(0, 3)} ${y}`,
  (y, m, d) => `${capitalize(MONTHS[m - 1]).slice(0, 3)} ${d} ${y}`,
  (y, m, d) => `the ${ordinal(d)} of ${MONTHS[m - 1]} ${y}`,
  (y, m, d, w) => `${WEEKDAYS[w].slice(0, 3)} ${MONTHS[m - 1].slice(0, 3)} ${pad2(d)} ${y}`,
];

/** "1998-03-03". */
export function isoDate(y: number, m: number, d: number): string {
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Days in month m (1-12) of year y, leap years included. */
function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * One random pair: a date between 1950 and 2049 in a random format, and its ISO form.
 * @example randomDatePair(new SeededRandom(1)) // e.g. { source: "the 3rd of march 1998", target: "1998-03-03" }
 */
export function randomDatePair(random: SeededRandom): TranslationPair {
  const y = 1950 + random.int(100),
    m = 1 + random.int(12),
    d = 1 + random.int(daysInMonth(y, m));
  const w = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // 0 = monday
  return { source: random.pick(DATE_FORMATS)(y, m, d, w), target: isoDate(y, m, d) };
}

/**
 * Seeded train/validation/test date pairs with no source string in two splits.
 * @example
 * const { train, test } = dateTranslationSplits({ train: 5000, validation: 500, test: 500, seed: 0 });
 */
export function dateTranslationSplits(sizes: { train: number; validation: number; test: number; seed?: number }): TranslationSplits {
  const random = new SeededRandom(sizes.seed ?? 0);
  const seen = new Set<string>();
  const draw = (count: number): TranslationPair[] => {
    const out: TranslationPair[] = [];
    let tries = 0;
    while (out.length < count) {
      if (++tries > count * 50 + 1000) throw new Error(`Error in dateTranslationSplits: could not draw ${count} distinct dates; ask for fewer pairs.`);
      const pair = randomDatePair(random);
      if (seen.has(pair.source)) continue;
      seen.add(pair.source);
      out.push(pair);
    }
    return out;
  };
  return { train: draw(sizes.train), validation: draw(sizes.validation), test: draw(sizes.test) };
}
