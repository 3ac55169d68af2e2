/**
 * Interrupting `model.fit` at the next batch. When a cell first loads tfjs, the kernel registers
 * a tfjs-layers callback (verbosity 0, so every fit gets it) that tracks the models in training;
 * on interrupt, each gets `model.stopTraining = true` and stops after its current batch, keeping
 * the weights it has learned.
 */

/** The part of a tfjs model the callback touches. */
interface TrainingModel {
  stopTraining: boolean;
}

/** The part of tfjs this file uses. */
interface TfjsLayers {
  registerCallbackConstructor(verbosityLevel: number, ctor: new () => object): void;
  Callback: new () => { model?: TrainingModel };
}

/**
 * Registers the interrupt callback in the tfjs module `tf` (the @tensorflow/tfjs or tfjs-layers
 * exports a cell loaded); returns the function that stops every model now in training.
 */
export function installTfjsInterrupt(tf: unknown, interrupted: () => boolean): (() => void) | undefined {
  const layers = tf as Partial<TfjsLayers>;
  if (typeof layers.registerCallbackConstructor !== "function" || typeof layers.Callback !== "function") return undefined;
  const training = new Set<TrainingModel>();
  const Base = layers.Callback;
  class InterruptCallback extends Base {
    async onTrainBegin(): Promise<void> {
      if (this.model) training.add(this.model);
    }
    async onBatchEnd(): Promise<void> {
      if (this.model && interrupted()) this.model.stopTraining = true;
    }
    async onTrainEnd(): Promise<void> {
      if (this.model) training.delete(this.model);
    }
  }
  try {
    layers.registerCallbackConstructor(0, InterruptCallback);
  } catch {
    return undefined; // registered already by an earlier kernel in this process
  }
  return () => {
    for (const model of training) model.stopTraining = true;
  };
}
