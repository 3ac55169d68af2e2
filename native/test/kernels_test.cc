// Correctness driver for the native kernels' C++ (gemm.cc, conv.cc) without Node: GEMM (plain and
// transposed operands, accumulation, threads) and the convolution forward pass and both gradients
// against naive double-precision loops, odd sizes included. Built and run by
// lib/backend/native-kernels.test.ts for each micro-kernel: this machine's (-march=native), AVX2,
// portable (-DWORKBOOK_PORTABLE) and NEON (cross-compiled for aarch64, run under qemu-aarch64-static).
// Also: conv2d_forward's bias and relu epilogue, and the worker pool behind parallel_for (each task
// once, the same results on 1-3 threads, calls from several threads at once and from inside a task).
// Prints "simd <name>", one line per check, and exits 1 when any check fails.
//
// Error: CS231n's relative error max |x - y| / max(1e-8, |x| + |y|) over all elements, on inputs in
// [0.1, 1) so that no sum is close to zero; threshold 1e-5 (float32 sums of up to ~2,000 terms).
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif
#include "../conv.h"
#include "../gemm.h"

using workbook::ConvShape;

static constexpr double THRESHOLD = 1e-5;
static int failures = 0;
static unsigned long long rng_state = 12345;

// xorshift64*: the same inputs on every machine
static float next_uniform() {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  const unsigned long long r = rng_state * 2685821657736338717ULL;
  return 0.1f + 0.9f * static_cast<float>((r >> 40) & 0xFFFFFF) / 16777216.0f;
}

static std::vector<float> random_vector(long n) {
  std::vector<float> v(n);
  for (auto& x : v) x = next_uniform();
  return v;
}

// rel_error = max |x - y| / max(1e-8, |x| + |y|)
static double rel_error(const std::vector<float>& got, const std::vector<double>& want) {
  double worst = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double x = got[i], y = want[i];
    worst = std::max(worst, std::fabs(x - y) / std::max(1e-8, std::fabs(x) + std::fabs(y)));
  }
  return worst;
}

static void report(const char* what, const char* shape, double err) {
  const bool ok = err < THRESHOLD && std::isfinite(err);
  if (!ok) ++failures;
  std::printf("%s %s %s rel_error %.3g\n", ok ? "ok" : "FAIL", what, shape, err);
}

// C[M,N] (+)= op(A) op(B), A stored [M,K] or, transposed, [K,M]; B stored [K,N] or [N,K]
static void check_gemm(long M, long N, long K, bool transA, bool transB, int threads) {
  const auto A = random_vector(M * K), B = random_vector(K * N), C0 = random_vector(M * N);
  const long rsa = transA ? 1 : K, csa = transA ? M : 1, rsb = transB ? 1 : N, csb = transB ? K : 1;
  std::vector<double> want(M * N);
  for (long i = 0; i < M; ++i)
    for (long j = 0; j < N; ++j) {
      double sum = C0[i * N + j];
      for (long k = 0; k < K; ++k) sum += static_cast<double>(A[i * rsa + k * csa]) * B[k * rsb + j * csb];
      want[i * N + j] = sum;
    }
  std::vector<float> C = C0;
  workbook::gemm(M, N, K, A.data(), rsa, csa, B.data(), rsb, csb, C.data(), N, threads);
  char shape[96];
  std::snprintf(shape, sizeof shape, "%ldx%ldx%ld%s%s threads=%d", M, N, K, transA ? " A^T" : "", transB ? " B^T" : "", threads);
  report("gemm", shape, rel_error(C, want));
}

// gemm_serial(..., overwrite = true): C = A B whatever C held before (NaN here), edge tiles and
// several depth blocks included
static void check_gemm_overwrite(long M, long N, long K) {
  const auto A = random_vector(M * K), B = random_vector(K * N);
  std::vector<double> want(M * N, 0.0);
  for (long i = 0; i < M; ++i)
    for (long j = 0; j < N; ++j)
      for (long k = 0; k < K; ++k) want[i * N + j] += static_cast<double>(A[i * K + k]) * B[k * N + j];
  std::vector<float> C(M * N, std::nanf(""));
  workbook::gemm_serial(M, N, K, A.data(), K, 1, B.data(), N, 1, C.data(), N, true);
  char shape[64];
  std::snprintf(shape, sizeof shape, "%ldx%ldx%ld over NaN", M, N, K);
  report("gemm_serial overwrite", shape, rel_error(C, want));
}

static ConvShape conv_shape(long N, long H, long W, long C, long KH, long KW, long OC, long sh, long sw, long dh, long dw, long pt, long pb, long pl, long pr) {
  const long OH = (H + pt + pb - ((KH - 1) * dh + 1)) / sh + 1;
  const long OW = (W + pl + pr - ((KW - 1) * dw + 1)) / sw + 1;
  return ConvShape{N, H, W, C, KH, KW, OC, OH, OW, sh, sw, dh, dw, pt, pl};
}

