// Each kernel of the "workbook" backend (and the kernels we add to "wasm") against tfjs's CPU backend.
// Relative error is CS231n's: max over elements of |x - y| / max(1e-8, |x| + |y|); threshold 1e-4.
// Inputs for that check are positive (uniform [0.1, 1)), so sums do not cancel and the error
// measures the kernel, not float32 summation order; signed inputs are checked as well with
// max|x - y| / max|y| < 1e-5.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf, useBackend, nativeKernels, availableBackends, wasmBridgedKernels, WorkbookBackendName, NATIVE_KERNEL_NAMES } from "./index";
import { seededRandom } from "../data/random";

function relError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assert.equal(x.length, y.length, "result sizes differ");
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1e-8, Math.abs(x[i]) + Math.abs(y[i])));
  return worst;
}

function scaledError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let diff = 0,
    scale = 1e-12;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return diff / scale;
}

function data(n: number, seed: number, signed = false): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (signed ? rand() * 2 - 1 : 0.1 + 0.9 * rand()));
}

/** Runs `compute` on a backend and returns every output as a plain array. */
async function on(backend: WorkbookBackendName, compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await useBackend(backend);
  const outs = tf.tidy(compute);
  const values = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return values;
}

/** Compares `compute` on `backend` with tfjs CPU, positive and signed inputs. */
async function sameAsCpu(backend: WorkbookBackendName, what: string, compute: (signed: boolean) => tf.Tensor[]): Promise<void> {
  for (const signed of [false, true]) {
    const ours = await on(backend, () => compute(signed));
    const cpu = await on("cpu", () => compute(signed));
    ours.forEach((o, i) => {
      if (!signed) assert.ok(relError(o, cpu[i]) < 1e-4, `${what} output ${i} (${backend}): relative error ${relError(o, cpu[i])} >= 1e-4`);
      else assert.ok(scaledError(o, cpu[i]) < 1e-5, `${what} output ${i} (${backend}, signed inputs): scaled error ${scaledError(o, cpu[i])} >= 1e-5`);
    });
  }
}

const fast: WorkbookBackendName = nativeKernels ? "workbook" : "wasm";

test("the fastest available backend is selected at import", async () => {
  const { backendReady } = await import("./index");
  const chosen = await backendReady;
  assert.equal(chosen, process.env.WORKBOOK_BACKEND ?? availableBackends()[0]);
  await useBackend(fast);
  assert.equal(tf.getBackend(), fast);
  if (fast === "workbook") {
    // the native kernels, not the CPU ones, are registered under "workbook"
    for (const name of NATIVE_KERNEL_NAMES) assert.notEqual(tf.getKernel(name, "workbook")?.kernelFunc, tf.getKernel(name, "cpu")?.kernelFunc, name);
    assert.equal(tf.getKernel("Gather", "workbook")?.kernelFunc, tf.getKernel("Gather", "cpu")?.kernelFunc);
  }
  await assert.rejects(useBackend("tpu"), /unknown backend "tpu"/);
});

test("matMul, batched and transposed matMul, fused matMul with bias and relu", async () => {
  await sameAsCpu(fast, "matMul", (s) => {
    const a = tf.tensor2d(data(37 * 53, 1, s), [37, 53]);
    const b = tf.tensor2d(data(53 * 29, 2, s), [53, 29]);
    const bt = tf.tensor2d(data(29 * 53, 3, s), [29, 53]);
    const at = tf.tensor2d(data(53 * 37, 4, s), [53, 37]);
    const batchA = tf.tensor3d(data(3 * 7 * 11, 5, s), [3, 7, 11]);
    const oneB = tf.tensor3d(data(11 * 13, 6, s), [1, 11, 13]);
    const bias = tf.tensor1d(data(29, 7, s));
    return [
      tf.matMul(a, b),
      tf.matMul(a, bt, false, true),
      tf.matMul(at, b, true, false),
      tf.matMul(at, bt, true, true),
      tf.matMul(batchA, oneB),
      tf.fused.matMul({ a, b, bias, activation: "relu" }),
      tf.fused.matMul({ a, b: bt, transposeB: true, bias, activation: "sigmoid" }),
    ];
  });
});

