/**
 * The common part of the library's tfjs optimizers: per-variable state ("slots") kept by
 * variable name, the apply loop, saving and restoring. Each rule only writes `update`.
 */
import * as tf from "@tensorflow/tfjs";

/** A named tensor, as tfjs passes gradients and optimizer weights. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/**
 * Base class of the update rules as tfjs optimizers (usable in `model.compile({ optimizer })` and
 * `optimizer.minimize(f)`). A subclass implements {@link WorkbookOptimizer.update} for one variable
 * with tfjs ops, reading and writing its state through {@link WorkbookOptimizer.slot}.
 */
export abstract class WorkbookOptimizer extends tf.Optimizer {
  /** Counts slot variables across optimizers, so every tfjs variable name is unique. */
  private static slotCounter = 0;
  private readonly slots = new Map<string, tf.Variable>();

  /** Rebuilds an optimizer from its getConfig() numbers (tfjs deserialization); every subclass inherits it. */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const hyperparameters: Record<string, number> = {};
    for (const [k, v] of Object.entries(config)) if (typeof v === "number") hyperparameters[k] = v;
    return new cls(hyperparameters);
  }

  /**
   * The state variable `slotName` of variable `varName` (e.g. "dense/kernel" + "m"), created as
   * zeros (or `initial`) like `like` on first use.
   */
  protected slot(varName: string, slotName: string, like: tf.Tensor, initial = 0): tf.Variable {
    const key = `${varName}/${slotName}`;
    let v = this.slots.get(key);
    if (!v) {
      const unique = `${key}_${++WorkbookOptimizer.slotCounter}`;
      v = tf.tidy(() => tf.fill(like.shape, initial, "float32").variable(false, unique));
      this.slots.set(key, v);
    }
    return v;
  }

  /** One step for one variable: compute and assign its new value (runs inside tf.tidy). `t` counts steps from 1. */
  protected abstract update(varName: string, value: tf.Variable, grad: tf.Tensor, t: number): void;

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients) ? variableGradients.map((g) => [g.name, g.tensor]) : Object.entries(variableGradients);
    const t = this.iterations + 1;
    tf.tidy(() => {
      for (const [name, grad] of entries) {
        const value = tf.engine().registeredVariables[name];
        if (!value) throw new Error(`Error in ${this.getClassName()}.applyGradients: no variable named "${name}" is registered`);
        if (grad == null) continue;
        this.update(name, value, grad, t);
      }
    });
    this.incrementIterations();
  }

  override dispose(): void {
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations(), ...[...this.slots].map(([name, tensor]) => ({ name, tensor }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.dispose();
    for (const { name, tensor } of rest) this.slots.set(name, tensor.variable(false));
  }
}