// Calls f(n, oh, ow, kh, kw, ih, iw) for every input pixel inside the image that output pixel (oh, ow) reads
template <typename F> static void each_tap(const ConvShape& s, F f) {
  for (long n = 0; n < s.N; ++n)
    for (long oh = 0; oh < s.OH; ++oh)
      for (long ow = 0; ow < s.OW; ++ow)
        for (long kh = 0; kh < s.KH; ++kh)
          for (long kw = 0; kw < s.KW; ++kw) {
            const long ih = oh * s.sh - s.pt + kh * s.dh, iw = ow * s.sw - s.pl + kw * s.dw;
            if (ih >= 0 && ih < s.H && iw >= 0 && iw < s.W) f(n, oh, ow, kh, kw, ih, iw);
          }
}

static void check_conv(const ConvShape& s, int threads) {
  const auto x = random_vector(s.N * s.H * s.W * s.C), w = random_vector(s.KH * s.KW * s.C * s.OC);
  const auto dy = random_vector(s.N * s.OH * s.OW * s.OC);
  std::vector<double> y(s.N * s.OH * s.OW * s.OC), dw(w.size()), dx(x.size());
  each_tap(s, [&](long n, long oh, long ow, long kh, long kw, long ih, long iw) {
    const long yi = ((n * s.OH + oh) * s.OW + ow) * s.OC, xi = ((n * s.H + ih) * s.W + iw) * s.C;
    for (long c = 0; c < s.C; ++c) {
      const long wi = ((kh * s.KW + kw) * s.C + c) * s.OC;
      for (long o = 0; o < s.OC; ++o) {
        // y = sum x w;  dw = sum x dy;  dx = sum dy w
        y[yi + o] += static_cast<double>(x[xi + c]) * w[wi + o];
        dw[wi + o] += static_cast<double>(x[xi + c]) * dy[yi + o];
        dx[xi + c] += static_cast<double>(dy[yi + o]) * w[wi + o];
      }
    }
  });
  std::vector<float> got_y(y.size(), -1.f), got_dw(dw.size(), -1.f), got_dx(dx.size(), -1.f);
  workbook::conv2d_forward(s, x.data(), w.data(), got_y.data(), threads);
  workbook::conv2d_backprop_filter(s, x.data(), dy.data(), got_dw.data(), threads);
  workbook::conv2d_backprop_input(s, dy.data(), w.data(), got_dx.data(), threads);
  char shape[160];
  std::snprintf(shape, sizeof shape, "x[%ld,%ld,%ld,%ld] w[%ld,%ld,%ld,%ld] stride %ldx%ld dilation %ldx%ld pad %ld,%ld threads=%d", s.N, s.H, s.W, s.C, s.KH, s.KW, s.C, s.OC, s.sh, s.sw, s.dh, s.dw, s.pt, s.pl, threads);
  report("conv2d", shape, rel_error(got_y, y));
  report("conv2d_backprop_filter", shape, rel_error(got_dw, dw));
  report("conv2d_backprop_input", shape, rel_error(got_dx, dx));
}

// conv2d_forward's epilogue (bias of OC values or one, then relu) against the plain convolution
// followed by a separate add and relu pass: bitwise the same (the same float operations in the same
// order), on inputs centred on zero so that relu clears about half of the outputs
static void check_conv_epilogue(const ConvShape& s, long biasLen, bool relu, int threads) {
  auto centred = [](long n) {
    auto v = random_vector(n);
    for (auto& e : v) e -= 0.55f;
    return v;
  };
  const auto x = centred(s.N * s.H * s.W * s.C), w = centred(s.KH * s.KW * s.C * s.OC), bias = centred(biasLen);
  std::vector<float> plain(s.N * s.OH * s.OW * s.OC), fused(plain.size(), std::nanf(""));
  workbook::conv2d_forward(s, x.data(), w.data(), plain.data(), threads);
  for (size_t i = 0; i < plain.size(); ++i) {
    plain[i] = plain[i] + bias[i % s.OC % biasLen];
    if (relu) plain[i] = plain[i] < 0.f ? 0.f : plain[i];
  }
  workbook::ConvEpilogue epilogue;
  epilogue.bias = bias.data();
  epilogue.biasLen = biasLen;
  epilogue.relu = relu;
  workbook::conv2d_forward(s, x.data(), w.data(), fused.data(), threads, epilogue);
  char shape[128];
  std::snprintf(shape, sizeof shape, "x[%ld,%ld,%ld,%ld] OC %ld bias %ld%s threads=%d", s.N, s.H, s.W, s.C, s.OC, biasLen, relu ? " relu" : "", threads);
  report("conv2d epilogue = add and relu passes (bitwise)", shape, std::memcmp(plain.data(), fused.data(), plain.size() * sizeof(float)) == 0 ? 0.0 : 1.0);
}

