// Element-wise loops written so that -O3 -march=native vectorises them; large arrays are split
// over threads.
#include "elementwise.h"
#include "gemm.h"
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace workbook {

template <typename F> static void binary_range(F f, const float* a, long na, const float* b, long nb, float* out, long begin, long end) {
  if (na == nb) {
    for (long i = begin; i < end; ++i) out[i] = f(a[i], b[i]);
  } else if (nb == 1) {
    const float s = b[0];
    for (long i = begin; i < end; ++i) out[i] = f(a[i], s);
  } else if (na == 1) {
    const float s = a[0];
    for (long i = begin; i < end; ++i) out[i] = f(s, b[i]);
  } else if (nb < na) {
    // begin is a multiple of nb (see split below)
    for (long i = begin; i < end; i += nb)
      for (long j = 0; j < nb; ++j) out[i + j] = f(a[i + j], b[j]);
  } else {
    for (long i = begin; i < end; i += na)
      for (long j = 0; j < na; ++j) out[i + j] = f(a[j], b[i + j]);
  }
}

template <typename Body> static void split(long n, long align, int threads, Body body) {
  // below ~128K values one thread is faster than handing half to another
  const int T = n < (1L << 17) ? 1 : threads;
  const long per = ((n + T - 1) / T + align - 1) / align * align;
  parallel_ranges(T, n, per, [&](int, long begin, long end) { body(begin, end); });
}

void binary(int op, const float* a, long na, const float* b, long nb, float* out, long n, int threads) {
  const long align = (na == n && nb == n) || na == 1 || nb == 1 ? 16 : std::min(na, nb);
  split(n, align, threads, [&](long begin, long end) {
    switch (op) {
      case ADD: binary_range([](float x, float y) { return x + y; }, a, na, b, nb, out, begin, end); break;
      case SUB: binary_range([](float x, float y) { return x - y; }, a, na, b, nb, out, begin, end); break;
      case MUL: binary_range([](float x, float y) { return x * y; }, a, na, b, nb, out, begin, end); break;
      case DIV: binary_range([](float x, float y) { return x / y; }, a, na, b, nb, out, begin, end); break;
      case MAX: binary_range([](float x, float y) { return (x > y || std::isnan(x)) ? x : y; }, a, na, b, nb, out, begin, end); break;
      case MIN: binary_range([](float x, float y) { return (x < y || std::isnan(x)) ? x : y; }, a, na, b, nb, out, begin, end); break;
      // x * step(y), step(y) = y > 0 ? 1 : 0, NaN for NaN (the same products as tfjs's two kernels);
      // two selects, not nested branches, so that the loop vectorises
      case MUL_STEP:
        binary_range(
            [](float x, float y) {
              const float step = y > 0.f ? 1.f : 0.f;
              return x * (y == y ? step : y);
            },
            a, na, b, nb, out, begin, end);
        break;
    }
  });
}

void unary(int op, const float* x, float* out, long n, float alpha, int threads) {
  split(n, 16, threads, [&](long begin, long end) {
    if (op == RELU) {
      for (long i = begin; i < end; ++i) out[i] = x[i] < 0.f ? 0.f : x[i];
    } else {
      // branch-free on local pointers so that it vectorises (through the captured ones GCC would not,
      // and a branch per value mispredicts half the time on activations); v != v only for NaN, kept NaN
      const float* __restrict xs = x;
      float* __restrict os = out;
      const float a = alpha;
      for (long i = begin; i < end; ++i) {
        const float v = xs[i];
        const float r = v > 0.f ? 1.f : a;
        os[i] = v == v ? r : v;
      }
    }
  });
}

void sum_middle(const float* x, float* out, long outer, long middle, long inner) {
  std::vector<double> acc(inner);
  for (long o = 0; o < outer; ++o) {
    std::fill(acc.begin(), acc.end(), 0.0);
    for (long m = 0; m < middle; ++m) {
      const float* row = x + (o * middle + m) * inner;
      for (long j = 0; j < inner; ++j) acc[j] += row[j];
    }
    for (long j = 0; j < inner; ++j) out[o * inner + j] = static_cast<float>(acc[j]);
  }
}

// The in-bounds pixels of one pooling window: rows rmin, rmin + dh, ... below rmax, columns likewise.
struct Window {
  long rmin, rmax, cmin, cmax;
};

// f(n, out, window) for every output pixel of the images [n0, n1) in row-major order: `out` is the
// flat index of its first channel in y. The walk that max pooling and its argmax share.
template <typename F> static inline void for_each_window(const PoolShape& s, long n0, long n1, F f) {
  for (long n = n0; n < n1; ++n)
    for (long oh = 0; oh < s.OH; ++oh) {
      const long r0 = oh * s.sh - s.pt;
      long rmin = r0;
      while (rmin < 0) rmin += s.dh;
      const long rmax = std::min(s.H, r0 + s.fh);
      for (long ow = 0; ow < s.OW; ++ow) {
        const long c0 = ow * s.sw - s.pl;
        long cmin = c0;
        while (cmin < 0) cmin += s.dw;
        const long cmax = std::min(s.W, c0 + s.fw);
        f(n, ((n * s.OH + oh) * s.OW + ow) * s.C, Window{rmin, rmax, cmin, cmax});
      }
    }
}

// f(at) for the pixels of image n's window in row-major order: `at` = the flat index of the pixel's
// first channel in x.
template <typename F> static inline void for_each_in_window(const PoolShape& s, long n, const Window& win, F f) {
  for (long r = win.rmin; r < win.rmax; r += s.dh)
    for (long c = win.cmin; c < win.cmax; c += s.dw) f(((n * s.H + r) * s.W + c) * s.C);
}

// For each output value, the flat input index of its window's first maximum (-1 if empty).
// Branch-free over the channels (a compare and two selects) so that the channel loop vectorises;
// ties keep the earlier pixel (strictly greater replaces), NaN never wins, as before.
template <typename Visit> static void pool_argmax(const PoolShape& s, const float* x, long n0, long n1, Visit visit) {
  std::vector<float> best(s.C);
  std::vector<long> where(s.C);
  float* __restrict bp = best.data();
  long* __restrict wp = where.data();
  const long C = s.C;
  for_each_window(s, n0, n1, [&](long n, long out, const Window& win) {
    for (long ch = 0; ch < C; ++ch) {
      bp[ch] = -INFINITY;
      wp[ch] = -1L;
    }
    for_each_in_window(s, n, win, [&](long base) {
      const float* __restrict xr = x + base;
      for (long ch = 0; ch < C; ++ch) {
        const bool gt = xr[ch] > bp[ch];
        bp[ch] = gt ? xr[ch] : bp[ch];
        wp[ch] = gt ? base + ch : wp[ch];
      }
    });
    for (long ch = 0; ch < C; ++ch) visit(out + ch, wp[ch], bp[ch]);
  });
}

// Forward only: the maximum, without positions (max over the window, NaN never wins).
// Splits the images over threads when the input has at least ~128K values; f(first, end).
template <typename F> static void pool_images(const PoolShape& s, int threads, F f) {
  const int T = std::max(1, s.N * s.H * s.W * s.C < (1L << 17) ? 1 : static_cast<int>(std::min<long>(threads, s.N)));
  parallel_ranges(T, s.N, (s.N + T - 1) / T, [&](int, long n0, long n1) { f(n0, n1); });
}

void max_pool(const PoolShape& s, const float* x, float* y, int threads) {
  pool_images(s, threads, [&](long n0, long n1) { max_pool_images(s, x, y, n0, n1); });
}

void max_pool_images(const PoolShape& s, const float* x, float* y, long n0, long n1) {
  const long C = s.C;
  for_each_window(s, n0, n1, [&](long n, long out, const Window& win) {
    float* __restrict yo = y + out;
    for (long ch = 0; ch < C; ++ch) yo[ch] = -INFINITY;
    for_each_in_window(s, n, win, [&](long at) {
      const float* __restrict xr = x + at;
      for (long ch = 0; ch < C; ++ch) yo[ch] = xr[ch] > yo[ch] ? xr[ch] : yo[ch];
    });
  });
}

// Windows that tile the image without overlap (stride = window, no dilation, no padding: the usual
// 2x2 pooling), so each input pixel is in one window at most.
static bool pool_tiles(const PoolShape& s) {
  return s.sh == s.fh && s.sw == s.fw && s.dh == 1 && s.dw == 1 && s.pt == 0 && s.pl == 0 && s.OH * s.fh <= s.H && s.OW * s.fw <= s.W;
}

// f(k, at) for the pixels of the tile of output pixel (n, oh, ow) in row-major order: k = the pixel's
// number within the tile, `at` = the flat index of its first channel in x (and dx).
template <typename F> static inline void for_each_in_tile(const PoolShape& s, long n, long oh, long ow, F f) {
  int k = 0;
  for (long r = 0; r < s.fh; ++r)
    for (long c = 0; c < s.fw; ++c, ++k) f(k, ((n * s.H + oh * s.fh + r) * s.W + ow * s.fw + c) * s.C);
}

// dx for tiling windows in one pass, no scatter: per window and channel, the position of the first
// strict maximum (branch-free, so that the channel loops vectorise), then every pixel of the window
// gets dy there and 0 elsewhere. Rows and columns outside every window are cleared first.
static void max_pool_grad_tiles(const PoolShape& s, const float* x, const float* dy, float* dx, long n0, long n1) {
  const long C = s.C, image = s.H * s.W * C;
  if (s.OH * s.fh != s.H || s.OW * s.fw != s.W) std::memset(dx + n0 * image, 0, (n1 - n0) * image * sizeof(float));
  std::vector<float> best(C);
  std::vector<int> where(C);
  float* __restrict bp = best.data();
  int* __restrict wp = where.data();
  for (long n = n0; n < n1; ++n)
    for (long oh = 0; oh < s.OH; ++oh)
      for (long ow = 0; ow < s.OW; ++ow) {
        for (long ch = 0; ch < C; ++ch) {
          bp[ch] = -INFINITY;
          wp[ch] = -1;
        }
        for_each_in_tile(s, n, oh, ow, [&](int k, long at) {
          const float* __restrict xr = x + at;
          for (long ch = 0; ch < C; ++ch) {
            const bool gt = xr[ch] > bp[ch];
            bp[ch] = gt ? xr[ch] : bp[ch];
            wp[ch] = gt ? k : wp[ch];
          }
        });
        const float* __restrict g = dy + ((n * s.OH + oh) * s.OW + ow) * C;
        for_each_in_tile(s, n, oh, ow, [&](int k, long at) {
          float* __restrict d = dx + at;
          for (long ch = 0; ch < C; ++ch) d[ch] = wp[ch] == k ? g[ch] : 0.f;
        });
      }
}

void max_pool_grad(const PoolShape& s, const float* x, const float* dy, float* dx, int threads) {
  if (pool_tiles(s)) {
    pool_images(s, threads, [&](long n0, long n1) { max_pool_grad_tiles(s, x, dy, dx, n0, n1); });
    return;
  }
  // each thread clears and scatters into its own images only
  pool_images(s, threads, [&](long n0, long n1) {
    const long image = s.H * s.W * s.C;
    std::memset(dx + n0 * image, 0, (n1 - n0) * image * sizeof(float));
    pool_argmax(s, x, n0, n1, [&](long out, long at, float) {
      if (at >= 0) dx[at] += dy[out];
    });
  });
}

// m' = m b1 + g (1 - b1); v' = v b2 + g^2 (1 - b2); w' = (m' / c1) / (sqrt(v' / c2) + eps) (-lr) + w
// no fused multiply-adds here: each product and sum rounded to float32 as tfjs's separate kernels do
#if defined(__clang__)
#pragma clang fp contract(off)
#define WORKBOOK_NO_CONTRACT
#elif defined(__GNUC__)
#define WORKBOOK_NO_CONTRACT __attribute__((optimize("fp-contract=off")))
#else
#define WORKBOOK_NO_CONTRACT
#endif
WORKBOOK_NO_CONTRACT void adam_update(const AdamParams& p, const float* w, const float* g, const float* m, const float* v, float* w_out, float* m_out, float* v_out, long n) {
  const float one_minus_b1 = p.one_minus_b1, one_minus_b2 = p.one_minus_b2, neg_lr = -p.lr;
  // each i reads w, g, m, v at i before writing the outputs at i, so outputs that are the inputs
  // themselves (an update in place) carry nothing from one i to the next: ivdep lets it vectorise
#pragma GCC ivdep
  for (long i = 0; i < n; ++i) {
    const float gi = g[i];
    const float mi = m[i] * p.b1 + gi * one_minus_b1;
    const float vi = v[i] * p.b2 + (gi * gi) * one_minus_b2;
    const float step = (mi / p.c1) / (std::sqrt(vi / p.c2) + p.eps);
    w_out[i] = step * neg_lr + w[i];
    m_out[i] = mi;
    v_out[i] = vi;
  }
}

}  // namespace workbook
