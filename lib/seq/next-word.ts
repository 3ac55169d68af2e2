/**
 * The slides' next-word example: a word-level LSTM language model reads "What are the places to
 * go in Las Vegas?" one word at a time and predicts the next word at every position.
 * It is trained on a small generated corpus of travel questions around that sentence.
 */
import { JUPYTER_DISPLAY, MimeBundle } from "../display";
import { Vocabulary, tokenize } from "../captioning/vocabulary";
import { SeededRandom } from "./seeded-random";
import { LstmLanguageModel } from "./lstm-language-model";

/** The sentence of the slides. */
export const SLIDE_QUESTION = "What are the places to go in Las Vegas?";

const CITIES = ["las vegas", "new york", "paris", "london", "tokyo", "san francisco", "rome", "new delhi"];
const OPENINGS = ["what are the", "which are the", "where are the"];
const ADJECTIVES = ["", "best ", "cheapest ", "nicest "];
const PLACES = ["places to go", "places to eat", "places to stay", "things to do", "places to visit"];

/**
 * Seeded travel questions like "what are the best places to eat in paris".
 * @example travelQuestions(3, 0) // ["which are the places to stay in rome", ...]
 */
export function travelQuestions(count: number, seed = 0): string[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => `${random.pick(OPENINGS)} ${random.pick(ADJECTIVES)}${random.pick(PLACES)} in ${random.pick(CITIES)}`);
}

/** One row of the demonstration: the words read so far and the model's top next words. */
export interface NextWordRow {
  prefix: string;
  /** The true next word ("<END>" after the last word). */
  actual: string;
  /** Top predictions, most likely first. */
  predictions: { word: string; probability: number }[];
}

/** Next-word predictions along a sentence; displays as a table. */
export class NextWordDemo {
  constructor(readonly sentence: string, readonly rows: NextWordRow[]) {}

  /** Fraction of positions where the top prediction is the true next word. */
  get top1Accuracy(): number {
    return this.rows.filter((r) => r.predictions[0]?.word === r.actual).length / Math.max(1, this.rows.length);
  }

  toString(): string {
    return [`Next-word predictions for "${this.sentence}"`, ...this.rows.map((r) => `${r.prefix} -> ${r.predictions.map((p) => `${p.word} ${p.probability.toFixed(2)}`).join(", ")} (next: ${r.actual})`)].join("\n");
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const rows = this.rows
      .map((r) => `<tr><td>${esc(r.prefix)}</td><td>${r.predictions.map((p) => `<span style="${p.word === r.actual ? "font-weight:bold;color:#1a7f37" : ""}">${esc(p.word)}</span> ${p.probability.toFixed(2)}`).join(", ")}</td><td>${esc(r.actual)}</td></tr>`)
      .join("");
    return { "text/plain": this.toString(), "text/html": `<table><caption>Next-word predictions for "${esc(this.sentence)}"</caption><tr><th>read so far</th><th>predicted next word</th><th>actual</th></tr>${rows}</table>` };
  }
}

/**
 * Trains a word-level LSTM language model on travel questions and shows its next-word
 * predictions along `sentence` (default: the slides' question).
 * @example display(nextWordDemo()); // "what are the places to go in las" -> "vegas 0.9x, ..."
 */
export function nextWordDemo(options: { sentence?: string; sentences?: number; steps?: number; hiddenSize?: number; top?: number; seed?: number } = {}): NextWordDemo {
  const { sentence = SLIDE_QUESTION, sentences = 400, steps = 300, hiddenSize = 64, top = 3, seed = 0 } = options;
  const corpus = [tokenize(sentence).join(" "), ...travelQuestions(sentences, seed)];
  const vocab = Vocabulary.fromCaptions(corpus);
  // one stream: <START> w_1 ... w_k <END> <START> ...
  const stream = Int32Array.from(corpus.flatMap((s) => vocab.encode([s])[0]));
  const model = new LstmLanguageModel({ vocabSize: vocab.size, embeddingDim: 16, hiddenSize, learningRate: 0.01, seed });
  model.train(stream, { steps, batchSize: 32, seqLength: 12 });
  const words = tokenize(sentence);
  const rows: NextWordRow[] = [];
  for (let t = 0; t <= words.length - 1; t++) {
    const context = [vocab.startIdx, ...words.slice(0, t + 1).map((w) => vocab.index(w))];
    const p = model.nextTokenProbabilities(context);
    const order = Array.from(p.keys()).sort((a, b) => p[b] - p[a]).slice(0, top);
    rows.push({ prefix: words.slice(0, t + 1).join(" "), actual: t + 1 < words.length ? words[t + 1] : "<END>", predictions: order.map((i) => ({ word: vocab.idxToWord[i], probability: p[i] })) });
  }
  model.dispose();
  return new NextWordDemo(sentence, rows);
}
