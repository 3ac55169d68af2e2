// Which GEMM micro-kernel this build compiles (gemm.cc), decided by the compiler's target:
//   WORKBOOK_SIMD_NEON      aarch64 (Apple silicon, ARM Linux), or 32-bit ARM with NEON
//   WORKBOOK_SIMD_X86       x86 with GCC or Clang: vector extensions, AVX-512 / AVX2 / AVX / SSE by -march
//   WORKBOOK_SIMD_PORTABLE  anything else (MSVC, other CPUs), or forced with -DWORKBOOK_PORTABLE
#pragma once

#if defined(WORKBOOK_PORTABLE)
#define WORKBOOK_SIMD_NEON 0
#define WORKBOOK_SIMD_X86 0
#define WORKBOOK_SIMD_PORTABLE 1
#elif defined(__aarch64__) || defined(__ARM_NEON)
#define WORKBOOK_SIMD_NEON 1
#define WORKBOOK_SIMD_X86 0
#define WORKBOOK_SIMD_PORTABLE 0
#elif (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define WORKBOOK_SIMD_NEON 0
#define WORKBOOK_SIMD_X86 1
#define WORKBOOK_SIMD_PORTABLE 0
#else
#define WORKBOOK_SIMD_NEON 0
#define WORKBOOK_SIMD_X86 0
#define WORKBOOK_SIMD_PORTABLE 1
#endif
