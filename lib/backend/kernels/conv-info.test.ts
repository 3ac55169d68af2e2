/**
 * The shape lists the native addon reads by position (native/addon.cc: conv_shape, pool_shape),
 * derived from tfjs's Conv2DInfo by conv-info.ts: each field lands where the C++ side reads it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { convDims, nhwcConvInfo, poolDims } from "./conv-info";

test("convDims: [N, H, W, C, KH, KW, OC, OH, OW, sh, sw, dh, dw, padTop, padLeft] for a strided, padded NHWC convolution", () => {
  // x [2, 9, 11, 3], filter [3, 5, 3, 8], stride 2, "same": OH = ceil(9 / 2) = 5, OW = ceil(11 / 2) = 6;
  // padding along H = max((5 - 1) * 2 + 3 - 9, 0) = 2 (top 1), along W = max((6 - 1) * 2 + 5 - 11, 0) = 4 (left 2)
  const info = nhwcConvInfo([2, 9, 11, 3], [3, 5, 3, 8], 2, 1, "same");
  assert.deepEqual(convDims(info), [2, 9, 11, 3, 3, 5, 8, 5, 6, 2, 2, 1, 1, 1, 2]);
  assert.deepEqual(convDims(nhwcConvInfo([1, 7, 7, 2], [3, 3, 2, 4], 1, [2, 1], "valid")), [1, 7, 7, 2, 3, 3, 4, 3, 5, 1, 1, 2, 1, 0, 0], "dilation 2 along H: effective height 5");
});

test("poolDims: [N, H, W, C, OH, OW, effective fh, fw, sh, sw, dh, dw, padTop, padLeft] for max pooling", () => {
  assert.deepEqual(poolDims(tf.backend_util.computePool2DInfo([4, 8, 8, 16], 2, 2, 1, "valid")), [4, 8, 8, 16, 4, 4, 2, 2, 2, 2, 1, 1, 0, 0]);
  // 3x3 window, stride 2, "same" on 7x7: OH = 4, padding max((4 - 1) * 2 + 3 - 7, 0) = 2, top 1
  assert.deepEqual(poolDims(tf.backend_util.computePool2DInfo([1, 7, 7, 3], 3, 2, 1, "same")), [1, 7, 7, 3, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1]);
});
