/**
 * The slides' two dependencies. The long one: "I grew up in India ... I speak fluent Hindi", the
 * language at the end depends only on the country at the start, with a filler gap of chosen length
 * between. The short one: "the clouds are in the sky", the place depends on a word three words back.
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

/** Subject and place pairs of the short example, "the clouds are in the sky" (the answer is the place). */
export const SUBJECT_PLACE: readonly (readonly [string, string])[] = [
  ["clouds", "sky"],
  ["fish", "sea"],
  ["cars", "street"],
  ["books", "library"],
];

/**
 * Which sentence a data set holds: `"language"`, "i grew up in <country> <gap> i speak fluent" ->
 * <language>; `"sky"`, "the <subject> <gap> are in the" -> <place> (gap 0 is the slide's
 * "the clouds are in the" -> "sky", three words between the clue and the blank).
 */
export type DependencyTask = "language" | "sky";

/** Words that fill the gap; none of them says anything about the country. */
export const FILLER_WORDS: readonly string[] = [
  "and",
  "then",
  "we",
  "moved",
  "to",
  "a",
  "new",
  "city",
  "where",
  "people",
  "often",
  "talk",
  "about",
  "food",
  "music",
  "the",
  "weather",
  "work",
  "friends",
  "every",
  "day",
  "after",
  "school",
];

/** A generated data set: word indices, answers, and the vocabulary to read them. */
export interface LongTermDependencyData {
  /**
   * Word indices `[n, T]`: task "language", `T = 5 + gap + 3`, "i grew up in <country> <gap fillers> i speak fluent";
   * task "sky", `T = 2 + gap + 3`, "the <subject> <gap fillers> are in the".
   */
  x: NDArray;
  /** The answer per sentence `[n]`: index of the language in {@link COUNTRY_LANGUAGE} (of the place in {@link SUBJECT_PLACE}). */
  y: NDArray;
  /** Word of each index. */
  vocab: string[];
  /** The answer words, by class index (the languages, or the places). */
  answers: string[];
  task: DependencyTask;
  gap: number;
  /** Sentence `i` as text, with its answer. */
  sentence(i: number): string;
}

/** The words of a task's sentences (the index of a word is its position) and its clue/answer pairs. */
export function dependencyTaskWords(task: DependencyTask): { vocab: string[]; pairs: readonly (readonly [string, string])[] } {
  if (task === "language") return { vocab: ["i", "grew", "up", "in", "speak", "fluent", ...COUNTRY_LANGUAGE.map((p) => p[0]), ...FILLER_WORDS], pairs: COUNTRY_LANGUAGE };
  if (task === "sky") return { vocab: [...new Set(["the", "are", "in", ...SUBJECT_PLACE.map((p) => p[0]), ...FILLER_WORDS])], pairs: SUBJECT_PLACE };
  throw new Error(`Error in longTermDependencyData: task must be "language" or "sky", got "${String(task)}"`);
}

/**
 * Generates `n` sentences "i grew up in <country> <gap random filler words> i speak fluent" with
 * answer `<language>` (task `"sky"`: "the <subject> <gap fillers> are in the" with answer `<place>`);
 * the clue is drawn uniformly from 4, so chance accuracy is 1 / 4.
 *
 * @example
 * ```ts
 * const data = longTermDependencyData({ gap: 10, n: 3, seed: 1 });
 * data.sentence(0); // "i grew up in japan and food ... i speak fluent -> japanese"
 * longTermDependencyData({ task: "sky", gap: 0, n: 1 }).sentence(0); // e.g. "the clouds are in the -> sky"
 * ```
 */
export function longTermDependencyData(options: { gap: number; n: number; seed?: number; task?: DependencyTask }): LongTermDependencyData {
  const { gap, n } = options;
  const task = options.task ?? "language";
  if (!Number.isInteger(gap) || gap < 0) throw new Error(`Error in longTermDependencyData: gap must be a non-negative integer, got ${gap}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`Error in longTermDependencyData: n must be a positive integer, got ${n}`);
  const { vocab, pairs } = dependencyTaskWords(task);
  const index = new Map(vocab.map((w, i) => [w, i]));
  const id = (w: string): number => index.get(w) as number;
  const r = rng(options.seed ?? 0);
  const [before, after] =
    task === "language"
      ? [
          ["i", "grew", "up", "in"],
          ["i", "speak", "fluent"],
        ]
      : [["the"], ["are", "in", "the"]];
  const T = before.length + 1 + gap + after.length;
  const x = new NDArray([n, T]);
  const y = new NDArray([n]);
  for (let s = 0; s < n; s++) {
    const k = r.int(0, pairs.length);
    const words = [...before, pairs[k][0]];
    for (let g = 0; g < gap; g++) words.push(r.choice(FILLER_WORDS));
    words.push(...after);
    words.forEach((w, t) => (x.data[s * T + t] = id(w)));
    y.data[s] = k;
  }
  const answers = pairs.map((p) => p[1]);
  return {
    x,
    y,
    vocab,
    answers,
    task,
    gap,
    sentence: (i) => `${Array.from(x.data.subarray(i * T, (i + 1) * T), (w) => vocab[w]).join(" ")} -> ${answers[y.data[i]]}`,
  };
}
