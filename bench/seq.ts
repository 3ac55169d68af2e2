/**
 * `npm run bench:seq`: the sequence-model benchmark, all in one run on the same backend.
 *
 * 1. Throughput of character-LM training (characters per second) of our LSTM language model
 *    (tfjs ops, fused 4H gate product) against the same model built from `tf.layers.lstm`:
 *    V = 65, E = 32, H = 128, batches of 32 windows of 64 characters, Adam.
 * 2. Held-out loss on Tiny Shakespeare (train on the first 90%, evaluate on the last 10%) of our
 *    LSTM model and of min-char-rnn, against the reference points: uniform ln 65 = 4.174,
 *    unigram entropy 3.313, bigram conditional entropy 2.453, and the smoothed bigram's held-out loss.
 * 3. Captioning BLEU-1..4 (greedy and beam 3) of the tfjs captioning model on generated shape
 *    scenes and on MNIST digit strips ("seven two one").
 * 4. Seq2seq on the date translation task: exact match and character BLEU-4, greedy and beam 3.
 *
 * Sizes (environment): BENCH_SEQ_THROUGHPUT_STEPS (default 10 timed steps per model),
 * BENCH_SEQ_LM_STEPS (default 400 Adam steps), BENCH_SEQ_MINCHAR_ITERATIONS (default 3000),
 * BENCH_SEQ_CAPTION_EPOCHS (default 10), BENCH_SEQ_CAPTION_TRAIN (default 2000 scenes; digit strips
 * use 1.5 times as many), BENCH_SEQ_S2S_EPOCHS (default 10), BENCH_SEQ_S2S_TRAIN (default 4000
 * pairs), BENCH_SEQ_S2S_HIDDEN (default 128),
 * BENCH_SEQ_ONLY (comma list of sections to run: throughput,lm,captioning,seq2seq).
 * Timings depend on the machine and its load; run on an idle machine to compare.
 */
import * as tf from "@tensorflow/tfjs";
import { backendReady } from "../lib/backend";
import { LstmLanguageModel } from "../lib/seq/lstm-language-model";
import { buildLayersLanguageModel } from "../lib/seq/layers-language-model";
import { loadTinyShakespeare } from "../lib/seq/corpus";
import { charVocabulary, encodeChars } from "../lib/text/char-vocabulary";
import { bigramHeldOutLoss, charReferencePoints } from "../lib/seq/char-statistics";
import { MinCharRnn } from "../lib/seq/min-char-rnn";
import { SeededRandom } from "../lib/random/seeded-random";
import { Seq2Seq } from "../lib/seq/seq2seq";
import { dateTranslationSplits } from "../lib/seq/date-translation";
import { shapeSceneSplits } from "../lib/captioning/shape-scenes";
import { digitStripSplits } from "../lib/captioning/digit-strips";
import { Vocabulary } from "../lib/text/vocabulary";
import { TfCaptioningModel } from "../lib/captioning/tf-captioning-model";
import { defaultCaptionEncoder } from "../lib/captioning/caption-encoders";
import { CaptionedImageSplits } from "../lib/captioning/captioned-images";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const THROUGHPUT_STEPS = env("BENCH_SEQ_THROUGHPUT_STEPS", 10);
const LM_STEPS = env("BENCH_SEQ_LM_STEPS", 400);
const MINCHAR_ITERATIONS = env("BENCH_SEQ_MINCHAR_ITERATIONS", 3000);
const CAPTION_EPOCHS = env("BENCH_SEQ_CAPTION_EPOCHS", 10);
const S2S_EPOCHS = env("BENCH_SEQ_S2S_EPOCHS", 10);
const CAPTION_TRAIN = env("BENCH_SEQ_CAPTION_TRAIN", 2000);
const S2S_TRAIN = env("BENCH_SEQ_S2S_TRAIN", 4000);
const S2S_HIDDEN = env("BENCH_SEQ_S2S_HIDDEN", 128);
const ONLY = (process.env.BENCH_SEQ_ONLY ?? "throughput,lm,captioning,seq2seq").split(",");

const V_SIZE = 65,
  E = 32,
  H = 128,
  N = 32,
  T = 64;
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const fmt = (x: number, digits = 3) => x.toFixed(digits);

function randomBatch(tokens: Int32Array, random: SeededRandom): { x: Int32Array; y: Int32Array } {
  const x = new Int32Array(N * T),
    y = new Int32Array(N * T);
  for (let n = 0; n < N; n++) {
    const s = random.int(tokens.length - T - 1);
    x.set(tokens.subarray(s, s + T), n * T);
    y.set(tokens.subarray(s + 1, s + T + 1), n * T);
  }
  return { x, y };
}