// True when this thread computes with denormals flushed (FlushDenormals); true where it cannot be read.
static bool flushing_denormals() {
#if defined(__x86_64__) || defined(__i386__)
  return (_mm_getcsr() & 0x8040u) == 0x8040u;
#elif defined(__aarch64__)
  uint64_t fpcr = 0;
  asm volatile("mrs %0, fpcr" : "=r"(fpcr));
  return (fpcr >> 24) & 1;
#else
  return true;
#endif
}

// parallel_for on the worker pool: each t in [0, T) runs once, on the caller's thread or on a worker
// that flushes denormals; tasks that sleep a little leave time for the workers to take some (2 of
// 3 rounds at least: a busy machine may not schedule a worker in time); later rounds reuse the threads
static void check_parallel_for(int T) {
  bool ok = true;
  int roundsWithWorkers = 0;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::atomic<int>> runs(T);
    std::vector<std::atomic<bool>> elsewhere(T), flushed(T);
    const auto caller = std::this_thread::get_id();
    workbook::parallel_for(T, [&](int t) {
      runs[t]++;
      elsewhere[t] = std::this_thread::get_id() != caller;
      flushed[t] = flushing_denormals();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    });
    bool anyWorker = false;
    for (int t = 0; t < T; ++t) {
      ok = ok && runs[t] == 1 && (!elsewhere[t] || flushed[t]);
      anyWorker = anyWorker || elsewhere[t];
    }
    roundsWithWorkers += anyWorker;
  }
  ok = ok && (T == 1 ? roundsWithWorkers == 0 : roundsWithWorkers >= 2);
  char shape[32];
  std::snprintf(shape, sizeof shape, "T=%d", T);
  report("parallel_for: each task once, workers take some and flush denormals", shape, ok ? 0.0 : 1.0);
}

// GEMM (split over rows, then over columns), the convolution and its input gradient on 1, 2 and 3
// threads: bitwise the same (each output is summed in the same order whichever thread computes it)
static void check_thread_counts() {
  const ConvShape s = conv_shape(24, 14, 14, 16, 5, 5, 32, 1, 1, 1, 1, 2, 2, 2, 2);
  const auto A = random_vector(301 * 523), B = random_vector(523 * 411), x = random_vector(s.N * s.H * s.W * s.C), w = random_vector(s.KH * s.KW * s.C * s.OC);
  const auto dy = random_vector(s.N * s.OH * s.OW * s.OC);
  std::vector<float> first[4];
  bool same = true;
  for (int T = 1; T <= 3; ++T) {
    std::vector<float> rows(301 * 411), cols(67 * 411), y(dy.size()), dx(x.size());
    workbook::gemm(301, 411, 523, A.data(), 523, 1, B.data(), 411, 1, rows.data(), 411, T, true);
    workbook::gemm(67, 411, 523, A.data(), 523, 1, B.data(), 411, 1, cols.data(), 411, T, true);
    workbook::conv2d_forward(s, x.data(), w.data(), y.data(), T);
    workbook::conv2d_backprop_input(s, dy.data(), w.data(), dx.data(), T);
    const std::vector<float>* outs[4] = {&rows, &cols, &y, &dx};
    for (int i = 0; i < 4; ++i) {
      if (T == 1) first[i] = *outs[i];
      else same = same && first[i] == *outs[i];
    }
  }
  report("gemm, conv2d, conv2d_backprop_input on 1, 2, 3 threads (bitwise)", "301x411x523, 67x411x523, x[24,14,14,16]", same ? 0.0 : 1.0);
}

// Several threads calling the kernels at once (as several JavaScript threads may), and a kernel
// called from inside a parallel_for task: the pool serves one call at a time and the others start
// threads of their own; each gets the result it gets alone
static void check_concurrent_calls() {
  const long M = 150, N = 173, K = 523;
  const auto A = random_vector(M * K), B = random_vector(K * N);
  std::vector<float> alone(M * N);
  workbook::gemm(M, N, K, A.data(), K, 1, B.data(), N, 1, alone.data(), N, 1, true);
  std::atomic<int> wrong{0};
  auto worker = [&] {
    std::vector<float> C(M * N);
    for (int i = 0; i < 20; ++i) {
      workbook::gemm(M, N, K, A.data(), K, 1, B.data(), N, 1, C.data(), N, 2, true);
      if (C != alone) wrong++;
    }
  };
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i) callers.emplace_back(worker);
  for (auto& c : callers) c.join();
  report("gemm called from 4 threads at once, 20 times each (bitwise)", "150x173x523 threads=2", wrong == 0 ? 0.0 : 1.0);
  std::vector<float> inner[2];
  workbook::parallel_for(2, [&](int t) {
    inner[t].resize(M * N);
    workbook::gemm(M, N, K, A.data(), K, 1, B.data(), N, 1, inner[t].data(), N, 2, true);
  });
  report("gemm inside a parallel_for task (bitwise)", "150x173x523 threads=2", inner[0] == alone && inner[1] == alone ? 0.0 : 1.0);
}

