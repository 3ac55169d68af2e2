/**
 * Adam with one fused native pass per weight tensor: tfjs's AdamOptimizer updates each weight with
 * about ten element-wise kernels (two muls and an add for m, a square, two muls and an add for v, two
 * bias-correction divisions, sqrt, add, div, mul, add), each reading and writing the whole tensor;
 * this one reads w, g, m, v once and writes w, m, v once (native/elementwise.cc, adam_update), in
 * tfjs's order of operations and float32 rounding. On another backend, or without the native addon,
 * it is tfjs's AdamOptimizer unchanged. Its state (m, v, the beta powers) is tfjs's own, so
 * getWeights/setWeights and a switch of backend mid-training keep working.
 */
import * as tf from "@tensorflow/tfjs";
import { nativeKernels } from "./native";
import { WORKBOOK_BACKEND } from "./workbook-backend";
import { PooledBackendCPU } from "./buffer-pool";

/** The float32 array a tensor of `backend` keeps its values in (no copy; its data moved here if needed). */
function ownValues(backend: PooledBackendCPU, t: tf.Tensor): Float32Array {
  if (!backend.data.has(t.dataId)) t.dataSync(); // held by another backend: bring it here
  const values = backend.data.get(t.dataId).values;
  if (!(values instanceof Float32Array)) throw new Error(`Error in FusedAdamOptimizer.applyGradients: tensor of dtype ${t.dtype} has no float32 values; Adam trains float32 weights only.`);
  return values;
}

/** What Optimizer.applyGradients takes: gradients by variable name, or a list of named tensors. */
type AdamGradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

/** The AdamOptimizer fields that applyGradients keeps (tfjs-core 4.x, adam_optimizer.js). */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

/**
 * tfjs's Adam (same hyper-parameters, same state, same results within float32 rounding) whose update
 * runs as one native kernel per weight on the "workbook" backend.
 * @example
 * const optimizer = new FusedAdamOptimizer(1e-3);
 * await train(model, mnist, { epochs: 2, optimizer });
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  constructor(learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
  }

  override applyGradients(variableGradients: AdamGradients): void {
    const native = nativeKernels;
    const backend = tf.backend();
    if (!native || tf.getBackend() !== WORKBOOK_BACKEND || !(backend instanceof PooledBackendCPU)) return super.applyGradients(variableGradients);
    const state = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    // c = 1 - beta^t in float32, as tfjs's sub(1, accBeta) computes it
    const c1 = Math.fround(1 - state.accBeta1.dataSync()[0]);
    const c2 = Math.fround(1 - state.accBeta2.dataSync()[0]);
    const params: [number, number, number, number, number, number, number, number] = [this.learningRate, this.beta1, this.beta2, this.epsilon, c1, c2, 1 - this.beta1, 1 - this.beta2];
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i].variable;
        const v = state.accumulatedSecondMoment[i].variable;
        const n = value.size;
        // the tensors' own arrays (no copy): not dataSync, which would keep them out of the buffer pool
        const [wIn, gIn, mIn, vIn] = [ownValues(backend, value), ownValues(backend, gradient), ownValues(backend, m), ownValues(backend, v)];
        // w, m and v are overwritten in place when nothing else can see their arrays (no clone, view
        // or dataSync array: exclusiveValues), else written to new buffers that the variables take
        const [wOut, mOut, vOut] = [value, m, v].map((t) => backend.exclusiveValues(t.dataId) ?? backend.output(n, false));
        native.adamUpdate(wIn, gIn, mIn, vIn, wOut, mOut, vOut, params);
        if (mOut !== mIn) m.assign(tf.tensor(mOut, m.shape, "float32"));
        if (vOut !== vIn) v.assign(tf.tensor(vOut, v.shape, "float32"));
        if (wOut !== wIn) value.assign(tf.tensor(wOut, value.shape, "float32"));
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}
