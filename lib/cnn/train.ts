/**
 * Mini-batch training of a CNN built by {@link buildModel}: Adam (or any tfjs optimizer), L2,
 * dropout (in the spec), shift augmentation, early stopping on validation loss, one live display,
 * and interrupt safety (the run stops before the next batch and keeps its weights).
 */
import * as tf from "@tensorflow/tfjs";
import { backendReady } from "../backend";
import { batches, batchCount, Batch } from "../data/batches";
import type { ImageSet } from "../data/mnist";
import { seededRandom } from "../data/random";
import { createDisplayHandle, interruptRequested, DisplayHandle } from "../display";
import { shiftImages } from "./augment";
import { specOf } from "./build";
import { evaluate } from "./evaluate";
import { EpochStats, TrainingProgress } from "./progress";

/** What to train on: a training split and, optionally, a validation split (e.g. loadMnist()'s result). */
export interface TrainData {
  train: ImageSet;
  validation?: ImageSet;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** Passes over the training split (default 2). */
  epochs?: number;
  /** Examples per step (default 64). */
  batchSize?: number;
  /** Adam's step size eta (default 1e-3); ignored when `optimizer` is given. */
  learningRate?: number;
  /** Any tfjs optimizer (default tf.train.adam(learningRate)). */
  optimizer?: tf.Optimizer;
  /** L2 penalty lambda: loss + lambda * sum of squared conv/dense kernel weights (default: the spec's l2, else 0). */
  l2?: number;
  /** Random translations of up to `shift` pixels per image and axis (default none). */
  augment?: { shift: number };
  /** Stop when validation loss has not improved by minDelta for `patience` epochs, and restore the best weights. */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Seed of the batch order and augmentation (default 0). */
  seed?: number;
  /** Show the live progress display (default true). */
  display?: boolean;
  /** Stop after this many batches in total (for timing a slice of an epoch). */
  maxBatches?: number;
  /** Called after every batch with its loss. */
  onBatch?: (step: { epoch: number; batch: number; loss: number }) => void;
}

/** How a run ended and what it measured. */
export interface TrainHistory {
  epochs: EpochStats[];
  /** Training loss of every batch, in order. */
  batchLoss: number[];
  /** Batches trained in total. */
  batches: number;
  /** "completed", "earlyStopping", "interrupted" (the user interrupted the cell: weights kept), or "maxBatches". */
  stoppedBy: "completed" | "earlyStopping" | "interrupted" | "maxBatches";
  /** Epoch (1-based) of the best validation loss, whose weights the model has after early stopping. */
  bestEpoch?: number;
  /** Seconds of training in total. */
  seconds: number;
}

/** The kernels (weight matrices, not biases) of the conv and dense layers: what the L2 penalty sums over. */
function convAndDenseKernels(model: tf.LayersModel): tf.Tensor[] {
  return model.layers.filter((l) => l.getClassName() === "Conv2D" || l.getClassName() === "Dense").map((l) => l.getWeights()[0]);
}

/**
 * The number of classes of `model`'s output, after checking that `set`'s images have the model's
 * input shape and its labels fit the output; throws naming both otherwise.
 */
function checkFits(model: tf.LayersModel, set: ImageSet): number {
  const [h, w, c] = set.imageShape;
  const inShape = model.inputs[0].shape;
  if (inShape[1] !== h || inShape[2] !== w || inShape[3] !== c) {
    throw new Error(`Error in train: the model expects inputs [${inShape.slice(1).join(", ")}] but "${set.name}" images are [${h}, ${w}, ${c}].`);
  }
  const classes = model.outputs[0].shape[1] ?? 0;
  const maxLabel = set.labels.reduce((a, b) => Math.max(a, b), 0);
  if (maxLabel >= classes) throw new Error(`Error in train: label ${maxLabel} in "${set.name}" but the model has ${classes} outputs; the last dense layer needs one unit per class.`);
  return classes;
}

/**
 * One optimizer step on `batch`: returns its loss (L2 penalty included) and how many of its
 * examples the model classified right in that forward pass.
 */
function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  batch: Batch,
  [h, w, c]: readonly [number, number, number],
  classes: number,
  l2: number,
): { loss: number; correct: number } {
  const xs = tf.tensor4d(batch.images, [batch.size, h, w, c]);
  const labels = tf.tensor1d(Int32Array.from(batch.labels), "int32");
  const ys = tf.oneHot(labels, classes);
  let correct = 0;
  const cost = optimizer.minimize(
    () => {
      const probs = model.apply(xs, { training: true }) as tf.Tensor2D;
      correct = tf.tidy(() => probs.argMax(1).equal(labels).sum().dataSync()[0]);
      // L = mean_i -sum_k y_ik log p_ik  (+ lambda * sum ||W||^2)
      let loss = tf.metrics.categoricalCrossentropy(ys, probs).mean<tf.Scalar>();
      if (l2 > 0) for (const k of convAndDenseKernels(model)) loss = loss.add(k.square().sum().mul(l2));
      return loss;
    },
    true,
    variables,
  ) as tf.Scalar;
  const loss = cost.dataSync()[0];
  tf.dispose([xs, labels, ys, cost]);
  return { loss, correct };
}

