/**
 * The captioning model in tfjs, for training at speed: a CNN encoder (the one a student
 * designed, e.g. `buildModel(spec)` from `dl-workbook/cnn`, or {@link defaultCaptionEncoder}),
 * optionally frozen, and an LSTM decoder built like CaptioningRNN:
 *
 *   features = CNN(image)                       [N, F]
 *   h0 = features W_proj + b_proj, c0 = 0        [N, H]
 *   h  = LSTM(W_embed[captions_in], h0, c0)      [N, T, H]
 *   loss = masked mean over real words of -ln softmax(h W_vocab + b_vocab)[captions_out]
 */
import * as tf from "@tensorflow/tfjs";
import "../backend";
import { interruptRequested, createDisplayHandle } from "../display";
import { SeededRandom } from "../random/seeded-random";
import { TfLstm, clipByGlobalNorm, seededVariable, zeroVariable, LstmState } from "../seq/tf-lstm";
import { beamDecode, greedyDecode, TfDecodeStep } from "../seq/tf-decode";
import { CaptionedImageSet, pixelsPerImage } from "./captioned-images";
import { Vocabulary } from "../text/vocabulary";
import { corpusBleu, BleuReport } from "../text/bleu";
import { defaultCaptionEncoder } from "./caption-encoders";

/** Options of {@link TfCaptioningModel}. */
export interface TfCaptioningOptions {
  /** The caption vocabulary. */
  vocab: Vocabulary;
  /** Image shape [height, width, channels] of the inputs. */
  imageShape: readonly [number, number, number];
  /** The CNN encoder, images [N, h, w, c] -> features [N, F]; default {@link defaultCaptionEncoder}. */
  encoder?: tf.LayersModel;
  /** Keep the encoder's weights fixed (default false). */
  freezeEncoder?: boolean;
  /** Word vector size (default 32). */
  wordvecDim?: number;
  /** LSTM hidden size (default 128). */
  hiddenDim?: number;
  /** Longest caption generated, <END> excluded (default 16). */
  maxLength?: number;
  /** Adam learning rate (default 0.005). */
  learningRate?: number;
  /** Seed of the decoder weights and the batch order (default 0). */
  seed?: number;
}

/** CNN encoder + LSTM decoder captioning model in tfjs. */
export class TfCaptioningModel {
  readonly vocab: Vocabulary;
  readonly imageShape: readonly [number, number, number];
  readonly encoder: tf.LayersModel;
  readonly freezeEncoder: boolean;
  readonly featureDim: number;
  readonly hiddenDim: number;
  readonly maxLength: number;
  readonly W_embed: tf.Variable<tf.Rank.R2>;
  readonly W_proj: tf.Variable<tf.Rank.R2>;
  readonly b_proj: tf.Variable;
  readonly lstm: TfLstm;
  readonly W_vocab: tf.Variable<tf.Rank.R2>;
  readonly b_vocab: tf.Variable;
  readonly optimizer: tf.Optimizer;
  private readonly random: SeededRandom;

  constructor(options: TfCaptioningOptions) {
    const { vocab, imageShape, freezeEncoder = false, wordvecDim = 32, hiddenDim = 128, maxLength = 16, learningRate = 0.005, seed = 0 } = options;
    this.vocab = vocab;
    this.imageShape = imageShape;
    this.encoder = options.encoder ?? defaultCaptionEncoder(imageShape, 64, seed);
    const inShape = this.encoder.inputs[0].shape.slice(1);
    if (inShape.length !== 3 || inShape.some((d, i) => d !== null && d !== imageShape[i])) {
      throw new Error(
        `Error in TfCaptioningModel: the encoder takes images of shape [${inShape.join(", ")}] but the data's images are [${imageShape.join(", ")}]; build the encoder for the data's image shape.`,
      );
    }
    const outShape = this.encoder.outputs[0].shape;
    if (outShape.length !== 2 || outShape[1] === null) {
      throw new Error(`Error in TfCaptioningModel: the encoder must output features [N, F], but its output shape is [${outShape.join(", ")}]; end it with a flatten or dense layer.`);
    }
    this.featureDim = outShape[1];
    this.freezeEncoder = freezeEncoder;
    if (freezeEncoder) this.encoder.trainable = false;
    this.hiddenDim = hiddenDim;
    this.maxLength = maxLength;
    this.random = new SeededRandom(seed);
    const V = vocab.size,
      H = hiddenDim;
    this.W_embed = seededVariable(this.random, V, wordvecDim, 0.1, "cap_W_embed");
    this.W_proj = seededVariable(this.random, this.featureDim, H, 1 / Math.sqrt(this.featureDim), "cap_W_proj");
    this.b_proj = zeroVariable([H], "cap_b_proj");
    this.lstm = new TfLstm(wordvecDim, H, this.random, "cap_lstm");
    this.W_vocab = seededVariable(this.random, H, V, 1 / Math.sqrt(H), "cap_W_vocab");
    this.b_vocab = zeroVariable([V], "cap_b_vocab");
    this.optimizer = tf.train.adam(learningRate);
  }

