// Element-wise kernels that training runs on every activation: binary ops with the broadcasts
// training uses, relu and its derivative (step), sums over a block of axes, max pooling.
#pragma once

namespace workbook {

// MUL_STEP: a * step(b), relu's backward pass in one loop (dy * step(y)), as tfjs's mul(dy, step(y))
enum BinaryOp { ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5, MUL_STEP = 6 };
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
void max_pool(const PoolShape& s, const float* x, float* y, int threads);
// the same for images [n0, n1) only, on the calling thread
void max_pool_images(const PoolShape& s, const float* x, float* y, long n0, long n1);
// dx[argmax of each window] += dy (dx overwritten); threads take disjoint images
void max_pool_grad(const PoolShape& s, const float* x, const float* dy, float* dx, int threads);

// One Adam step in a single pass (what tfjs's AdamOptimizer does in ~10 element-wise ops), with its
// operations in tfjs's order and float32 rounding:
//   m' = m b1 + g (1 - b1);  v' = v b2 + g^2 (1 - b2);  w' = (m' / c1) / (sqrt(v' / c2) + eps) (-lr) + w
// where c1 = 1 - b1^t and c2 = 1 - b2^t (bias corrections), and 1 - b1, 1 - b2 are given as tfjs
// rounds them (float32 of the double difference). The outputs may alias the inputs.
struct AdamParams {
  float lr, b1, b2, eps, c1, c2, one_minus_b1, one_minus_b2;
};
void adam_update(const AdamParams& p, const float* w, const float* g, const float* m, const float* v, float* w_out, float* m_out, float* v_out, long n);

}  // namespace workbook
