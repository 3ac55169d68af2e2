// 2-D convolution (NHWC input, HWIO filter) as im2col + GEMM, forward and both gradients.
#pragma once

namespace workbook {

// Shapes of one convolution; input x[N,H,W,C], filter w[KH,KW,C,OC], output y[N,OH,OW,OC].
// Output pixel (oh, ow) reads input rows oh*sh - pt + kh*dh and columns ow*sw - pl + kw*dw.
struct ConvShape {
  long N, H, W, C, KH, KW, OC, OH, OW, sh, sw, dh, dw, pt, pl;
};

// What conv2d_forward applies to each output value once computed (while it is still in cache):
// y = y + bias[o mod biasLen] when bias is given, then y = max(0, y) when relu.
struct ConvEpilogue {
  const float* bias = nullptr;
  long biasLen = 0;
  bool relu = false;
};

// y = conv(x, w), then the epilogue
void conv2d_forward(const ConvShape& s, const float* x, const float* w, float* y, int threads, const ConvEpilogue& epilogue = {});
// dw = sum over pixels of x-patch^T dy
void conv2d_backprop_filter(const ConvShape& s, const float* x, const float* dy, float* dw, int threads);
// dx = col2im(dy w^T)
void conv2d_backprop_input(const ConvShape& s, const float* dy, const float* w, float* dx, int threads);

}  // namespace workbook
