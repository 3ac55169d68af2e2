/**
 * Training the float64 CaptioningRNN, as CS231n's CaptioningSolver does: random minibatches,
 * an update rule from `dl-workbook/optim` per parameter (Adam by default), the learning rate
 * decayed after every epoch, a progress display, and interruption between iterations.
 */
import { NDArray, rng, takeAlong, stack } from "../ndarray";
import { AdamConfig, adam } from "../optim";
import { createDisplayHandle, interruptRequested } from "../display";
import { CAPTIONING_PARAM_NAMES, CaptioningParamName, CaptioningRNN } from "./captioning-rnn";

/** Options of {@link trainCaptioningRNN} (CS231n's solver arguments in camelCase). */
export interface CaptioningSolverOptions {
  /** Passes over the data (default 10). iterations = numEpochs * max(1, floor(N / batchSize)). */
  numEpochs?: number;
  /** Minibatch size, drawn with replacement as CS231n does (default 100). */
  batchSize?: number;
  /** Adam's learning rate (default 1e-3). */
  learningRate?: number;
  /** Learning rate multiplier after each epoch (default 1). */
  lrDecay?: number;
  /** Seed of the minibatch draws (default 0). */
  seed?: number;
  /** Show a progress line every this many iterations (default 10); 0 shows none. */
  printEvery?: number;
}

/** The losses of a training run. */
export interface CaptioningTrainingResult {
  /** Loss of every iteration (before its update). */
  lossHistory: number[];
  /** Iterations done (fewer than planned if interrupted). */
  iterations: number;
}

/**
 * Trains `model` on features [N, D] and captions [N, T] with Adam.
 * @example
 * // CS231n's overfitting check: 50 captions, 100 iterations
 * const { lossHistory } = trainCaptioningRNN(model, features50, captions50, { numEpochs: 50, batchSize: 25, learningRate: 5e-3, lrDecay: 0.95 });
 */
export function trainCaptioningRNN(model: CaptioningRNN, features: NDArray, captions: NDArray, options: CaptioningSolverOptions = {}): CaptioningTrainingResult {
  const { numEpochs = 10, batchSize = 100, learningRate = 1e-3, lrDecay = 1, seed = 0, printEvery = 10 } = options;
  const N = features.shape[0];
  if (captions.shape[0] !== N) {
    throw new Error(`Error in trainCaptioningRNN: features has ${N} rows but captions has ${captions.shape[0]}; give one caption row per feature row.`);
  }
  const random = rng(seed);
  const perEpoch = Math.max(1, Math.floor(N / batchSize));
  const total = numEpochs * perEpoch;
  const configs = {} as Record<CaptioningParamName, Partial<AdamConfig>>;
  for (const name of CAPTIONING_PARAM_NAMES) configs[name] = { learningRate };
  const lossHistory: number[] = [];
  const progress = printEvery > 0 ? createDisplayHandle() : undefined;
  for (let it = 0; it < total; it++) {
    if (interruptRequested()) break;
    const rows = Array.from({ length: batchSize }, () => Math.floor(random.random() * N));
    const batchFeatures = stack(rows.map((i) => takeAlong(features, 0, i)));
    const batchCaptions = stack(rows.map((i) => takeAlong(captions, 0, i)));
    const { loss, grads } = model.loss(batchFeatures, batchCaptions);
    lossHistory.push(loss);
    for (const name of CAPTIONING_PARAM_NAMES) {
      const { nextW, config } = adam(model.params[name], grads[name], configs[name]);
      model.params[name] = nextW;
      configs[name] = config;
    }
    if ((it + 1) % perEpoch === 0) for (const name of CAPTIONING_PARAM_NAMES) configs[name].learningRate = (configs[name].learningRate ?? learningRate) * lrDecay;
    if (progress && ((it + 1) % printEvery === 0 || it + 1 === total)) progress.update(`(Iteration ${it + 1} / ${total}) loss: ${loss.toFixed(4)}`);
  }
  progress?.close();
  return { lossHistory, iterations: lossHistory.length };
}
