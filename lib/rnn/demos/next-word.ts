/**
 * The lecture's next-word example: "What are the places to go in Las Vegas?" read one word at a
 * time by a small word-level RNN language model, which at every step predicts the next word, the
 * question mark included (it is a token of its own: the model must predict it after "vegas").
 */
import { JUPYTER_DISPLAY, MimeBundle } from "../../display";
import { NDArray } from "../../ndarray/ndarray";
import { rng } from "../../ndarray/random";
import { zeros } from "../../ndarray/create";
import { adam, AdamConfig } from "../../optim/rules/adam";
import { CellType, recurrentForward, recurrentBackward } from "../recurrent";
import { wordEmbeddingForward, wordEmbeddingBackward } from "../word-embedding";
import { temporalAffineForward, temporalAffineBackward } from "../temporal-affine";
import { temporalSoftmaxLoss } from "../temporal-softmax-loss";

/** The slide's sentence. */
export const NEXT_WORD_SENTENCE = "What are the places to go in Las Vegas?";

/**
 * The small corpus the demo's model learns from: the slide's sentence and a few that share its
 * words, so that what follows "las vegas" ("?" or "in") depends on how the sentence began.
 */
export const NEXT_WORD_CORPUS: readonly string[] = [
  "What are the places to go in Las Vegas?",
  "What are the shows to see in Las Vegas?",
  "What are the places to eat in Paris?",
  "Where are the places to go in Paris?",
  "We go to Las Vegas in June.",
  "The places to go in Paris are many.",
];

/**
 * Splits text into lower-case word tokens; `?`, `.`, `,` and `!` are tokens of their own.
 *
 * @example
 * ```ts
 * wordTokens("What are the places to go in Las Vegas?"); // ["what", "are", ..., "vegas", "?"]
 * ```
 */
export function wordTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/([?.,!])/g, " $1 ")
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/** What {@link nextWordDemo} takes (all optional). */
export interface NextWordDemoSpec {
  /** The sentence read word by word (default {@link NEXT_WORD_SENTENCE}); every word of it must occur in the corpus. */
  sentence?: string;
  /** Training sentences (default {@link NEXT_WORD_CORPUS}); the sentence is added when missing. */
  corpus?: readonly string[];
  /** Recurrent cell (default "rnn"). */
  cell?: CellType;
  /** Hidden size (default 32). */
  hidden?: number;
  /** Word-vector size (default 16). */
  embedding?: number;
  /** Adam steps on the whole corpus (default 200; 0 shows the untrained model). */
  iterations?: number;
  /** Adam's learning rate (default 0.02). */
  learningRate?: number;
  /** How many candidates to show per step (default 3). */
  topK?: number;
  seed?: number;
}

/** One step of the sentence: the word read, the word that follows, and what the model predicts. */
export interface NextWordStep {
  /** The words read so far (the last one is this step's input). */
  prefix: string[];
  /** The word that actually follows. */
  next: string;
  /** The model's most probable next word. */
  predicted: string;
  /** The probability the model gives the word that actually follows. */
  pNext: number;
  /** The `topK` most probable next words, best first. */
  top: { word: string; p: number }[];
}

/** The word-by-word predictions; displays as a table. */
export class NextWordDemoResult {
  constructor(
    /** The sentence's tokens. */
    readonly tokens: string[],
    readonly steps: NextWordStep[],
    /** The model's vocabulary (index 0 is `<null>`, the padding). */
    readonly vocab: string[],
    /** Training loss per iteration (nats per predicted word). */
    readonly losses: number[],
  ) {}

  /** The step whose input is word `t` of the sentence (0-based). */
  step(t: number): NextWordStep {
    const s = this.steps[t];
    if (!s) throw new Error(`NextWordDemoResult.step: t must be in [0, ${this.steps.length - 1}] (one step per word but the last), got ${t}`);
    return s;
  }

  /** Number of steps whose most probable word is the word that actually follows. */
  get correct(): number {
    return this.steps.filter((s) => s.predicted === s.next).length;
  }

  toString(): string {
    const lines = this.steps.map((s) => {
      const cands = s.top.map((c) => `${c.word} ${c.p.toFixed(2)}`).join(", ");
      return `  ${s.prefix.join(" ").padEnd(40)} -> ${s.next.padEnd(7)} p = ${s.pNext.toFixed(2)}   predicted ${s.predicted.padEnd(7)} (${cands})`;
    });
    return `Next word, word by word (${this.correct} of ${this.steps.length} right):\n${lines.join("\n")}`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const rows = this.steps
      .map(
        (s) =>
          `<tr><td>${esc(s.prefix.join(" "))}</td><td><b>${esc(s.next)}</b></td><td>${s.pNext.toFixed(2)}</td><td>${s.predicted === s.next ? "&#10003; " : ""}${esc(s.predicted)}</td><td>${s.top.map((c) => `${esc(c.word)} ${c.p.toFixed(2)}`).join(", ")}</td></tr>`,
      )
      .join("");
    return {
      "text/plain": this.toString(),
      "text/html": `<table><thead><tr><th>read so far</th><th>next word</th><th>p(next)</th><th>predicted</th><th>candidates</th></tr></thead><tbody>${rows}</tbody></table>`,
    };
  }
}

interface LanguageModelParams {
  W_embed: NDArray;
  Wx: NDArray;
  Wh: NDArray;
  b: NDArray;
  W_vocab: NDArray;
  b_vocab: NDArray;
}

/** Softmax of one row of scores. */
function softmaxRow(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) sum += out[k] = Math.exp(scores[k] - max);
  for (let k = 0; k < scores.length; k++) out[k] /= sum;
  return out;
}

