// GEMM in the style of BLIS/GotoBLAS: B is packed into KC x NR panels and A into MC x KC blocks of
// MR-row panels, so the micro-kernel streams both from cache while an MR x NR tile of C stays in
// registers. The micro-kernel is chosen at build time (simd.h):
// - x86 with GCC or Clang: GCC vector extensions, which -march=native maps to AVX-512, AVX2 or SSE;
// - ARM (aarch64, or 32-bit ARM with NEON): NEON intrinsics, an 8 x 12 tile (24 of the 32 vector registers);
// - anything else (MSVC, other CPUs, or -DWORKBOOK_PORTABLE): plain C++ that compilers vectorise as they can.
#include "gemm.h"
#include "simd.h"
#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>
#if WORKBOOK_SIMD_NEON
#include <arm_neon.h>
#endif

namespace workbook {

#if WORKBOOK_SIMD_X86
#if defined(__AVX512F__)
constexpr int VL = 16;
#elif defined(__AVX__)
constexpr int VL = 8;
#else
constexpr int VL = 4;
#endif
// unaligned vector of VL floats
typedef float vf __attribute__((vector_size(VL * 4), aligned(4)));
constexpr int MR = 6;  // rows of the register tile
constexpr int NV_WIDE = 2;  // vectors per tile row when C is wide: 6 x 2 accumulators + 2 of B + 1 of A
#elif WORKBOOK_SIMD_NEON
constexpr int VL = 4;
constexpr int MR = 8;
constexpr int NV_WIDE = 3;  // 8 x 3 accumulators + 3 of B + 2 of A = 29 of 32 registers
#else
constexpr int VL = 4;
constexpr int MR = 4;
constexpr int NV_WIDE = 2;
#endif
// columns of the register tile: NV vectors, NV_WIDE * VL normally, VL when C has at most VL columns
// (e.g. a convolution with 16 output channels) so that most of the tile is not wasted
// depth of a packed block: the KC x NR micro-panel of B stays in L1 while MR-row panels of A stream
// from L2, so KC * NR * 4 bytes must fit L1 with room to spare: KC 256 for NR = 32 (AVX-512: 384 made
// it 48 KB, more than most L1s, and single-thread GEMM measured slower at 384 than at 256) and for
// NR = 16 (AVX2: 384 split a convolution's depth of 392 or 400 into 384 and a short remainder, and left
// no room for the rows of A that the convolutions read in place; large GEMMs ran as fast at 256)
constexpr long KC = VL * NV_WIDE >= 16 ? 256 : 384;
// depth of a block when A is read in place along its columns (rsa = 1: im2col's rows transposed, for a
// filter gradient): each step of k then reads a new cache line of A for every MR rows, so KC_COLUMNS
// lines of A and B's panel must share L1 (AVX-512 measured 113 GFLOP/s at depth 256, 134 at 128)
constexpr long KC_COLUMNS = 128;
constexpr long MC = 16 * MR; // rows of a packed A block (L2)
constexpr long NC = 4096;    // columns of a packed B block (L3)

const char* simd_name() {
#if WORKBOOK_SIMD_X86 && defined(__AVX512F__)
  return "avx512";
#elif WORKBOOK_SIMD_X86 && defined(__AVX2__)
  return "avx2";
#elif WORKBOOK_SIMD_X86 && defined(__AVX__)
  return "avx";
#elif WORKBOOK_SIMD_X86
  return "sse";
#elif WORKBOOK_SIMD_NEON
  return "neon";
#else
  return "portable";
#endif
}

#if WORKBOOK_SIMD_X86
// acc[MR x NR] = sum_k a[k][0..MR) outer b[k][0..NR); then C += acc   (NR = NV * VL)
// DIRECT: A is read in place, a(r, k) = pa[r * rsa + k * csa] (no packing), else packed, pa[k * MR + r]
// store: C = acc (C's old values never read) instead of C += acc
template <int NV, bool DIRECT = false> static inline void micro_kernel(long kc, const float* __restrict pa, const float* __restrict pb, float* __restrict c, long ldc, bool store, long rsa = 0, long csa = 0) {
  constexpr int NR = NV * VL;
  vf acc[MR][NV];
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) acc[r][v] = vf{};
  for (long k = 0; k < kc; ++k) {
    vf b[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) b[v] = *reinterpret_cast<const vf*>(pb + v * VL);
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      // a scalar times a vector: one broadcast load (vbroadcastss) per row. Not `vf{} + pa[r]`: x + 0
      // is not x for x = -0, so the compiler keeps a scalar add on the FMA ports before each broadcast
      const float a = DIRECT ? pa[r * rsa + k * csa] : pa[r];
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) acc[r][v] += a * b[v];
    }
    if (!DIRECT) pa += MR;
    pb += NR;
  }
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) {
      vf* out = reinterpret_cast<vf*>(c + r * ldc + v * VL);
      *out = store ? acc[r][v] : *out + acc[r][v];
    }
}
#elif WORKBOOK_SIMD_NEON
// acc[r][v] += b[k][v*4..v*4+4) * a[k][r]  (fused multiply-add by a scalar); then C += acc
template <int NV> static inline void micro_kernel(long kc, const float* __restrict pa, const float* __restrict pb, float* __restrict c, long ldc, bool store) {
  constexpr int NR = NV * VL;
  float32x4_t acc[MR][NV];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) acc[r][v] = vdupq_n_f32(0.f);
  for (long k = 0; k < kc; ++k) {
    float32x4_t b[NV];
    for (int v = 0; v < NV; ++v) b[v] = vld1q_f32(pb + v * VL);
    for (int r = 0; r < MR; ++r) {
#if defined(__aarch64__)
      for (int v = 0; v < NV; ++v) acc[r][v] = vfmaq_n_f32(acc[r][v], b[v], pa[r]);
#else
      for (int v = 0; v < NV; ++v) acc[r][v] = vmlaq_n_f32(acc[r][v], b[v], pa[r]);
#endif
    }
    pa += MR;
    pb += NR;
  }
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) {
      float* out = c + r * ldc + v * VL;
      vst1q_f32(out, store ? acc[r][v] : vaddq_f32(vld1q_f32(out), acc[r][v]));
    }
}
#else
// acc[r][j] += a[k][r] * b[k][j]; then C += acc  (plain C++: any compiler, any CPU)
template <int NV> static inline void micro_kernel(long kc, const float* __restrict pa, const float* __restrict pb, float* __restrict c, long ldc, bool store) {
  constexpr int NR = NV * VL;
  float acc[MR][NR] = {};
  for (long k = 0; k < kc; ++k) {
    for (int r = 0; r < MR; ++r) {
      const float a = pa[r];
      for (int j = 0; j < NR; ++j) acc[r][j] += a * pb[j];
    }
    pa += MR;
    pb += NR;
  }
  for (int r = 0; r < MR; ++r)
    for (int j = 0; j < NR; ++j) c[r * ldc + j] = store ? acc[r][j] : c[r * ldc + j] + acc[r][j];
}
#endif