  /** Decoder variables, plus the encoder's unless it is frozen. */
  get trainableVariables(): tf.Variable[] {
    const decoder = [this.W_embed, this.W_proj, this.b_proj, ...this.lstm.variables, this.W_vocab, this.b_vocab];
    if (this.freezeEncoder) return decoder;
    return [...this.encoder.trainableWeights.map((w) => w.read() as tf.Variable), ...decoder];
  }

  /** Images of `set` (indices `rows`) as a tensor [n, h, w, c]. */
  imagesTensor(set: CaptionedImageSet, rows: readonly number[]): tf.Tensor4D {
    const P = pixelsPerImage(set);
    const out = new Float32Array(rows.length * P);
    rows.forEach((r, k) => out.set(set.images.subarray(r * P, (r + 1) * P), k * P));
    return tf.tensor4d(out, [rows.length, ...set.imageShape]);
  }

  /**
   * The initial decoder state from images [N, h, w, c]. `training` puts the encoder's batch
   * normalisation and dropout in training mode (only while training an unfrozen encoder);
   * captioning uses inference mode, so one image alone gets the same features as in a batch.
   */
  initialState(images: tf.Tensor4D, training = false): LstmState {
    const features = this.encoder.apply(images, { training: training && !this.freezeEncoder }) as tf.Tensor2D;
    const h = tf.add<tf.Tensor2D>(tf.matMul(features, this.W_proj), this.b_proj);
    return { h, c: tf.zerosLike(h) };
  }

  /** Masked mean cross-entropy of captions [N, T] (<START> first) given images. */
  loss(images: tf.Tensor4D, captions: tf.Tensor2D): tf.Scalar {
    const [N, T1] = captions.shape;
    const T = T1 - 1;
    const input = tf.slice(captions, [0, 0], [N, T]);
    const output = tf.reshape(tf.slice(captions, [0, 1], [N, T]), [N * T]);
    const x = tf.reshape<tf.Rank.R3>(tf.gather(this.W_embed, tf.reshape(input, [N * T])), [N, T, -1]);
    const { hs } = this.lstm.run(x, this.initialState(images, true));
    const logits = tf.add(tf.matMul(tf.reshape(hs, [N * T, this.hiddenDim]), this.W_vocab), this.b_vocab);
    const nll = tf.neg(tf.sum(tf.mul(tf.oneHot(output, this.vocab.size), tf.logSoftmax(logits)), 1));
    const mask = tf.cast(tf.notEqual(output, this.vocab.nullIdx), "float32");
    return tf.div<tf.Scalar>(tf.sum(tf.mul(nll, mask)), tf.sum(mask));
  }

