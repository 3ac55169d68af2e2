/**
 * The slide's long-term dependency: "I grew up in India ... I speak fluent Hindi". The language
 * at the end depends only on the country at the start, with a filler gap of chosen length between.
 */
import { NDArray } from "../../ndarray/ndarray";
import { rng } from "../../ndarray/random";

/** Country and language pairs (the answer is the language). */
export const COUNTRY_LANGUAGE: readonly (readonly [string, string])[] = [
  ["india", "hindi"],
  ["france", "french"],
  ["japan", "japanese"],
  ["brazil", "portuguese"],
];

/** Words that fill the gap; none of them says anything about the country. */
export const FILLER_WORDS: readonly string[] = [
  "and", "then", "we", "moved", "to", "a", "new", "city", "where", "people", "often", "talk",
  "about", "food", "music", "the", "weather", "work", "friends", "every", "day", "after", "school",
];

/** A generated data set: word indices, answers, and the vocabulary to read them. */
export interface LongTermDependencyData {
  /** Word indices `[n, T]` with `T = 5 + gap + 3`: "i grew up in <country> <gap fillers> i speak fluent". */
  x: NDArray;
  /** The answer per sentence `[n]`: index of the language in {@link COUNTRY_LANGUAGE}. */
  y: NDArray;
  /** Word of each index. */
  vocab: string[];
  /** The answer words, by class index. */
  languages: string[];
  gap: number;
  /** Sentence `i` as text, with its answer. */
  sentence(i: number): string;
}

/**
 * Generates `n` sentences "i grew up in <country> <gap random filler words> i speak fluent" with
 * answer `<language>`; countries are drawn uniformly, so chance accuracy is 1 / 4.
 *
 * @example
 * ```ts
 * const data = longTermDependencyData({ gap: 10, n: 3, seed: 1 });
 * data.sentence(0); // "i grew up in japan and food ... i speak fluent -> japanese"
 * ```
 */
export function longTermDependencyData(options: { gap: number; n: number; seed?: number }): LongTermDependencyData {
  const { gap, n } = options;
  if (!Number.isInteger(gap) || gap < 0) throw new Error(`Error in longTermDependencyData: gap must be a non-negative integer, got ${gap}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`Error in longTermDependencyData: n must be a positive integer, got ${n}`);
  const vocab = ["i", "grew", "up", "in", "speak", "fluent", ...COUNTRY_LANGUAGE.map((p) => p[0]), ...FILLER_WORDS];
  const index = new Map(vocab.map((w, i) => [w, i]));
  const id = (w: string): number => index.get(w) as number;
  const r = rng(options.seed ?? 0);
  const T = 5 + gap + 3;
  const x = new NDArray([n, T]);
  const y = new NDArray([n]);
  for (let s = 0; s < n; s++) {
    const k = r.int(0, COUNTRY_LANGUAGE.length);
    const words = ["i", "grew", "up", "in", COUNTRY_LANGUAGE[k][0]];
    for (let g = 0; g < gap; g++) words.push(r.choice(FILLER_WORDS));
    words.push("i", "speak", "fluent");
    words.forEach((w, t) => (x.data[s * T + t] = id(w)));
    y.data[s] = k;
  }
  const languages = COUNTRY_LANGUAGE.map((p) => p[1]);
  return {
    x,
    y,
    vocab,
    languages,
    gap,
    sentence: (i) => `${Array.from(x.data.subarray(i * T, (i + 1) * T), (w) => vocab[w]).join(" ")} -> ${languages[y.data[i]]}`,
  };
}
