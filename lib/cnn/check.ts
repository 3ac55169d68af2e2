/** Checking a CNN design against the constraints of an exercise. */
import { analyzeDesign, designTotals, DesignError } from "./analyze";
import { formatCount } from "./table";
import type { CnnSpec, LayerKind, LossName } from "./spec";

/** Constraints of a design exercise; every field is optional. */
export interface DesignConstraints {
  /** Required input shape, e.g. [28, 28, 1]. */
  input?: [number, number, number];
  /** Number of classes: the last layer must be dense with this many units. */
  classes?: number;
  /** Required activation of the last layer, e.g. "softmax". */
  outputActivation?: string;
  /** At most this many layers of each kind, e.g. { conv: 3, dense: 2 }; key "total" counts conv+dense+pool. */
  maxLayers?: Partial<Record<LayerKind | "total", number>>;
  /** Parameter budget (trainable). */
  maxParams?: number;
  /** FLOP budget per example, forward pass (2 x multiply-adds). */
  maxFlops?: number;
  /** The last spatial layer's receptive field must cover at least this many pixels per side (MNIST digits fit a 20x20 box; an object in a 32x32 CIFAR-10 image, about 24). */
  minReceptiveField?: number;
  /** Training set size n (e.g. 50000), for the parameters-per-example rule. */
  trainingExamples?: number;
  /** At most this many parameters per training example (params / n). */
  maxParamsPerExample?: number;
  /** Required loss. */
  loss?: LossName;
  /** Require some regularisation: dropout, batch norm or an L2 penalty. */
  requireRegularization?: boolean;
  /** Activation memory budget per example in bytes. */
  maxActivationBytes?: number;
}

/** One broken rule. */
export interface Violation {
  /** The constraint's name, e.g. "maxParams". */
  rule: string;
  /** The layer at fault, when there is one. */
  layer?: number;
  /** What is wrong and what to do, in the exercise's terms. */
  message: string;
}

/**
 * Checks `spec` against `constraints` and returns every violation (empty when the design passes).
 *
 * Rules: input shape; last layer dense(classes) with the required activation; layers per kind;
 * params <= maxParams; 2 * MACs <= maxFlops; receptive field of the last conv/pool layer >=
 * minReceptiveField; params / n <= maxParamsPerExample; loss; regularisation present.
 *
 * @example
 * checkDesign(referenceSpec(), { classes: 10, maxParams: 100_000, trainingExamples: 50000, maxParamsPerExample: 2 });
 * // [{ rule: "maxParams", message: "The design has 215.6K parameters, over the budget of 100.0K: ..." }, ...]
 */