/** A convolution case: input x [N, H, W, C], filter f [kH, kW, C, F], strides, padding, dilation. */
interface ConvCase {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number;
  pad: "same" | "valid";
  dilation: number;
}

const convCases: ConvCase[] = [
  { name: "5x5 same", x: [3, 12, 12, 2], f: [5, 5, 2, 6], strides: 1, pad: "same", dilation: 1 },
  { name: "3x3 valid stride 2", x: [2, 11, 9, 3], f: [3, 3, 3, 5], strides: 2, pad: "valid", dilation: 1 },
  { name: "3x3 same dilation 2", x: [2, 10, 10, 4], f: [3, 3, 4, 3], strides: 1, pad: "same", dilation: 2 },
  { name: "reference conv2 (14x14x16 -> 32)", x: [1, 14, 14, 16], f: [5, 5, 16, 32], strides: 1, pad: "same", dilation: 1 },
];

/** The case's input and filter, filled by {@link data} from seeds `seed` (x) and `seed + 1` (f). */
function convTensors(c: ConvCase, seed: number, signed: boolean): { x: tf.Tensor4D; f: tf.Tensor4D } {
  const size = (shape: number[]): number => shape.reduce((p, q) => p * q);
  return { x: tf.tensor4d(data(size(c.x), seed, signed), c.x), f: tf.tensor4d(data(size(c.f), seed + 1, signed), c.f) };
}

test("conv2d forward and fused conv2d with bias and relu", async () => {
  for (const c of convCases) {
    await sameAsCpu(fast, `conv2d ${c.name}`, (s) => {
      const { x, f } = convTensors(c, 11, s);
      const bias = tf.tensor1d(data(c.f[3], 13, s));
      return [tf.conv2d(x, f, c.strides, c.pad, "NHWC", c.dilation), tf.fused.conv2d({ x, filter: f, strides: c.strides, pad: c.pad, dilations: c.dilation, bias, activation: "relu" })];
    });
  }
});

test("conv2d gradients: dx (Conv2DBackpropInput) and dw (Conv2DBackpropFilter)", async () => {
  for (const c of convCases.filter((k) => k.dilation === 1)) {
    for (const backend of [fast, "wasm"] as WorkbookBackendName[]) {
      await sameAsCpu(backend, `conv2d gradients ${c.name}`, (s) => {
        const { x, f } = convTensors(c, 21, s);
        const y = tf.conv2d(x, f, c.strides, c.pad);
        const dy = tf.tensor(data(y.size, 23, s), y.shape);
        // L = sum(conv(x, f) * dy), so dL/dx and dL/df are exactly the two backprop kernels applied to dy
        const [dx, df] = tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
          tf
            .conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.strides, c.pad)
            .mul(dy)
            .sum(),
        )([x, f]);
        return [dx, df];
      });
    }
  }
});

test("element-wise ops with broadcasting (equal, scalar, trailing vector, other) and Sum over axes", async () => {
  await sameAsCpu(fast, "element-wise", (s) => {
    const a = tf.tensor4d(data(2 * 3 * 4 * 5, 61, s), [2, 3, 4, 5]);
    const b = tf.tensor4d(data(2 * 3 * 4 * 5, 62, s), [2, 3, 4, 5]);
    const v = tf.tensor1d(data(5, 63, s));
    const col = tf.tensor4d(data(2 * 3 * 4, 64, s), [2, 3, 4, 1]);
    const k = tf.scalar(0.9);
    return [
      tf.relu(a.sub(0.5)),
      tf.step(a.sub(0.5), 0.1),
      tf.leakyRelu(a.sub(0.5), 0.2),
      tf.add(a, b),
      tf.sub(a, v),
      tf.mul(k, a),
      tf.div(a, k),
      tf.div(v, a),
      tf.maximum(a, b),
      tf.minimum(v, a),
      tf.mul(a, col),
      tf.sum(a, [0, 1, 2]),
      tf.sum(a, [3]),
      tf.sum(a, [1, 2], true),
      tf.sum(a, [0, 2]),
      tf.sum(a),
    ];
  });
});