async function throughput(tokens: Int32Array): Promise<void> {
  console.log(`\n## 1. Character-LM training throughput (V ${V_SIZE}, E ${E}, H ${H}, batch ${N} x ${T} chars, ${THROUGHPUT_STEPS} timed steps after 2 warm-up steps)`);
  const random = new SeededRandom(1);
  const batches = Array.from({ length: THROUGHPUT_STEPS + 2 }, () => randomBatch(tokens, random));

  const ours = new LstmLanguageModel({ vocabSize: V_SIZE, embeddingDim: E, hiddenSize: H, seed: 0 });
  let start = process.hrtime.bigint();
  batches.forEach((b, i) => {
    if (i === 2) start = process.hrtime.bigint();
    const x = tf.tensor2d(b.x, [N, T], "int32"),
      y = tf.tensor2d(b.y, [N, T], "int32");
    ours.trainBatch(x, y);
    tf.dispose([x, y]);
  });
  const oursRate = (N * T * THROUGHPUT_STEPS) / seconds(start);
  ours.dispose();

  const layers = buildLayersLanguageModel({ vocabSize: V_SIZE, embeddingDim: E, hiddenSize: H, seqLength: T });
  for (let i = 0; i < batches.length; i++) {
    if (i === 2) start = process.hrtime.bigint();
    const x = tf.tensor2d(batches[i].x, [N, T], "int32");
    const y = tf.tidy(() => tf.oneHot(tf.tensor2d(batches[i].y, [N, T], "int32"), V_SIZE));
    await layers.trainOnBatch(x, y);
    tf.dispose([x, y]);
  }
  const layersRate = (N * T * THROUGHPUT_STEPS) / seconds(start);
  layers.dispose();
  console.log(`| model | chars/s |\n|---|---|\n| ours (TfLstm, fused gates, tf.variableGrads) | ${oursRate.toFixed(0)} |\n| tf.layers.lstm (model.trainOnBatch) | ${layersRate.toFixed(0)} |`);
  console.log(`ratio ours / tf.layers.lstm: ${fmt(oursRate / layersRate, 2)}`);
}

function languageModel(text: string): void {
  console.log(`\n## 2. Held-out loss on Tiny Shakespeare (nats per character)`);
  const vocab = charVocabulary(text);
  const split = Math.floor(text.length * 0.9);
  const train = text.slice(0, split),
    heldOut = text.slice(split);
  const ref = charReferencePoints(text, vocab);
  const bigramHeld = bigramHeldOutLoss(train, heldOut, vocab);
  console.log(`reference points: uniform ${fmt(ref.uniform)}, unigram ${fmt(ref.unigramEntropy)}, bigram ${fmt(ref.bigramEntropy)} (whole text); smoothed bigram on held-out text ${fmt(bigramHeld)}`);

  let start = process.hrtime.bigint();
  const lm = new LstmLanguageModel({ vocabSize: vocab.size, embeddingDim: E, hiddenSize: H, learningRate: 0.01, seed: 0 });
  lm.train(encodeChars(train, vocab), { steps: LM_STEPS, batchSize: N, seqLength: T, every: 50, onProgress: (s, l) => console.log(`  LSTM step ${s}: batch loss ${fmt(l)} (${fmt(seconds(start), 0)} s)`) });
  const lstmHeld = lm.evaluate(encodeChars(heldOut, vocab), { seqLength: 100, parallel: 64 });
  const lstmTime = seconds(start);
  const sample = lm
    .sample(encodeChars("ROMEO:\n", vocab), 200, 0.8)
    .map((i) => vocab.chars[i])
    .join("");
  lm.dispose();

  start = process.hrtime.bigint();
  const rnn = new MinCharRnn({ vocabSize: vocab.size, hiddenSize: 100, seqLength: 25, learningRate: 0.1, seed: 0 });
  rnn.train(train, vocab, MINCHAR_ITERATIONS);
  const rnnHeld = rnn.evaluate(heldOut.slice(0, 20000), vocab);
  const rnnTime = seconds(start);

  console.log(`| model | training | held-out loss | below bigram (${fmt(ref.bigramEntropy)})? |\n|---|---|---|---|`);
  console.log(`| LSTM LM (H ${H}) | ${LM_STEPS} steps x ${N * T} chars, ${fmt(lstmTime, 0)} s | ${fmt(lstmHeld)} | ${lstmHeld < ref.bigramEntropy ? "yes" : "no"} |`);
  console.log(`| min-char-rnn (H 100) | ${MINCHAR_ITERATIONS} iterations x 25 chars, ${fmt(rnnTime, 0)} s | ${fmt(rnnHeld)} (first 20K held-out chars) | ${rnnHeld < ref.bigramEntropy ? "yes" : "no"} |`);
  console.log(`LSTM sample (temperature 0.8) after "ROMEO:":\n${sample}`);
}