// pa[panel][k][r] = A(i0 + panel*MR + r, p0 + k), zero beyond mc
static void pack_a(long mc, long kc, const float* A, long rsa, long csa, float* pa) {
  for (long i = 0; i < mc; i += MR) {
    const long rows = std::min<long>(MR, mc - i);
    for (long k = 0; k < kc; ++k) {
      for (long r = 0; r < rows; ++r) pa[r] = A[(i + r) * rsa + k * csa];
      for (long r = rows; r < MR; ++r) pa[r] = 0.f;
      pa += MR;
    }
  }
}

// pb[panel][k][j] = B(p0 + k, j0 + panel*NR + j), zero beyond nc
// (NR a constant: a full row of a panel is a fixed-size copy the compiler turns into a few vector
// moves, where a memcpy call per row cost more than the copy itself)
template <long NR> static void pack_b(long kc, long nc, const float* B, long rsb, long csb, float* pb) {
  for (long j = 0; j < nc; j += NR) {
    const long cols = std::min<long>(NR, nc - j);
    for (long k = 0; k < kc; ++k) {
      const float* src = B + k * rsb + j * csb;
      if (csb == 1 && cols == NR) {
        for (long c = 0; c < NR; ++c) pb[c] = src[c];
      } else if (csb == 1) {
        std::memcpy(pb, src, cols * sizeof(float));
      } else {
        for (long c = 0; c < cols; ++c) pb[c] = src[c * csb];
      }
      for (long c = cols; c < NR; ++c) pb[c] = 0.f;
      pb += NR;
    }
  }
}

