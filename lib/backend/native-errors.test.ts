/**
 * The addon's convolution and pooling entry points (native/addon.cc) check their arguments before
 * computing: an error names the function and the argument (too few arguments, a shape list that is
 * not one, a stride or dilation below 1, an array that is not a Float32Array or is too short for the
 * shapes, a convolution bias of the wrong type or length), and nothing is written when any check fails.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { nativeKernels, type ConvDims, type NativeKernels, type PoolDims } from "./native";

const skip = nativeKernels ? false : "the native addon is not built";
/** A 1x2x2x1 input, a 1x1x1x1 filter, stride and dilation 1, no padding: every array holds 4 or 1 values. */
const CONV: ConvDims = [1, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 0, 0];
/** 2x2 max pooling of a 1x2x2x1 input. */
const POOL: PoolDims = [1, 2, 2, 1, 1, 1, 2, 2, 2, 2, 1, 1, 0, 0];

/** Calls the addon's `fn` with untyped arguments, as a wrong caller would. */
function call(native: NativeKernels, fn: "conv2d" | "conv2dBackpropFilter" | "conv2dBackpropInput" | "maxPool" | "maxPoolGrad", ...args: unknown[]): void {
  (native[fn] as (...a: unknown[]) => void)(...args);
}

test("conv2d and its gradients name the function and argument in each error and write nothing", { skip }, () => {
  const native = nativeKernels!;
  const f = (n: number) => new Float32Array(n).fill(1);
  const cases = [
    { fn: "conv2d", arrays: ["x", "filter", "y"], sizes: [4, 1, 4] },
    { fn: "conv2dBackpropFilter", arrays: ["x", "dy", "dw"], sizes: [4, 4, 1] },
    { fn: "conv2dBackpropInput", arrays: ["dy", "filter", "dx"], sizes: [4, 1, 4] },
  ] as const;
  for (const { fn, arrays, sizes } of cases) {
    const out = new Float32Array(sizes[2]);
    assert.throws(() => call(native, fn, f(sizes[0]), f(sizes[1])), { name: "TypeError", message: `workbook_native.${fn}: expected 4 arguments` });
    assert.throws(() => call(native, fn, f(sizes[0]), f(sizes[1]), out, [1, 2]), { name: "TypeError", message: `workbook_native.${fn}: dims must be an array of 15 integers` });
    const strideZero = [...CONV];
    strideZero[9] = 0;
    assert.throws(() => call(native, fn, f(sizes[0]), f(sizes[1]), out, strideZero), { name: "RangeError", message: `workbook_native.${fn}: strides and dilations must be >= 1` });
    assert.throws(() => call(native, fn, new Float64Array(sizes[0]), f(sizes[1]), out, CONV), { name: "TypeError", message: `workbook_native.${fn}: argument ${arrays[0]} must be a Float32Array` });
    assert.throws(() => call(native, fn, f(sizes[0]), f(sizes[1]), new Float32Array(sizes[2] - 1), CONV), {
      name: "RangeError",
      message: `workbook_native.${fn}: argument ${arrays[2]} has ${sizes[2] - 1} elements, the shapes need ${sizes[2]}`,
    });
    assert.deepEqual([...out], new Array<number>(sizes[2]).fill(0), `${fn} wrote nothing while its arguments were wrong`);
    call(native, fn, f(sizes[0]), f(sizes[1]), out, CONV);
    assert.deepEqual([...out], new Array<number>(sizes[2]).fill(fn === "conv2dBackpropFilter" ? 4 : 1), `${fn} with a 1x1 filter of ones`);
  }
});

test("conv2d's bias and relu: a bias that is not a Float32Array of OC or 1 values is refused before anything is written", { skip }, () => {
  const native = nativeKernels!;
  const ones = (n: number) => new Float32Array(n).fill(1);
  const y = new Float32Array(4);
  assert.throws(() => call(native, "conv2d", ones(4), ones(1), y, CONV, new Float64Array(1), true), { name: "TypeError", message: "workbook_native.conv2d: argument bias must be a Float32Array" });
  assert.throws(() => call(native, "conv2d", ones(4), ones(1), y, CONV, ones(2), true), { name: "RangeError", message: "workbook_native.conv2d: argument bias has 2 elements; it needs OC = 1 or 1" });
  assert.deepEqual([...y], [0, 0, 0, 0], "conv2d wrote nothing while its bias was wrong");
  // y = max(0, x * 1 + bias): 1 + 0.5 without relu, max(0, 1 - 2) with it; null: no bias
  call(native, "conv2d", ones(4), ones(1), y, CONV, new Float32Array([0.5]), false);
  assert.deepEqual([...y], [1.5, 1.5, 1.5, 1.5]);
  call(native, "conv2d", ones(4), ones(1), y, CONV, new Float32Array([-2]), true);
  assert.deepEqual([...y], [0, 0, 0, 0]);
  call(native, "conv2d", ones(4), ones(1), y, CONV, null, true);
  assert.deepEqual([...y], [1, 1, 1, 1]);
});

test("maxPool and maxPoolGrad name the function and argument in each error and write nothing", { skip }, () => {
  const native = nativeKernels!;
  const x = new Float32Array([1, 4, 2, 3]);
  const y = new Float32Array(1);
  assert.throws(() => call(native, "maxPool", x, y), { name: "TypeError", message: "workbook_native.maxPool: expected 3 arguments" });
  assert.throws(() => call(native, "maxPool", x, y, [...POOL.slice(0, 8), 0, ...POOL.slice(9)]), { name: "RangeError", message: "workbook_native.maxPool: strides and dilations must be >= 1" });
  assert.throws(() => call(native, "maxPool", x, new Float32Array(0), POOL), { name: "RangeError", message: "workbook_native.maxPool: argument y has 0 elements, the shapes need 1" });
  assert.throws(() => call(native, "maxPoolGrad", x, [1], new Float32Array(4), POOL), { name: "TypeError", message: "workbook_native.maxPoolGrad: argument dy must be a Float32Array" });
  assert.equal(y[0], 0, "maxPool wrote nothing while its arguments were wrong");
  call(native, "maxPool", x, y, POOL);
  assert.equal(y[0], 4);
  const dx = new Float32Array(4);
  call(native, "maxPoolGrad", x, new Float32Array([5]), dx, POOL);
  assert.deepEqual([...dx], [0, 5, 0, 0], "dy goes to the window's maximum");
});
