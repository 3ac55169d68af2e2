// Element-wise kernels that training runs on every activation: binary ops with the broadcasts
// training uses, relu and its derivative (step), sums over a block of axes, max pooling.
#pragma once

namespace workbook {

enum BinaryOp { ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5 };
enum UnaryOp { RELU = 0, STEP = 1 };

// out[i] = op(a[i mod na], b[i mod nb]) for i < n, where na and nb are n, 1, or divide n
// (a trailing-vector broadcast, e.g. a bias over channels).
void binary(int op, const float* a, long na, const float* b, long nb, float* out, long n, int threads);

// relu: max(0, x) (NaN stays NaN); step: x > 0 ? 1 : alpha (NaN stays NaN)
void unary(int op, const float* x, float* out, long n, float alpha, int threads);

// out[o, j] = sum over m of x[o, m, j] for x viewed as [outer, middle, inner] (float64 accumulation)
void sum_middle(const float* x, float* out, long outer, long middle, long inner);

// Max pooling, NHWC: shape {N, H, W, C, OH, OW, fh, fw, sh, sw, dh, dw, pt, pl} (fh, fw effective).
// The window of output (oh, ow) covers the in-bounds rows oh*sh - pt .. + fh (step dh) and columns
// likewise; its maximum is the first strictly greatest pixel in row-major order.
struct PoolShape {
  long N, H, W, C, OH, OW, fh, fw, sh, sw, dh, dw, pt, pl;
};
void max_pool(const PoolShape& s, const float* x, float* y);
// dx[argmax of each window] += dy (dx overwritten)
void max_pool_grad(const PoolShape& s, const float* x, const float* dy, float* dx);

}  // namespace workbook
