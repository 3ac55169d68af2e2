/**
 * Corpus BLEU (Papineni et al., 2002): modified n-gram precisions summed over the whole corpus,
 * their geometric mean, times a brevity penalty.
 *
 *   p_n  = sum_hyp sum_ngram min(count_hyp, max_ref count_ref) / sum_hyp #ngrams(hyp)
 *   BP   = 1 if c > r else exp(1 - r / c)      c: total hypothesis length, r: total closest-reference length
 *   BLEU-N = BP * exp( (1/N) * sum_{n=1..N} ln p_n )
 *
 * Unsmoothed: BLEU-N is 0 as soon as one p_n (n <= N) is 0.
 */
import { tokenize } from "./tokenize";

/** The parts of a corpus BLEU computation. */
export interface BleuReport {
  /** bleu[n - 1] is BLEU-n for n = 1..maxOrder. */
  bleu: number[];
  /** precisions[n - 1] is the corpus modified n-gram precision p_n. */
  precisions: number[];
  /** Clipped matches and hypothesis n-gram totals per order (numerator, denominator of p_n). */
  matches: number[];
  totals: number[];
  /** The brevity penalty BP. */
  brevityPenalty: number;
  /** c: summed hypothesis length in tokens. */
  hypothesisLength: number;
  /** r: summed length of the reference closest in length to each hypothesis (ties: the shorter). */
  referenceLength: number;
}

/** A sentence as tokens, or as a string to be split with {@link tokenize}. */
export type Sentence = string | readonly string[];

function tokens(s: Sentence): readonly string[] {
  return typeof s === "string" ? tokenize(s) : s;
}

function ngramCounts(words: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const key = words.slice(i, i + n).join("\u0000");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Clipped n-gram matches of one hypothesis against its references, and its n-gram total.
 *   matches = sum_ngram min(count_hyp(ngram), max_ref count_ref(ngram))
 * @example
 * modifiedPrecision(["the cat is on the mat", "there is a cat on the mat"], "the the the the the the the", 1)
 * // { matches: 2, total: 7 }
 */
export function modifiedPrecision(references: readonly Sentence[], hypothesis: Sentence, n: number): { matches: number; total: number } {
  const hyp = ngramCounts(tokens(hypothesis), n);
  const maxRef = new Map<string, number>();
  for (const ref of references) {
    for (const [g, c] of ngramCounts(tokens(ref), n)) maxRef.set(g, Math.max(maxRef.get(g) ?? 0, c));
  }
  let matches = 0,
    total = 0;
  for (const [g, c] of hyp) {
    matches += Math.min(c, maxRef.get(g) ?? 0);
    total += c;
  }
  return { matches, total };
}

/** Length of the reference closest in length to `hypothesisLength` (ties: the shorter one). */
export function closestReferenceLength(references: readonly Sentence[], hypothesisLength: number): number {
  let best = Infinity;
  for (const ref of references) {
    const r = tokens(ref).length;
    const d = Math.abs(r - hypothesisLength),
      bd = Math.abs(best - hypothesisLength);
    if (d < bd || (d === bd && r < best)) best = r;
  }
  return best;
}

/**
 * BP = 1 if c > r, else exp(1 - r / c) (0 when c = 0).
 * @example
 * brevityPenalty(12, 28) // 0.2635971381157267
 */
export function brevityPenalty(hypothesisLength: number, referenceLength: number): number {
  if (hypothesisLength > referenceLength) return 1;
  if (hypothesisLength === 0) return 0;
  return Math.exp(1 - referenceLength / hypothesisLength);
}

/**
 * Corpus BLEU-1..maxOrder of `hypotheses` against their references.
 * @param references references[i] are the references of hypotheses[i] (one or more sentences each)
 * @param hypotheses one generated sentence per item
 * @example
 * const { bleu } = corpusBleu([["a red circle left of a blue square"]], ["a red circle left of a green square"]);
 * // bleu = [BLEU-1, BLEU-2, BLEU-3, BLEU-4]
 */
export function corpusBleu(references: readonly (readonly Sentence[])[], hypotheses: readonly Sentence[], maxOrder = 4): BleuReport {
  if (references.length !== hypotheses.length) {
    throw new Error(`Error in corpusBleu: ${hypotheses.length} hypotheses but ${references.length} reference lists; give one list of references per hypothesis.`);
  }
  const matches = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  let c = 0,
    r = 0;
  hypotheses.forEach((hyp, i) => {
    if (references[i].length === 0) throw new Error(`Error in corpusBleu: hypothesis ${i} has no references.`);
    for (let n = 1; n <= maxOrder; n++) {
      const m = modifiedPrecision(references[i], hyp, n);
      matches[n - 1] += m.matches;
      totals[n - 1] += m.total;
    }
    const len = tokens(hyp).length;
    c += len;
    r += closestReferenceLength(references[i], len);
  });
  const precisions = matches.map((m, k) => (totals[k] > 0 ? m / totals[k] : 0));
  const bp = brevityPenalty(c, r);
  const bleu: number[] = [];
  let logSum = 0;
  for (let n = 1; n <= maxOrder; n++) {
    // BLEU-n = BP * exp(mean_{k<=n} ln p_k)
    logSum += precisions[n - 1] > 0 ? Math.log(precisions[n - 1]) : -Infinity;
    bleu.push(logSum === -Infinity ? 0 : bp * Math.exp(logSum / n));
  }
  return { bleu, precisions, matches, totals, brevityPenalty: bp, hypothesisLength: c, referenceLength: r };
}