template <int NV> static void gemm_blocked(long M, long N, long K, const float* A, long rsa, long csa, const float* B, long rsb, long csb, float* C, long ldc, bool overwrite) {
  constexpr long NR = NV * VL;
  // packed blocks: A's MC x KC, B's KC x (N rounded up to NR, at most NC + NR)
  thread_local Scratch scratchA, scratchB;
  float* const packedA = scratchA.get(MC * KC);
  float* const packedB = scratchB.get(KC * (std::min(N, NC) + NR));
  alignas(64) float tile[MR * NR];
#if WORKBOOK_SIMD_X86
  // A with unit stride along its rows or its columns (im2col's rows for a convolution, their
  // transpose for its filter gradient): full MR-row panels are read in place, since packing
  // would copy every value of A for only N / VL multiply-adds each when C is narrow (a
  // convolution's 16 or 32 output channels); the last partial panel is packed as usual
  const bool direct = (csa == 1 || rsa == 1) && N <= 2 * NR;
  const long depth = direct && csa != 1 ? KC_COLUMNS : KC;
#else
  const long depth = KC;
#endif
  for (long jc = 0; jc < N; jc += NC) {
    const long nc = std::min(NC, N - jc);
    for (long pc = 0; pc < K; pc += depth) {
      const long kc = std::min(depth, K - pc);
      // the first depth block overwrites C when asked to (C = A B), the others add to it
      const bool store = overwrite && pc == 0;
      pack_b<NR>(kc, nc, B + pc * rsb + jc * csb, rsb, csb, packedB);
      for (long ic = 0; ic < M; ic += MC) {
        const long mc = std::min(MC, M - ic);
#if WORKBOOK_SIMD_X86
        const long packedFrom = direct ? mc / MR * MR : 0;
#else
        const long packedFrom = 0;
#endif
        if (packedFrom < mc) pack_a(mc - packedFrom, kc, A + (ic + packedFrom) * rsa + pc * csa, rsa, csa, packedA + (packedFrom / MR) * kc * MR);
        for (long jr = 0; jr < nc; jr += NR) {
          const float* pb = packedB + (jr / NR) * kc * NR;
          const long cols = std::min<long>(NR, nc - jr);
          for (long ir = 0; ir < mc; ir += MR) {
            const float* pa = packedA + (ir / MR) * kc * MR;
            const long rows = std::min<long>(MR, mc - ir);
            float* c = C + (ic + ir) * ldc + jc + jr;
#if WORKBOOK_SIMD_X86
            if (direct && ir < packedFrom) {
              const float* a = A + (ic + ir) * rsa + pc * csa;
              if (cols == NR) {
                micro_kernel<NV, true>(kc, a, pb, c, ldc, store, rsa, csa);
              } else {
                micro_kernel<NV, true>(kc, a, pb, tile, NR, true, rsa, csa);
                for (long r = 0; r < rows; ++r)
                  for (long j = 0; j < cols; ++j) c[r * ldc + j] = store ? tile[r * NR + j] : c[r * ldc + j] + tile[r * NR + j];
              }
              continue;
            }
#endif
            if (rows == MR && cols == NR) {
              micro_kernel<NV>(kc, pa, pb, c, ldc, store);
            } else {
              micro_kernel<NV>(kc, pa, pb, tile, NR, true);
              for (long r = 0; r < rows; ++r)
                for (long j = 0; j < cols; ++j) c[r * ldc + j] = store ? tile[r * NR + j] : c[r * ldc + j] + tile[r * NR + j];
            }
          }
        }
      }
    }
  }
}

void gemm_serial(long M, long N, long K, const float* A, long rsa, long csa, const float* B, long rsb, long csb, float* C, long ldc, bool overwrite) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (overwrite)
      for (long i = 0; i < M; ++i) std::fill(C + i * ldc, C + i * ldc + N, 0.f);
    return;
  }
  if (N <= VL) gemm_blocked<1>(M, N, K, A, rsa, csa, B, rsb, csb, C, ldc, overwrite);
  else gemm_blocked<NV_WIDE>(M, N, K, A, rsa, csa, B, rsb, csb, C, ldc, overwrite);
}