test("slices, splits and unstacks, contiguous and strided, float32 and int32, equal tfjs CPU exactly", { skip: nativeKernels ? false : "the workbook backend needs the native addon" }, async () => {
  const compute = (): tf.Tensor[] => {
    const x = tf.tensor3d(data(4 * 6 * 8, 71, true), [4, 6, 8]);
    const ints = tf.tensor3d(
      Int32Array.from({ length: 4 * 6 * 8 }, (_, i) => i),
      [4, 6, 8],
      "int32",
    );
    const gates = tf.tensor2d(data(5 * 12, 72, true), [5, 12]);
    return [
      tf.slice(x, [1, 2, 3], [2, 3, 4]),
      tf.slice(x, [0, 1, 0], [4, 2, 8]),
      tf.slice(x, [2, 0, 0], [1, 6, 8]),
      tf.slice(x, [0, 0, 7], [4, 6, 1]),
      tf.slice(ints, [1, 1, 1], [3, 4, 5]),
      ...tf.split(gates, 4, 1),
      ...tf.split(x, [1, 3, 2], 1),
      ...tf.split(ints, 2, 2),
      ...tf.unstack(x, 1),
      ...tf.unstack(x, 2),
      ...tf.unstack(ints, 0),
      // gradients flow back through them (concat and stack)
      tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.split(v, 4, 1)[2], tf.unstack(v.reshape([5, 4, 3]), 1)[1])))(gates),
    ];
  };
  const ours = await on("workbook", compute);
  const cpu = await on("cpu", compute);
  assert.equal(ours.length, cpu.length);
  ours.forEach((o, i) => assert.deepEqual(Array.from(o), Array.from(cpu[i]), `output ${i}`));
});

test("UnsortedSegmentSum with repeated and out-of-range ids equals tfjs CPU", { skip: nativeKernels ? false : "the workbook backend needs the native addon" }, async () => {
  const compute = (): tf.Tensor[] => {
    const x = tf.tensor3d(data(6 * 4 * 5, 81, true), [6, 4, 5]);
    const ids = tf.tensor1d([0, 2, 2, 9, -1, 3], "int32");
    return [tf.unsortedSegmentSum(x, ids, 4), tf.unsortedSegmentSum(tf.tensor1d(data(6, 82, true)), tf.tensor1d([5, 0, 5, 1, 0, 0], "int32"), 6)];
  };
  const ours = await on("workbook", compute);
  const cpu = await on("cpu", compute);
  ours.forEach((o, i) => assert.ok(scaledError(o, cpu[i]) < 1e-6, `output ${i}: scaled error ${scaledError(o, cpu[i])}`));
});

test("sqrt, square, exp, log, sigmoid and tanh equal tfjs CPU exactly", { skip: nativeKernels ? false : "the workbook backend needs the native addon" }, async () => {
  const compute = (): tf.Tensor[] => {
    const positive = tf.tensor2d(data(40 * 30, 91), [40, 30]);
    const signed = tf.tensor2d(data(40 * 30, 92, true), [40, 30]).mul(4);
    return [tf.sqrt(positive), tf.square(signed), tf.exp(signed), tf.log(positive), tf.sigmoid(signed), tf.tanh(signed), tf.sqrt(tf.tensor1d([-1, 0, 4]))];
  };
  const ours = await on("workbook", compute);
  const cpu = await on("cpu", compute);
  ours.forEach((o, i) => assert.deepEqual(Array.from(o), Array.from(cpu[i]), `output ${i}`));
});