int main() {
  std::printf("simd %s\n", workbook::simd_name());
  // odd sizes: partial register tiles in both directions, K across a packed block (384), one column
  const long sizes[][3] = {{1, 1, 1}, {7, 13, 5}, {37, 29, 61}, {100, 3, 257}, {13, 17, 401}, {9, 4, 3}, {97, 40, 400}, {5, 50, 777}};
  for (const auto& m : sizes)
    for (int t = 0; t < 4; ++t) check_gemm(m[0], m[1], m[2], t & 1, t & 2, 1);
  // large enough (> 5e7 FLOP) to be split over threads, both ways (M >= N, N > M)
  check_gemm(301, 173, 523, false, false, 3);
  check_gemm(67, 411, 997, false, true, 3);
  check_gemm_overwrite(13, 32, 400);   // narrow C: A read in place
  check_gemm_overwrite(50, 400, 32);   // a convolution's input gradient
  check_gemm_overwrite(7, 21, 997);    // three depth blocks, edge tiles
  // N, H, W, C, KH, KW, OC, stride, dilation, padding top/bottom/left/right
  check_conv(conv_shape(2, 12, 12, 1, 5, 5, 16, 1, 1, 1, 1, 2, 2, 2, 2), 1);    // the reference CNN's first layer ("same")
  check_conv(conv_shape(2, 6, 6, 16, 5, 5, 32, 1, 1, 1, 1, 2, 2, 2, 2), 1);     // its second layer
  check_conv(conv_shape(3, 7, 9, 3, 3, 2, 5, 2, 1, 1, 2, 1, 0, 0, 1), 1);       // odd everything: stride 2x1, dilation 1x2
  check_conv(conv_shape(1, 5, 4, 7, 1, 1, 3, 1, 1, 1, 1, 0, 0, 0, 0), 1);       // 1x1
  check_conv(conv_shape(2, 11, 10, 2, 4, 3, 9, 3, 2, 2, 1, 3, 2, 1, 1), 1);     // even kernel, stride 3x2, dilation 2x1
  check_conv(conv_shape(24, 14, 14, 16, 5, 5, 32, 1, 1, 1, 1, 2, 2, 2, 2), 3);
  // direct path (patch <= 64 values, OC 8/16/32): the first layer on many images over threads, RGB
  // with stride and dilation, and padding wider than the kernel reaches
  check_conv(conv_shape(64, 28, 28, 1, 5, 5, 16, 1, 1, 1, 1, 2, 2, 2, 2), 3);
  check_conv(conv_shape(3, 13, 11, 3, 3, 3, 8, 2, 1, 1, 2, 1, 2, 2, 1), 1);
  check_conv(conv_shape(2, 9, 8, 2, 4, 4, 32, 1, 2, 2, 1, 4, 3, 3, 4), 2);  // > 5e7 FLOP: images over 3 threads
  check_conv(conv_shape(2, 10, 30, 3, 3, 3, 8, 1, 1, 1, 1, 1, 1, 1, 1), 1);  // OC 8: runs of 8 pixels between the borders
  check_conv(conv_shape(2, 7, 21, 4, 3, 3, 32, 1, 2, 1, 1, 1, 1, 1, 1), 1);  // OC 32, stride 2: runs of 2
  // bias of OC values or one, relu or not, on the direct path and the im2col path
  check_conv_epilogue(conv_shape(3, 12, 12, 1, 5, 5, 16, 1, 1, 1, 1, 2, 2, 2, 2), 16, true, 1);
  check_conv_epilogue(conv_shape(3, 12, 12, 1, 5, 5, 16, 1, 1, 1, 1, 2, 2, 2, 2), 1, false, 1);
  check_conv_epilogue(conv_shape(24, 14, 14, 16, 5, 5, 32, 1, 1, 1, 1, 2, 2, 2, 2), 32, true, 2);
  check_conv_epilogue(conv_shape(2, 9, 7, 3, 3, 3, 5, 2, 1, 1, 1, 1, 1, 1, 1), 1, true, 1);
  // the worker pool behind parallel_for
  for (int T = 1; T <= 3; ++T) check_parallel_for(T);
  check_thread_counts();
  check_concurrent_calls();
  std::printf("%s: %d failed\n", failures == 0 ? "PASS" : "FAIL", failures);
  return failures == 0 ? 0 : 1;
}