/** Shows the last frame of a run that stopped early (interrupt, early stopping, maxBatches) with why, then closes the display. */
function closeDisplay(handle: DisplayHandle, history: TrainHistory, epochs: number, perEpoch: number, bestEpoch: number): void {
  const last = history.epochs[history.epochs.length - 1];
  const note = history.stoppedBy === "interrupted" ? "(interrupted: weights kept)" : history.stoppedBy === "earlyStopping" ? `(early stop: best epoch ${bestEpoch} restored)` : "";
  if (history.stoppedBy !== "completed")
    handle.update(
      new TrainingProgress(
        last?.epoch ?? 1,
        epochs,
        history.batches % perEpoch || perEpoch,
        perEpoch,
        last?.loss ?? history.batchLoss[history.batchLoss.length - 1] ?? NaN,
        last?.accuracy ?? 0,
        history.epochs,
        history.batchLoss,
        note,
      ),
    );
  handle.close();
}

/**
 * Trains `model` on `data.train` with mini-batches and returns the history.
 *
 * Each step: loss = mean over the batch of -log p(label) + lambda * sum ||W||^2, gradients by
 * tfjs autodiff, one optimizer step (Adam by default). After each epoch it evaluates the
 * validation split. Before every batch it checks for a user interrupt; it then stops and keeps the
 * weights learned so far (stoppedBy "interrupted").
 *
 * @example
 * const mnist = loadMnist();
 * const model = buildModel(referenceSpec(), { seed: 0 });
 * const history = await train(model, mnist, { epochs: 2, batchSize: 64 });
 * evaluate(model, mnist.test).accuracy; // ~0.99
 */
export async function train(model: tf.LayersModel, data: TrainData, options: TrainOptions = {}): Promise<TrainHistory> {
  await backendReady;
  const epochs = options.epochs ?? 2;
  const batchSize = options.batchSize ?? 64;
  const seed = options.seed ?? 0;
  const l2 = options.l2 ?? specOf(model)?.l2 ?? 0;
  const optimizer = options.optimizer ?? tf.train.adam(options.learningRate ?? 1e-3);
  const set = data.train;
  const [h, w] = set.imageShape;
  const classes = checkFits(model, set);
  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const perEpoch = batchCount(set.count, batchSize);
  const handle: DisplayHandle | undefined = options.display === false ? undefined : createDisplayHandle();
  const history: TrainHistory = { epochs: [], batchLoss: [], batches: 0, stoppedBy: "completed", seconds: 0 };
  const rand = seededRandom(seed ^ 0x5bd1e995);
  let best = { loss: Infinity, epoch: 0, weights: undefined as tf.Tensor[] | undefined };
  let lastShown = 0;
  const started = Date.now();

  training: for (let epoch = 1; epoch <= epochs; epoch++) {
    const epochStart = Date.now();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (const batch of batches(set, batchSize, { seed: seed * 1000 + epoch })) {
      // let the kernel deliver an interrupt, then honour it before touching the weights
      await new Promise((resolve) => setImmediate(resolve));
      if (interruptRequested()) {
        history.stoppedBy = "interrupted";
        break training;
      }
      if (options.maxBatches !== undefined && history.batches >= options.maxBatches) {
        history.stoppedBy = "maxBatches";
        break training;
      }
      if (options.augment && options.augment.shift > 0) shiftImages(batch.images, h, w, options.augment.shift, rand);
      const { loss, correct: batchCorrect } = trainStep(model, optimizer, variables, batch, set.imageShape, classes, l2);
      if (!Number.isFinite(loss)) throw new Error(`Error in train: the loss became ${loss} at epoch ${epoch}, batch ${batch.index + 1}; lower the learning rate (now ${options.learningRate ?? 1e-3}).`);
      history.batchLoss.push(loss);
      history.batches++;
      lossSum += loss * batch.size;
      correct += batchCorrect;
      seen += batch.size;
      options.onBatch?.({ epoch, batch: batch.index + 1, loss });
      if (handle && (Date.now() - lastShown > 500 || batch.index + 1 === perEpoch)) {
        lastShown = Date.now();
        handle.update(new TrainingProgress(epoch, epochs, batch.index + 1, perEpoch, lossSum / seen, correct / seen, history.epochs, history.batchLoss));
      }
    }
    const stats: EpochStats = { epoch, loss: lossSum / Math.max(1, seen), accuracy: correct / Math.max(1, seen), seconds: (Date.now() - epochStart) / 1000 };
    if (data.validation) {
      const v = evaluate(model, data.validation);
      stats.valLoss = v.loss;
      stats.valAccuracy = v.accuracy;
    }
    history.epochs.push(stats);
    handle?.update(new TrainingProgress(epoch, epochs, perEpoch, perEpoch, stats.loss, stats.accuracy, history.epochs, history.batchLoss));
    if (options.earlyStopping && stats.valLoss !== undefined) {
      if (stats.valLoss < best.loss - (options.earlyStopping.minDelta ?? 0)) {
        tf.dispose(best.weights ?? []);
        best = { loss: stats.valLoss, epoch, weights: model.getWeights().map((t) => t.clone()) };
      } else if (epoch - best.epoch >= options.earlyStopping.patience) {
        history.stoppedBy = "earlyStopping";
        break;
      }
    }
  }
  if (history.stoppedBy === "earlyStopping" && best.weights) model.setWeights(best.weights);
  if (best.epoch > 0) history.bestEpoch = best.epoch;
  tf.dispose(best.weights ?? []);
  history.seconds = (Date.now() - started) / 1000;
  if (handle) closeDisplay(handle, history, epochs, perEpoch, best.epoch);
  if (!options.optimizer) optimizer.dispose();
  return history;
}
