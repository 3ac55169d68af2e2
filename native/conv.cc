// Convolution by im2col: each output pixel's receptive patch (KH*KW*C values) becomes one row of a
// matrix `col`, so conv is col[rows, K] x w[K, OC] with K = KH*KW*C and rows = images*OH*OW.
// Both gradients are GEMMs too: dw = col^T dy, dcol = dy w^T then col2im adds patches back.
// Threads take disjoint ranges of images; images are processed a few at a time so `col` stays in cache.
#include "conv.h"
#include "gemm.h"
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

namespace workbook {

static long patch_size(const ConvShape& s) { return s.KH * s.KW * s.C; }

// The kernel columns kw in [lo, hi) whose input column ow*sw - pl + kw*dw lies inside [0, W).
static inline void valid_kw(const ConvShape& s, long ow, long& lo, long& hi) {
  const long base = ow * s.sw - s.pl;  // input column of kw = 0
  lo = base >= 0 ? 0 : (-base + s.dw - 1) / s.dw;
  hi = base >= s.W ? 0 : std::min(s.KW, (s.W - 1 - base) / s.dw + 1);
  if (hi < lo) hi = lo;
}

// The walk over output pixels that im2col, col2im and the direct kernels share: every pixel of the
// images [n0, n1) in row-major order with its in-bounds kernel columns [lo, hi) (valid_kw).
// f(P constant, n, oh, ow, lo, hi) covers pixels ow .. ow + P - 1; runs of P > 1 are neighbours in one
// row whose kernel columns are all in bounds (lo = 0, hi = KW), and pixels near the left and right
// borders go one by one. For the direct kernels, a run shares every weight (or filter-gradient)
// vector loaded and gives P times as many independent multiply-adds per tap (one pixel's OC / 8
// sums waited on each multiply-add's latency).
template <int P, typename F> static inline void for_each_pixel_run(const ConvShape& s, long n0, long n1, F f) {
  // ow has every kernel column in bounds when ow*sw - pl >= 0 and ow*sw - pl + (KW-1)*dw <= W - 1
  const long last = s.W - 1 - (s.KW - 1) * s.dw + s.pl;
  const long inner0 = std::min(s.OW, (s.pl + s.sw - 1) / s.sw), inner1 = last < 0 ? 0 : std::min(s.OW, last / s.sw + 1);
  for (long n = n0; n < n1; ++n)
    for (long oh = 0; oh < s.OH; ++oh)
      for (long ow = 0; ow < s.OW;) {
        if (P > 1 && ow >= inner0 && ow + P <= inner1) {
          f(std::integral_constant<int, P>{}, n, oh, ow, 0L, s.KW);
          ow += P;
        } else {
          long lo, hi;
          valid_kw(s, ow, lo, hi);
          f(std::integral_constant<int, 1>{}, n, oh, ow, lo, hi);
          ++ow;
        }
      }
}

// The same walk one pixel at a time: f(n, oh, ow, lo, hi) (im2col and col2im).
template <typename F> static inline void for_each_pixel(const ConvShape& s, long n0, long n1, F f) {
  for_each_pixel_run<1>(s, n0, n1, [&](auto, long n, long oh, long ow, long lo, long hi) { f(n, oh, ow, lo, hi); });
}


// f(xp, wp) for the in-bounds taps of output pixel (oh, ow) in im2col's order (kh, then kw in
// [lo, hi)): xp = the tap's C input channels in image xn, wp = its [C, OC] block of the filter w
// (the weights, or their gradient).
template <int OC, typename T, typename F> static inline void for_each_tap(const ConvShape& s, long C, const float* xn, T* w, long oh, long ow, long lo, long hi, F f) {
  const long iw0 = ow * s.sw - s.pl, ih0 = oh * s.sh - s.pt;
  for (long kh = 0; kh < s.KH; ++kh) {
    const long ih = ih0 + kh * s.dh;
    if (ih < 0 || ih >= s.H) continue;
    const float* xr = xn + (ih * s.W + iw0) * C;
    T* wr = w + kh * s.KW * C * OC;
    for (long kw = lo; kw < hi; ++kw) f(xr + kw * s.dw * C, wr + kw * C * OC);
  }
}

// col[(n*OH + oh)*OW + ow][(kh*KW + kw)*C + c] = x[n][oh*sh - pt + kh*dh][ow*sw - pl + kw*dw][c], 0 outside.
// With dilation 1 the in-bounds kw of one kernel row read one contiguous span of x (KW*C floats at
// most), copied at once: for C = 1 (the first layer) a per-kw loop of one float cost more than the
// GEMM it feeds.
static void im2col(const ConvShape& s, const float* x, long images, float* col) {
  const long K = patch_size(s), rowLen = s.KW * s.C;
  for_each_pixel(s, 0, images, [&](long n, long oh, long ow, long lo, long hi) {
    const float* xn = x + n * s.H * s.W * s.C;
    float* row = col + ((n * s.OH + oh) * s.OW + ow) * K;
    const long iw0 = ow * s.sw - s.pl + lo * s.dw;
    for (long kh = 0; kh < s.KH; ++kh) {
      const long ih = oh * s.sh - s.pt + kh * s.dh;
      float* dst = row + kh * rowLen;
      if (ih < 0 || ih >= s.H || hi == lo) {
        std::memset(dst, 0, rowLen * sizeof(float));
        continue;
      }
      if (lo > 0) std::memset(dst, 0, lo * s.C * sizeof(float));
      const float* src = xn + (ih * s.W + iw0) * s.C;
      if (s.dw == 1) {
        std::memcpy(dst + lo * s.C, src, (hi - lo) * s.C * sizeof(float));
      } else {
        for (long kw = lo; kw < hi; ++kw, src += s.dw * s.C) std::memcpy(dst + kw * s.C, src, s.C * sizeof(float));
      }
      if (hi < s.KW) std::memset(dst + hi * s.C, 0, (s.KW - hi) * s.C * sizeof(float));
    }
  });
}

// x[n][ih][iw][c] += col[...] for every patch position that reads it (the adjoint of im2col); the
// in-bounds kw of one kernel row add into one contiguous span of x when the dilation is 1
static void col2im(const ConvShape& s, const float* col, long images, float* x) {
  const long K = patch_size(s), rowLen = s.KW * s.C;
  for_each_pixel(s, 0, images, [&](long n, long oh, long ow, long lo, long hi) {
    if (hi == lo) return;
    float* xn = x + n * s.H * s.W * s.C;
    const float* row = col + ((n * s.OH + oh) * s.OW + ow) * K;
    const long iw0 = ow * s.sw - s.pl + lo * s.dw;
    for (long kh = 0; kh < s.KH; ++kh) {
      const long ih = oh * s.sh - s.pt + kh * s.dh;
      if (ih < 0 || ih >= s.H) continue;
      const float* src = row + kh * rowLen + lo * s.C;
      float* dst = xn + (ih * s.W + iw0) * s.C;
      if (s.dw == 1) {
        const long len = (hi - lo) * s.C;
        for (long i = 0; i < len; ++i) dst[i] += src[i];
      } else {
        for (long kw = lo; kw < hi; ++kw, src += s.C, dst += s.dw * s.C)
          for (long c = 0; c < s.C; ++c) dst[c] += src[c];
      }
    }
  });
}

// y[r, o] = max(0, y[r, o] + bias[o mod biasLen]) for the `rows` rows of OC values at y (the max only
// with relu): the same two operations, in the same order, as a separate add pass and relu pass
static inline void apply_epilogue(const ConvEpilogue& e, long OC, float* y, long rows) {
  const long n = rows * OC;
  if (e.bias && e.biasLen == OC) {
    for (long r = 0; r < rows; ++r)
      for (long o = 0; o < OC; ++o) y[r * OC + o] = y[r * OC + o] + e.bias[o];
  } else if (e.bias) {
    const float b = e.bias[0];
    for (long i = 0; i < n; ++i) y[i] = y[i] + b;
  }
  if (e.relu)
    for (long i = 0; i < n; ++i) y[i] = y[i] < 0.f ? 0.f : y[i];
}

// Direct convolution for small patches (K = KH*KW*C <= 64, e.g. a first layer on grey or RGB
// images) and OC in {8, 16, 32}: im2col would copy each input value KH*KW times in runs of C floats
// (memcpy calls of 4 to 12 bytes) for a GEMM of depth K that never fills the micro-kernel, so the
// reference CNN's first layer (K = 25, OC = 16) ran far below the GEMM's speed; this path measured
// faster for these shapes (`node dist/bench/train-profile.js` times each kernel). Here one output
// pixel's OC sums stay in registers (OC is a template constant, so the loop over it becomes whole
// vectors) while the pixel's in-bounds taps are added in im2col's order (kh, kw, c).
static bool use_direct(const ConvShape& s) { return patch_size(s) <= 64 && (s.OC == 8 || s.OC == 16 || s.OC == 32); }

#if defined(__GNUC__)
// OC sums as whole vectors of 8 floats (GCC/Clang vector extensions: AVX, SSE pairs or NEON pairs),
// so that they stay in registers across the taps' loops (a float[OC] array went through memory)
typedef float v8 __attribute__((vector_size(32), aligned(4)));
#define WORKBOOK_V8 1
#else
#define WORKBOOK_V8 0
#endif

#if WORKBOOK_V8
// pixels per run: P * OC / 8 sums (and, for the filter gradient, as many dy vectors) in registers
template <int OC> constexpr int run_pixels() { return OC >= 32 ? 2 : OC >= 16 ? 4 : 8; }
#else
template <int OC> constexpr int run_pixels() { return 1; }
#endif

// y[n, oh, ow, :] = sum over in-bounds taps of x[n, ih, iw, c] w[kh, kw, c, :]
// CC > 0: compiled for s.C == CC (1 or 3: grey or RGB images), so the loop over channels unrolls
template <int OC, int CC> static void direct_forward(const ConvShape& s, const float* x, const float* w, float* y, long n0, long n1, const ConvEpilogue& epilogue) {
  const long C = CC > 0 ? CC : s.C;
  const long step = s.sw * C;  // from one pixel's input values to its right neighbour's
  for_each_pixel_run<run_pixels<OC>()>(s, n0, n1, [&](auto pixels, long n, long oh, long ow, long lo, long hi) {
    constexpr int P = decltype(pixels)::value;
    const float* xn = x + n * s.H * s.W * C;
    float* out = y + ((n * s.OH + oh) * s.OW + ow) * OC;
#if WORKBOOK_V8
    constexpr int NV = OC / 8;
    v8 acc[P][NV];
    for (int p = 0; p < P; ++p)
      for (int q = 0; q < NV; ++q) acc[p][q] = v8{};
#else
    float acc[P][OC] = {};
#endif
    for_each_tap<OC>(s, C, xn, w, oh, ow, lo, hi, [&](const float* xp, const float* wp) {
      for (long c = 0; c < C; ++c, wp += OC) {
#if WORKBOOK_V8
        v8 wv[NV];
        for (int q = 0; q < NV; ++q) wv[q] = *reinterpret_cast<const v8*>(wp + 8 * q);
        for (int p = 0; p < P; ++p) {
          const float v = xp[p * step + c];
          for (int q = 0; q < NV; ++q) acc[p][q] += v * wv[q];
        }
#else
        for (int p = 0; p < P; ++p)
          for (int o = 0; o < OC; ++o) acc[p][o] += xp[p * step + c] * wp[o];
#endif
      }
    });
    for (int p = 0; p < P; ++p) {
#if WORKBOOK_V8
      for (int q = 0; q < NV; ++q) *reinterpret_cast<v8*>(out + p * OC + 8 * q) = acc[p][q];
#else
      for (int o = 0; o < OC; ++o) out[p * OC + o] = acc[p][o];
#endif
    }
    apply_epilogue(epilogue, OC, out, P);
  });
}

// dw[kh, kw, c, :] += x[n, ih, iw, c] dy[n, oh, ow, :] over the images n0..n1 (dw is this thread's partial
// sum, small enough to stay in L1: at most 64 x 32 floats), pixel after pixel: a run of P pixels adds
// its P terms to each dw vector in pixel order, as P single pixels would
// CC > 0: compiled for s.C == CC (1 or 3: grey or RGB images), so the loop over channels unrolls
template <int OC, int CC> static void direct_filter(const ConvShape& s, const float* x, const float* dy, float* dw, long n0, long n1) {
  const long C = CC > 0 ? CC : s.C;
  const long step = s.sw * C;  // from one pixel's input values to its right neighbour's
  for_each_pixel_run<run_pixels<OC>()>(s, n0, n1, [&](auto pixels, long n, long oh, long ow, long lo, long hi) {
    constexpr int P = decltype(pixels)::value;
    const float* xn = x + n * s.H * s.W * C;
    const float* dyp = dy + ((n * s.OH + oh) * s.OW + ow) * OC;
#if WORKBOOK_V8
    constexpr int NV = OC / 8;
    v8 g[P][NV];
    for (int p = 0; p < P; ++p)
      for (int q = 0; q < NV; ++q) g[p][q] = *reinterpret_cast<const v8*>(dyp + p * OC + 8 * q);
#endif
    for_each_tap<OC>(s, C, xn, dw, oh, ow, lo, hi, [&](const float* xp, float* dwp) {
      for (long c = 0; c < C; ++c, dwp += OC) {
#if WORKBOOK_V8
        v8 d[NV];
        for (int q = 0; q < NV; ++q) d[q] = *reinterpret_cast<const v8*>(dwp + 8 * q);
        for (int p = 0; p < P; ++p) {
          const float v = xp[p * step + c];
          for (int q = 0; q < NV; ++q) d[q] += v * g[p][q];
        }
        for (int q = 0; q < NV; ++q) *reinterpret_cast<v8*>(dwp + 8 * q) = d[q];
#else
        for (int p = 0; p < P; ++p)
          for (int o = 0; o < OC; ++o) dwp[o] += xp[p * step + c] * dyp[p * OC + o];
#endif
      }
    });
  });
}

// f(OC constant, C constant or 0) for the shapes use_direct accepts
template <typename F> static void by_shape(const ConvShape& s, F f) {
  auto with_c = [&](auto oc) {
    if (s.C == 1) f(oc, std::integral_constant<int, 1>{});
    else if (s.C == 3) f(oc, std::integral_constant<int, 3>{});
    else f(oc, std::integral_constant<int, 0>{});
  };
  if (s.OC == 8) with_c(std::integral_constant<int, 8>{});
  else if (s.OC == 16) with_c(std::integral_constant<int, 16>{});
  else with_c(std::integral_constant<int, 32>{});
}

// images per im2col chunk: about 512 rows of col
static long chunk_images(const ConvShape& s) { return std::max<long>(1, 512 / std::max<long>(1, s.OH * s.OW)); }

// f(n, images) for the chunks of at most chunk_images(s) images that cover [first, first + count)
template <typename F> static inline void for_each_chunk(const ConvShape& s, long first, long count, F f) {
  const long chunk = chunk_images(s);
  for (long n = first; n < first + count; n += chunk) f(n, std::min(chunk, first + count - n));
}

// Splits N images over at most `threads` threads; f(t, first, count).
template <typename F> static int over_images(const ConvShape& s, int threads, F f) {
  // one thread below ~5 MFLOP: handing work to another thread would cost more than it saves
  if (2.0 * s.N * s.OH * s.OW * s.OC * s.KH * s.KW * s.C < 5e6) threads = 1;
  const long per = (s.N + threads - 1) / threads;
  const int T = static_cast<int>(std::max<long>(1, (s.N + per - 1) / per));
  parallel_ranges(T, s.N, per, [&](int t, long n0, long n1) { f(t, n0, n1 - n0); });
  return T;
}

void conv2d_forward(const ConvShape& s, const float* x, const float* w, float* y, int threads, const ConvEpilogue& epilogue) {
  const long K = patch_size(s), pixels = s.OH * s.OW;
  if (use_direct(s)) {
    by_shape(s, [&](auto oc, auto cc) {
      over_images(s, threads, [&](int, long first, long count) { direct_forward<decltype(oc)::value, decltype(cc)::value>(s, x, w, y, first, first + count, epilogue); });
    });
    return;
  }
  over_images(s, threads, [&](int, long first, long count) {
    thread_local Scratch scratch;
    float* const col = scratch.get(chunk_images(s) * pixels * K);
    for_each_chunk(s, first, count, [&](long n, long images) {
      im2col(s, x + n * s.H * s.W * s.C, images, col);
      // y[rows, OC] = col[rows, K] w[K, OC]  (overwritten: no clearing pass first)
      gemm_serial(images * pixels, s.OC, K, col, K, 1, w, s.OC, 1, y + n * pixels * s.OC, s.OC, true);
      apply_epilogue(epilogue, s.OC, y + n * pixels * s.OC, images * pixels);
    });
  });
}

void conv2d_backprop_filter(const ConvShape& s, const float* x, const float* dy, float* dw, int threads) {
  const long K = patch_size(s), pixels = s.OH * s.OW;
  std::vector<std::vector<float>> partial(threads);
  const bool direct = use_direct(s);
  const int T = over_images(s, threads, [&](int t, long first, long count) {
    partial[t].assign(K * s.OC, 0.f);
    if (direct) {
      by_shape(s, [&](auto oc, auto cc) { direct_filter<decltype(oc)::value, decltype(cc)::value>(s, x, dy, partial[t].data(), first, first + count); });
      return;
    }
    thread_local Scratch scratch;
    float* const col = scratch.get(chunk_images(s) * pixels * K);
    for_each_chunk(s, first, count, [&](long n, long images) {
      im2col(s, x + n * s.H * s.W * s.C, images, col);
      // dw[K, OC] += col^T[K, rows] dy[rows, OC]
      gemm_serial(K, s.OC, images * pixels, col, 1, K, dy + n * pixels * s.OC, s.OC, 1, partial[t].data(), s.OC);
    });
  });
  std::memset(dw, 0, K * s.OC * sizeof(float));
  for (int t = 0; t < T; ++t)
    if (!partial[t].empty())
      for (long i = 0; i < K * s.OC; ++i) dw[i] += partial[t][i];
}

void conv2d_backprop_input(const ConvShape& s, const float* dy, const float* w, float* dx, int threads) {
  const long K = patch_size(s), pixels = s.OH * s.OW;
  std::memset(dx, 0, s.N * s.H * s.W * s.C * sizeof(float));
  over_images(s, threads, [&](int, long first, long count) {
    thread_local Scratch scratch;
    float* const dcol = scratch.get(chunk_images(s) * pixels * K);
    for_each_chunk(s, first, count, [&](long n, long images) {
      // dcol[rows, K] = dy[rows, OC] w^T[OC, K]  (overwritten: no clearing pass first)
      gemm_serial(images * pixels, K, s.OC, dy + n * pixels * s.OC, s.OC, 1, w, 1, s.OC, dcol, K, true);
      col2im(s, dcol, images, dx + n * s.H * s.W * s.C);
    });
  });
}

}  // namespace workbook