test("max and average pooling with their gradients", async () => {
  await sameAsCpu(fast, "pooling", (s) => {
    const x = tf.tensor4d(data(2 * 8 * 8 * 3, 31, s), [2, 8, 8, 3]);
    const [dMax] = tf.grads((xx: tf.Tensor) =>
      tf
        .maxPool(xx as tf.Tensor4D, 2, 2, "valid")
        .square()
        .sum(),
    )([x]);
    const [dAvg] = tf.grads((xx: tf.Tensor) =>
      tf
        .avgPool(xx as tf.Tensor4D, 3, 2, "same")
        .square()
        .sum(),
    )([x]);
    const [dSame] = tf.grads((xx: tf.Tensor) => tf.maxPool(xx as tf.Tensor4D, 3, 2, "same").sum())([x]);
    // after relu many windows tie at 0: the gradient goes to the first maximum, as on the CPU
    const [dTies] = tf.grads((xx: tf.Tensor) =>
      tf
        .maxPool(tf.relu(xx) as tf.Tensor4D, 2, 2, "valid")
        .mul(tf.range(1, 33).reshape([2, 4, 4, 1]))
        .sum(),
    )([x.sub(0.6)]);
    // 7x7 under 2x2 windows: the last row and column are in no window (their gradient is 0)
    const [dOdd] = tf.grads((xx: tf.Tensor) =>
      tf
        .maxPool(xx as tf.Tensor4D, 2, 2, "valid")
        .square()
        .sum(),
    )([x.slice([0, 0, 0, 0], [2, 7, 7, 3])]);
    return [tf.maxPool(x, 2, 2, "valid"), tf.maxPool(x, 3, 2, "same"), tf.avgPool(x, 3, 2, "same"), dMax, dAvg, dSame, dTies, dOdd];
  });
});

test("embedding gather and its gradient (UnsortedSegmentSum), on ours and on wasm", async () => {
  for (const backend of [fast, "wasm"] as WorkbookBackendName[]) {
    await sameAsCpu(backend, "gather", (s) => {
      const table = tf.tensor2d(data(20 * 6, 41, s), [20, 6]);
      const ids = tf.tensor1d([3, 7, 3, 19, 0, 7, 7], "int32");
      const [dTable] = tf.grads((t: tf.Tensor) =>
        tf
          .gather(t, ids)
          .mul(tf.range(1, 8).reshape([7, 1]))
          .sum(),
      )([table]);
      return [tf.gather(table, ids), dTable, tf.unsortedSegmentSum(tf.tensor2d(data(7 * 6, 42, s), [7, 6]), ids, 20)];
    });
  }
  assert.ok(wasmBridgedKernels.includes("UnsortedSegmentSum") && wasmBridgedKernels.includes("Conv2DBackpropFilter"));
});

test("LSTM cell ops: fused gate product, sigmoid/tanh gates, cell update, and their gradients", async () => {
  await sameAsCpu(fast, "LSTM step", (s) => {
    const [N, D, H] = [4, 5, 6];
    const x = tf.tensor2d(data(N * D, 51, s), [N, D]);
    const hPrev = tf.tensor2d(data(N * H, 52, s), [N, H]);
    const cPrev = tf.tensor2d(data(N * H, 53, s), [N, H]);
    const Wx = tf.tensor2d(data(D * 4 * H, 54, s), [D, 4 * H]);
    const Wh = tf.tensor2d(data(H * 4 * H, 55, s), [H, 4 * H]);
    const b = tf.tensor1d(data(4 * H, 56, s));
    const step = (wx: tf.Tensor, wh: tf.Tensor) => {
      // a = x Wx + h_prev Wh + b; i, f, o = sigmoid(a_i, a_f, a_o); g = tanh(a_g); c = f*c_prev + i*g; h = o*tanh(c)
      const a = tf.add(tf.add(tf.matMul(x, wx as tf.Tensor2D), tf.matMul(hPrev, wh as tf.Tensor2D)), b);
      const [ai, af, ao, ag] = tf.split(a, 4, 1);
      const c = tf.add(tf.mul(tf.sigmoid(af), cPrev), tf.mul(tf.sigmoid(ai), tf.tanh(ag)));
      return tf.mul(tf.sigmoid(ao), tf.tanh(c));
    };
    const [dWx, dWh] = tf.grads((wx: tf.Tensor, wh: tf.Tensor) => step(wx, wh).sum())([Wx, Wh]);
    return [step(Wx, Wh), dWx, dWh];
  });
});