function captioning(name: string, splits: CaptionedImageSplits, maxLength: number): void {
  const vocab = Vocabulary.fromCaptions(splits.train.captions);
  const model = new TfCaptioningModel({ vocab, imageShape: splits.train.imageShape, encoder: defaultCaptionEncoder(splits.train.imageShape, 64, 0), hiddenDim: 128, maxLength, learningRate: 0.005, seed: 0 });
  const start = process.hrtime.bigint();
  model.train(splits.train, { epochs: CAPTION_EPOCHS, batchSize: 64, showProgress: false, onEpoch: (e, l) => console.log(`  ${name} epoch ${e}: loss ${fmt(l)} (${fmt(seconds(start), 0)} s)`) });
  const greedy = model.evaluate(splits.test);
  const beam = model.evaluate(splits.test, { beamWidth: 3 });
  model.dispose();
  for (const [decoding, r] of [
    ["greedy", greedy],
    ["beam 3", beam],
  ] as const) {
    console.log(`| ${name} | ${decoding} | ${r.bleu.bleu.map((b) => fmt(b)).join(" | ")} | ${fmt(r.exactMatch)} |`);
  }
  console.log(`|  | example | ${greedy.generated[0]} | (true: ${splits.test.captions[0]}) | | |`);
}

function seq2seq(): void {
  console.log(`\n## 4. Seq2seq: dates in many formats -> ISO (train ${S2S_TRAIN}, test 300, ${S2S_EPOCHS} epochs, H ${S2S_HIDDEN})`);
  const { train, test } = dateTranslationSplits({ train: S2S_TRAIN, validation: 0, test: 300, seed: 0 });
  const model = Seq2Seq.forPairs(train, { embeddingDim: 32, hiddenSize: S2S_HIDDEN, learningRate: 0.01, seed: 0 });
  const start = process.hrtime.bigint();
  model.train(train, { epochs: S2S_EPOCHS, batchSize: 64, onEpoch: (e, l) => console.log(`  epoch ${e}: loss ${fmt(l)} (${fmt(seconds(start), 0)} s)`) });
  const greedy = model.evaluate(test);
  const beam = model.evaluate(test.slice(0, 100), { beamWidth: 3 });
  console.log(`| decoding | exact match | char BLEU-4 |\n|---|---|---|`);
  console.log(`| greedy (300 test pairs) | ${fmt(greedy.exactMatch)} | ${fmt(greedy.bleu.bleu[3])} |`);
  console.log(`| beam 3 (first 100 test pairs) | ${fmt(beam.exactMatch)} | ${fmt(beam.bleu.bleu[3])} |`);
  test.slice(0, 3).forEach((p, i) => console.log(`  "${p.source}" -> ${greedy.outputs[i]} (true ${p.target})`));
  model.dispose();
}

async function main(): Promise<void> {
  const backend = await backendReady;
  console.log(`# bench:seq (tfjs backend "${backend}", Node ${process.version})`);
  const text = loadTinyShakespeare();
  if (ONLY.includes("throughput")) await throughput(encodeChars(text, charVocabulary(text)));
  if (ONLY.includes("lm")) languageModel(text);
  if (ONLY.includes("captioning")) {
    console.log(`\n## 3. Captioning BLEU on held-out images (${CAPTION_EPOCHS} epochs, CNN encoder trained with the LSTM decoder)`);
    console.log(`| data | decoding | BLEU-1 | BLEU-2 | BLEU-3 | BLEU-4 | exact match |\n|---|---|---|---|---|---|---|`);
    const strips = Math.round(CAPTION_TRAIN * 1.5);
    captioning(`shape scenes (train ${CAPTION_TRAIN}, test 200)`, shapeSceneSplits({ train: CAPTION_TRAIN, validation: 0, test: 200, seed: 0 }), 10);
    captioning(`MNIST digit strips (train ${strips}, test 200)`, digitStripSplits({ train: strips, validation: 0, test: 200, seed: 0 }), 6);
  }
  if (ONLY.includes("seq2seq")) seq2seq();
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