export function checkDesign(spec: CnnSpec, constraints: DesignConstraints): Violation[] {
  const out: Violation[] = [];
  if (constraints.input && constraints.input.some((v, i) => v !== spec.input[i])) {
    out.push({ rule: "input", message: `The input shape is [${spec.input.join(", ")}] but the data are [${constraints.input.join(", ")}] (height, width, channels).` });
  }
  let rows;
  try {
    rows = analyzeDesign(spec);
  } catch (err) {
    if (err instanceof DesignError) return [...out, { rule: "shapes", layer: err.layerIndex, message: err.message.replace(/^Error in analyzeDesign: /, "") }];
    throw err;
  }
  const totals = designTotals(rows);
  const last = spec.layers[spec.layers.length - 1];
  if (constraints.classes !== undefined) {
    if (!last || last.type !== "dense" || last.units !== constraints.classes) {
      out.push({
        rule: "classes",
        layer: spec.layers.length - 1,
        message: `The last layer must be dense with ${constraints.classes} units, one per class; it is ${last ? rows[rows.length - 1].name : "missing"}.`,
      });
    }
  }
  if (constraints.outputActivation && last && (last.type !== "dense" || (last.activation ?? "linear") !== constraints.outputActivation)) {
    out.push({
      rule: "outputActivation",
      layer: spec.layers.length - 1,
      message: `The last layer should use activation "${constraints.outputActivation}" (it gives class probabilities for the loss); it uses "${last.type === "dense" ? (last.activation ?? "linear") : last.type}".`,
    });
  }
  for (const [kind, max] of Object.entries(constraints.maxLayers ?? {})) {
    const count = kind === "total" ? (totals.layerCounts.conv ?? 0) + (totals.layerCounts.dense ?? 0) + (totals.layerCounts.pool ?? 0) : (totals.layerCounts[kind] ?? 0);
    if (max !== undefined && count > max) {
      out.push({ rule: "maxLayers", message: `The design has ${count} ${kind === "total" ? "conv, pool and dense" : kind} layers; at most ${max} are allowed.` });
    }
  }
  if (constraints.maxParams !== undefined && totals.params > constraints.maxParams) {
    const biggest = rows.reduce((a, r) => (r.params > a.params ? r : a));
    out.push({
      rule: "maxParams",
      layer: biggest.index,
      message: `The design has ${formatCount(totals.params)} parameters, over the budget of ${formatCount(constraints.maxParams)}: layer ${biggest.index} (${biggest.name}) alone has ${formatCount(biggest.params)}; pool earlier or use fewer units.`,
    });
  }
  if (constraints.maxFlops !== undefined && totals.flops > constraints.maxFlops) {
    const biggest = rows.reduce((a, r) => (r.macs > a.macs ? r : a));
    out.push({
      rule: "maxFlops",
      layer: biggest.index,
      message: `One forward pass costs ${formatCount(totals.flops)} FLOPs per example, over the budget of ${formatCount(constraints.maxFlops)}; layer ${biggest.index} (${biggest.name}) costs the most (${formatCount(2 * biggest.macs)}).`,
    });
  }
  if (constraints.minReceptiveField !== undefined) {
    const spatial = rows.filter((r) => r.layer.type === "conv" || r.layer.type === "pool");
    const lastSpatial = spatial[spatial.length - 1];
    const [rh, rw] = lastSpatial ? lastSpatial.receptiveField : [1, 1];
    if (Math.min(rh, rw) < constraints.minReceptiveField) {
      out.push({
        rule: "minReceptiveField",
        layer: lastSpatial?.index,
        message: `The last conv/pool layer sees ${rh}x${rw} input pixels, less than the ${constraints.minReceptiveField}x${constraints.minReceptiveField} the exercise asks for (minReceptiveField: enough to see a whole digit or object); add a conv or pool layer, or use larger kernels or strides.`,
      });
    }
  }
  if (constraints.maxParamsPerExample !== undefined) {
    const n = constraints.trainingExamples;
    if (n === undefined) {
      out.push({ rule: "maxParamsPerExample", message: "The parameters-per-example rule needs trainingExamples (n) in the constraints." });
    } else if (totals.params / n > constraints.maxParamsPerExample) {
      out.push({
        rule: "maxParamsPerExample",
        message: `${formatCount(totals.params)} parameters for n = ${n} training examples is ${(totals.params / n).toFixed(2)} per example, over ${constraints.maxParamsPerExample}: the model can memorise the training set; shrink it or regularise.`,
      });
    }
  }
  if (constraints.loss && (spec.loss ?? "categoricalCrossentropy") !== constraints.loss) {
    out.push({ rule: "loss", message: `The loss is "${spec.loss ?? "categoricalCrossentropy"}" but the exercise asks for "${constraints.loss}".` });
  }
  if (constraints.requireRegularization && !spec.layers.some((l) => l.type === "dropout" || l.type === "batchnorm") && !(spec.l2 && spec.l2 > 0)) {
    out.push({ rule: "requireRegularization", message: "The design has no regularisation: add a dropout or batchnorm layer, or set l2 > 0." });
  }
  if (constraints.maxActivationBytes !== undefined && totals.activationBytes > constraints.maxActivationBytes) {
    out.push({ rule: "maxActivationBytes", message: `Activations take ${totals.activationBytes} bytes per example, over ${constraints.maxActivationBytes}.` });
  }
  return out;
}