int default_threads() {
  const char* env = std::getenv("WORKBOOK_THREADS");
  if (env && std::atoi(env) > 0) return std::atoi(env);
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(std::min(hw, 64u));
}

namespace {
// The worker threads behind parallel_for: started on first use (as many as a call asks for), asleep
// between calls, joined when the process exits. One call uses them at a time (`busy`); a call that
// finds them taken returns false and its caller starts threads of its own, as before the pool.
// Tasks go to whichever thread asks first, the caller included: on a machine whose other cores are
// busy, a worker may wait for a time slice, and the caller then runs its tasks itself instead of
// waiting for it (each task computes the same values on any thread).
class Pool {
 public:
  bool run(int T, void (*task)(void*, int), void* ctx) {
    std::unique_lock<std::mutex> own(busy, std::try_to_lock);
    if (!own.owns_lock()) return false;
    std::unique_lock<std::mutex> lock(m);
    while (static_cast<int>(workers.size()) < T - 1) workers.emplace_back([this] { work(); });
    job = task;
    jobCtx = ctx;
    jobTasks = T;
    next = 0;
    finished = 0;
    ++generation;
    lock.unlock();
    wake.notify_all();
    lock.lock();
    run_tasks(lock);
    done.wait(lock, [this] { return finished == jobTasks; });
    return true;
  }

  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(m);
      stopping = true;
    }
    wake.notify_all();
    for (auto& w : workers) w.join();
  }

 private:
  // claims and runs the current job's tasks until none is left (lock held between tasks); the job
  // cannot change meanwhile, since the caller waits until every claimed task has finished
  void run_tasks(std::unique_lock<std::mutex>& lock) {
    while (next < jobTasks) {
      const int t = next++;
      void (*const task)(void*, int) = job;
      void* const ctx = jobCtx;
      lock.unlock();
      task(ctx, t);
      lock.lock();
      if (++finished == jobTasks) done.notify_one();
    }
  }

  void work() {
    FlushDenormals flush;  // the workers run nothing but the kernels' tasks
    unsigned long seen = 0;
    std::unique_lock<std::mutex> lock(m);
    for (;;) {
      wake.wait(lock, [&] { return stopping || generation != seen; });
      if (stopping) return;
      seen = generation;
      run_tasks(lock);
    }
  }

  std::mutex busy;  // held by the call using the workers
  std::mutex m;     // guards everything below
  std::condition_variable wake, done;
  std::vector<std::thread> workers;
  void (*job)(void*, int) = nullptr;
  void* jobCtx = nullptr;
  int jobTasks = 0, next = 0, finished = 0;  // tasks of the current job, the next to claim, those finished
  unsigned long generation = 0;              // jobs started so far
  bool stopping = false;
};
}  // namespace

bool pool_run(int T, void (*task)(void*, int), void* ctx) {
  static Pool pool;
  return pool.run(T, task, ctx);
}

void gemm(long M, long N, long K, const float* A, long rsa, long csa, const float* B, long rsb, long csb, float* C, long ldc, int threads, bool overwrite) {
  // below ~10 MFLOP, splitting costs more than it saves (waking a worker, which on a busy machine
  // may wait for a time slice, and each thread packing its own blocks)
  if (threads <= 1 || 2.0 * M * N * K < 1e7) {
    gemm_serial(M, N, K, A, rsa, csa, B, rsb, csb, C, ldc, overwrite);
    return;
  }
  if (M >= N) {
    const long step = ((M + threads - 1) / threads + MR - 1) / MR * MR;
    const int T = static_cast<int>((M + step - 1) / step);
    parallel_ranges(T, M, step, [&](int, long i0, long i1) { gemm_serial(i1 - i0, N, K, A + i0 * rsa, rsa, csa, B, rsb, csb, C + i0 * ldc, ldc, overwrite); });
  } else {
    constexpr long NR = NV_WIDE * VL;
    const long step = ((N + threads - 1) / threads + NR - 1) / NR * NR;
    const int T = static_cast<int>((N + step - 1) / step);
    parallel_ranges(T, N, step, [&](int, long j0, long j1) { gemm_serial(M, j1 - j0, K, A, rsa, csa, B + j0 * csb, rsb, csb, C + j0, ldc, overwrite); });
  }
}

}  // namespace workbook