  /**
   * Trains with Adam for `epochs` over `set` in seeded shuffled batches, with a progress line.
   * Stops between batches when the user interrupts the cell.
   * @returns the mean loss of each epoch
   */
  train(set: CaptionedImageSet, options: { epochs: number; batchSize?: number; clipNorm?: number; onEpoch?: (epoch: number, loss: number) => void; showProgress?: boolean }): number[] {
    const { epochs, batchSize = 64, clipNorm = 5, showProgress = true } = options;
    const encoded = this.vocab.encode(set.captions, this.maxLength + 2);
    const progress = showProgress ? createDisplayHandle() : undefined;
    const history: number[] = [];
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = this.random.shuffle(Array.from({ length: set.count }, (_, i) => i));
      let total = 0,
        batches = 0;
      for (let b = 0; b < order.length; b += batchSize) {
        if (interruptRequested()) {
          progress?.close();
          return history;
        }
        const rows = order.slice(b, b + batchSize);
        const value = tf.tidy(() => {
          const images = this.imagesTensor(set, rows);
          const captions = tf.tensor2d(
            rows.flatMap((r) => encoded[r]),
            [rows.length, this.maxLength + 2],
            "int32",
          );
          const { value, grads } = tf.variableGrads(() => this.loss(images, captions), this.trainableVariables);
          this.optimizer.applyGradients(clipByGlobalNorm(grads, clipNorm));
          return value;
        });
        total += value.dataSync()[0];
        value.dispose();
        batches++;
        progress?.update(`epoch ${epoch}/${epochs} batch ${batches}/${Math.ceil(order.length / batchSize)} loss ${(total / batches).toFixed(4)}`);
      }
      history.push(total / batches);
      options.onEpoch?.(epoch, total / batches);
    }
    progress?.close();
    return history;
  }

  /**
   * Captions for the images of `set`: greedy (beamWidth 1, batched) or beam search.
   * @example display(captionGallery(test, model.caption(test)));
   */
  caption(set: CaptionedImageSet, options: { beamWidth?: number; batchSize?: number } = {}): string[] {
    const { beamWidth = 1, batchSize = 128 } = options;
    const out: string[] = [];
    for (let b = 0; b < set.count; b += batchSize) {
      const rows = Array.from({ length: Math.min(batchSize, set.count - b) }, (_, i) => b + i);
      out.push(...(beamWidth === 1 ? this.greedy(set, rows) : this.beam(set, rows, beamWidth)));
    }
    return out;
  }

  private stepLogits(words: tf.Tensor1D, state: LstmState): { logProbs: tf.Tensor2D; state: LstmState } {
    const next = this.lstm.step(tf.gather(this.W_embed, words), state);
    return { logProbs: tf.logSoftmax(tf.add(tf.matMul(next.h, this.W_vocab), this.b_vocab)) as tf.Tensor2D, state: next };
  }

  private greedy(set: CaptionedImageSet, rows: number[]): string[] {
    const step: TfDecodeStep = (w, state) => this.stepLogits(w, state);
    return this.vocab.decode(greedyDecode(() => this.initialState(this.imagesTensor(set, rows)), this.vocab.startIdx, rows.length, this.maxLength + 1, step));
  }

  private beam(set: CaptionedImageSet, rows: number[], beamWidth: number): string[] {
    const step: TfDecodeStep = (w, state) => this.stepLogits(w, state);
    const options = { beamWidth, maxLength: this.maxLength + 1, endToken: this.vocab.endIdx };
    return rows.map((r) => this.vocab.decodeOne(beamDecode(() => this.initialState(this.imagesTensor(set, [r])), this.vocab.startIdx, step, options).tokens).join(" "));
  }

  /** Corpus BLEU-1..4 and exact-match rate of generated captions on `set`. */
  evaluate(set: CaptionedImageSet, options: { beamWidth?: number } = {}): { bleu: BleuReport; exactMatch: number; generated: string[] } {
    const generated = this.caption(set, options);
    const bleu = corpusBleu(
      set.captions.map((c) => [c]),
      generated,
    );
    return { bleu, exactMatch: generated.filter((g, i) => g === set.captions[i]).length / Math.max(1, set.count), generated };
  }

  /** Frees the decoder's tensors and the optimizer (the encoder too unless `keepEncoder`). */
  dispose(keepEncoder = false): void {
    tf.dispose([this.W_embed, this.W_proj, this.b_proj, ...this.lstm.variables, this.W_vocab, this.b_vocab]);
    this.optimizer.dispose();
    if (!keepEncoder) this.encoder.dispose();
  }
}
