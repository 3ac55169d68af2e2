/**
 * The shapes a convolution or pooling kernel hands the native addon, derived in one place from
 * tfjs's Conv2DInfo (NHWC): the convolutions, their gradients and max pooling read the same fields
 * (batch, input size and channels, output size, strides, dilations, top/left padding).
 */
import * as tf from "@tensorflow/tfjs";
import type { ConvDims, PoolDims } from "../native";

/** A rank-4 shape: an NHWC tensor's [N, H, W, C] or an HWIO filter's [KH, KW, C, OC]. */
export type Rank4 = [number, number, number, number];

/** The window's geometry, shared by both shape lists: [strideH, strideW, dilationH, dilationW, padTop, padLeft]. */
function windowDims(info: tf.backend_util.Conv2DInfo): [number, number, number, number, number, number] {
  return [info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left];
}

/**
 * tfjs's Conv2DInfo for a channels-last convolution of `xShape` by `filterShape` (what Conv2D, both
 * its gradients and the WASM filter gradient compute their sizes and padding from).
 * @example
 * const info = nhwcConvInfo([64, 28, 28, 1], [5, 5, 1, 16], 1, 1, "same");
 * info.outHeight; // 28
 */
export function nhwcConvInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: tf.Conv2DAttrs["pad"],
  dimRoundingMode?: tf.Conv2DAttrs["dimRoundingMode"],
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(xShape as Rank4, filterShape as Rank4, strides, dilations, pad, dimRoundingMode, false, "channelsLast");
}

/**
 * The addon's shape list for a convolution: x[N,H,W,C], filter[KH,KW,C,OC], y[N,OH,OW,OC], then the window.
 * @example native.conv2d(x, filter, y, convDims(nhwcConvInfo(x.shape, filter.shape, 1, 1, "same")));
 */
export function convDims(info: tf.backend_util.Conv2DInfo): ConvDims {
  return [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.filterHeight, info.filterWidth, info.outChannels, info.outHeight, info.outWidth, ...windowDims(info)];
}

/**
 * The addon's shape list for max pooling: x[N,H,W,C] -> y[N,OH,OW,C] over the effective (dilated)
 * window fh x fw, then the window.
 * @example native.maxPool(x, y, poolDims(tf.backend_util.computePool2DInfo([1, 4, 4, 1], 2, 2, 1, "valid")));
 */
export function poolDims(info: tf.backend_util.Conv2DInfo): PoolDims {
  return [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.effectiveFilterHeight, info.effectiveFilterWidth, ...windowDims(info)];
}