/**
 * Trains a small word-level language model (embedding, RNN or LSTM, affine to the vocabulary,
 * softmax; Adam on the whole corpus) and reads the lecture's sentence one word at a time: after
 * each word, the probability of every possible next word. The last step is "vegas" -> "?": the
 * question mark is a token the model has to predict, and it can only do so from the sentence's
 * start ("what are ..." asks; "we go to las vegas" goes on with "in").
 *
 * @example
 * ```ts
 * const demo = nextWordDemo();          // a table: read so far, next word, p(next), prediction
 * demo.step(8).next;                    // "?" (after "... las vegas")
 * nextWordDemo({ iterations: 0 });      // the untrained model: every word about 1 / V
 * ```
 */
export function nextWordDemo(spec: NextWordDemoSpec = {}): NextWordDemoResult {
  const fn = "nextWordDemo";
  const sentence = spec.sentence ?? NEXT_WORD_SENTENCE;
  const corpus = [...(spec.corpus ?? NEXT_WORD_CORPUS)];
  const tokens = wordTokens(sentence);
  if (tokens.length < 2) throw new Error(`Error in ${fn}: the sentence must have at least two words, got "${sentence}"`);
  if (!corpus.some((s) => wordTokens(s).join(" ") === tokens.join(" "))) corpus.push(sentence);
  const cell = spec.cell ?? "rnn";
  const H = spec.hidden ?? 32;
  const E = spec.embedding ?? 16;
  const iterations = spec.iterations ?? 200;
  const learningRate = spec.learningRate ?? 0.02;
  const topK = spec.topK ?? 3;
  if (!Number.isInteger(iterations) || iterations < 0) throw new Error(`Error in ${fn}: iterations must be a non-negative integer, got ${iterations}`);

  const sentences = corpus.map(wordTokens);
  const vocab = ["<null>", ...new Set(sentences.flat())];
  const index = new Map(vocab.map((w, i) => [w, i]));
  const V = vocab.length;
  // inputs are words 0..L-2 of a sentence, targets words 1..L-1, padded with <null> (masked out)
  const T = Math.max(...sentences.map((s) => s.length)) - 1;
  const N = sentences.length;
  const x = zeros(N, T);
  const y = zeros(N, T);
  const mask = zeros(N, T);
  sentences.forEach((s, n) => {
    for (let t = 0; t + 1 < s.length; t++) {
      x.data[n * T + t] = index.get(s[t]) as number;
      y.data[n * T + t] = index.get(s[t + 1]) as number;
      mask.data[n * T + t] = 1;
    }
  });

  const r = rng(spec.seed ?? 0);
  const G = cell === "lstm" ? 4 : 1;
  const params: LanguageModelParams = {
    W_embed: r.randn(V, E).mul(0.5),
    Wx: r.randn(E, G * H).mul(1 / Math.sqrt(E)),
    Wh: r.randn(H, G * H).mul(1 / Math.sqrt(H)),
    b: zeros(G * H),
    W_vocab: r.randn(H, V).mul(1 / Math.sqrt(H)),
    b_vocab: zeros(V),
  };
  if (cell === "lstm") for (let j = H; j < 2 * H; j++) params.b.data[j] = 1;

  /** scores [n, T, V] of the next word after each input word */
  const forward = (xs: NDArray) => {
    const embed = wordEmbeddingForward(xs, params.W_embed);
    const rec = recurrentForward(cell, embed.out, zeros(xs.shape[0], H), params);
    const out = temporalAffineForward(rec.h, params.W_vocab, params.b_vocab);
    return { embed, rec, out };
  };

  const configs = new Map<keyof LanguageModelParams, Partial<AdamConfig>>();
  const losses: number[] = [];
  for (let it = 0; it < iterations; it++) {
    const { embed, rec, out } = forward(x);
    const { loss, dx: dscores } = temporalSoftmaxLoss(out.out, y, mask);
    // loss per predicted word: the loss is summed over steps and averaged over sentences
    losses.push((loss * N) / mask.sum());
    const dOut = temporalAffineBackward(dscores, out.cache);
    const dRec = recurrentBackward(dOut.dx, rec.cache);
    const grads: LanguageModelParams = { W_embed: wordEmbeddingBackward(dRec.dx, embed.cache), Wx: dRec.dWx, Wh: dRec.dWh, b: dRec.db, W_vocab: dOut.dw, b_vocab: dOut.db };
    for (const key of Object.keys(params) as (keyof LanguageModelParams)[]) {
      const step = adam(params[key], grads[key], configs.get(key) ?? { learningRate });
      params[key] = step.nextW;
      configs.set(key, step.config);
    }
  }

  const L = tokens.length - 1;
  const xs = zeros(1, L);
  tokens.slice(0, L).forEach((w, t) => (xs.data[t] = index.get(w) as number));
  const scores = forward(xs).out.out;
  const steps: NextWordStep[] = [];
  for (let t = 0; t < L; t++) {
    const p = softmaxRow(scores.data.subarray(t * V, (t + 1) * V));
    // <null> is padding, never a next word
    const ranked = Array.from(p, (pk, k) => ({ word: vocab[k], p: pk }))
      .slice(1)
      .sort((a, b) => b.p - a.p);
    steps.push({ prefix: tokens.slice(0, t + 1), next: tokens[t + 1], predicted: ranked[0].word, pNext: p[index.get(tokens[t + 1]) as number], top: ranked.slice(0, topK) });
  }
  return new NextWordDemoResult(tokens, steps, vocab, losses);
}
