// Cache-blocked single-precision GEMM (C += op(A) op(B)) with a SIMD micro-kernel, and a
// parallel driver that splits the work over threads.
#pragma once
#include <cstddef>
#include <memory>

namespace workbook {

// C[M,N] += A[M,K] * B[K,N], where A(i,k) = A[i*rsa + k*csa] and B(k,j) = B[k*rsb + j*csb]
// (row and column strides express transposes), C row-major with leading dimension ldc.
// overwrite: C = A B instead (C's old contents are never read, so C may be uninitialised).
void gemm_serial(long M, long N, long K, const float* A, long rsa, long csa, const float* B, long rsb, long csb, float* C, long ldc, bool overwrite = false);

// The same on up to `threads` threads (splits M or N).
void gemm(long M, long N, long K, const float* A, long rsa, long csa, const float* B, long rsb, long csb, float* C, long ldc, int threads, bool overwrite = false);

// The micro-kernel compiled in (simd.h): "avx512", "avx2", "avx", "sse", "neon" or "portable".
const char* simd_name();

// Number of worker threads: WORKBOOK_THREADS, else the hardware's.
int default_threads();

// Scratch memory that keeps its contents undefined (no zero-fill) and grows only: a std::vector
// resized per call zero-filled megabytes every time
struct Scratch {
  float* get(size_t n) {
    if (n > cap) {
      data.reset(new float[n]);
      cap = n;
    }
    return data.get();
  }
  std::unique_ptr<float[]> data;
  size_t cap = 0;
};

// Runs f(t) for t in [0, T) on the calling thread and the worker threads of one process-wide pool
// (started once, woken per call; each task on whichever thread takes it first), or, while the pool
// is taken by another call (another JavaScript thread, or parallel_for inside a task), t = 0 on the
// calling thread and the rest on new threads.
template <typename F> void parallel_for(int T, F f);

// Runs task(ctx, t) for t in [0, T) on the calling thread and the pool's workers (which flush
// denormals), and returns when all have finished; false, running nothing, when the pool is busy.
bool pool_run(int T, void (*task)(void*, int), void* ctx);

// Splits [0, n) into the ranges [t*per, min(n, (t+1)*per)) and runs f(t, begin, end) for each
// non-empty one on T threads (parallel_for): the one split that the kernels share.
template <typename F> void parallel_ranges(int T, long n, long per, F f);

}  // namespace workbook

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

namespace workbook {
// Denormal floats (below 1.2e-38) cost x86 cores about a hundred cycles per operation, and late
// training makes many (Adam's second moments, tiny gradients): while it lives, this flushes them to
// zero (x86: MXCSR FTZ|DAZ; ARM: FPCR.FZ) and restores the thread's own mode after, so JavaScript's
// arithmetic on the same thread keeps IEEE denormals.
struct FlushDenormals {
#if defined(__x86_64__) || defined(__i386__)
  unsigned saved = _mm_getcsr();
  FlushDenormals() { _mm_setcsr(saved | 0x8040u); }
  ~FlushDenormals() { _mm_setcsr(saved); }
#elif defined(__aarch64__)
  uint64_t saved = 0;
  FlushDenormals() {
    asm volatile("mrs %0, fpcr" : "=r"(saved));
    const uint64_t flushing = saved | (uint64_t{1} << 24);
    asm volatile("msr fpcr, %0" : : "r"(flushing));
  }
  ~FlushDenormals() { asm volatile("msr fpcr, %0" : : "r"(saved)); }
#endif
};
}  // namespace workbook

template <typename F> void workbook::parallel_for(int T, F f) {
  if (T <= 1) {
    if (T == 1) f(0);
    return;
  }
  if (pool_run(T, [](void* ctx, int t) { (*static_cast<F*>(ctx))(t); }, &f)) return;
  std::vector<std::thread> spawned;
  for (int t = 1; t < T; ++t)
    spawned.emplace_back([&f, t] {
      FlushDenormals flush;
      f(t);
    });
  f(0);
  for (auto& th : spawned) th.join();
}

template <typename F> void workbook::parallel_ranges(int T, long n, long per, F f) {
  parallel_for(T, [&](int t) {
    const long begin = std::min(n, t * per), end = std::min(n, begin + per);
    if (end > begin) f(t, begin, end);
  });
}
