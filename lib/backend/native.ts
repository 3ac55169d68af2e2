/**
 * Loads the Node-API addon with our fast kernels (native/*.cc, built by scripts/build-native.js
 * during `npm install` into build/Release/workbook_native.node). When it is missing, `nativeKernels`
 * is null and `nativeLoadError` says why.
 * WORKBOOK_SIMD=native|avx512|avx2|portable picks the build to load (default native, this machine's
 * best), so that one machine can measure each instruction set; `nativeKernels.info().simd` names it.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";

/** Shapes of one convolution, in the addon's order: x[N,H,W,C], filter[KH,KW,C,OC], y[N,OH,OW,OC]. */
export type ConvDims = [
  N: number,
  H: number,
  W: number,
  C: number,
  KH: number,
  KW: number,
  OC: number,
  OH: number,
  OW: number,
  strideH: number,
  strideW: number,
  dilationH: number,
  dilationW: number,
  padTop: number,
  padLeft: number,
];

/** Shapes of one max pooling: x[N,H,W,C] -> y[N,OH,OW,C], effective window fh x fw. */
export type PoolDims = [
  N: number,
  H: number,
  W: number,
  C: number,
  OH: number,
  OW: number,
  fh: number,
  fw: number,
  strideH: number,
  strideW: number,
  dilationH: number,
  dilationW: number,
  padTop: number,
  padLeft: number,
];

/** The functions the addon exports (see native/addon.cc). */
export interface NativeKernels {
  /**
   * C[M,N] += A(i,k) B(k,j) with A(i,k) = A[i*rsa + k*csa], B(k,j) = B[k*rsb + j*csb], C row-major with leading dimension ldc;
   * with `overwrite`, C = A B (C's old contents are never read, so C need not be cleared first).
   */
  gemm(A: Float32Array, B: Float32Array, C: Float32Array, dims: [M: number, N: number, K: number, rsa: number, csa: number, rsb: number, csb: number, ldc: number], overwrite?: boolean): void;
  /**
   * y = conv(x, filter) by im2col + GEMM or directly (y is overwritten); then, while each block of y is
   * still in cache, y = y + bias (OC values, or 1 for all) when bias is given, and y = max(0, y) when relu.
   */
  conv2d(x: Float32Array, filter: Float32Array, y: Float32Array, dims: ConvDims, bias?: Float32Array | null, relu?: boolean): void;
  /** dFilter = sum over output pixels of patch(x)^T dy (overwritten). */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dFilter: Float32Array, dims: ConvDims): void;
  /** dx = col2im(dy filter^T) (overwritten). */
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, dims: ConvDims): void;
  /** out[i] = op(a[i mod |a|], b[i mod |b|]), op 0..6 = add, sub, mul, div, max, min, a * step(b) (relu's backward); |a|, |b| are |out|, 1, or divide |out|. */
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** op 0 relu: max(0, x); op 1 step: x > 0 ? 1 : alpha. */
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number): void;
  /** out[o, j] = sum_m x[o, m, j] for x viewed as [outer, middle, inner]. */
  sumMiddle(x: Float32Array, out: Float32Array, dims: [outer: number, middle: number, inner: number]): void;
  /** Max pooling, NHWC; dims [N, H, W, C, OH, OW, effective fh, fw, sh, sw, dh, dw, padTop, padLeft]. */
  maxPool(x: Float32Array, y: Float32Array, dims: PoolDims): void;
  /** dx[first argmax of each window] += dy (dx overwritten). */
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, dims: PoolDims): void;
  /**
   * One fused Adam step (native/elementwise.h), tfjs's order of operations:
   * m' = m b1 + g (1 - b1); v' = v b2 + g^2 (1 - b2); w' = (m' / c1) / (sqrt(v' / c2) + eps) (-lr) + w.
   * All arrays have w's length; outputs may alias inputs.
   */
  adamUpdate(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    wOut: Float32Array,
    mOut: Float32Array,
    vOut: Float32Array,
    params: [lr: number, b1: number, b2: number, eps: number, c1: number, c2: number, oneMinusB1: number, oneMinusB2: number],
  ): void;
  /** A zero-filled Float32Array of n elements on a V8-owned ArrayBuffer (freed by V8's collector; `zero` is kept for callers and always holds). */
  alloc(n: number, zero: boolean): Float32Array;
  /** Sets the number of threads (0: WORKBOOK_THREADS or all cores); returns the number in use. */
  setThreads(n: number): number;
  /** Threads in use and the GEMM micro-kernel compiled in (native/simd.h): "avx512", "avx2", "avx", "sse", "neon" or "portable". */
  info(): { threads: number; simd: string };
}

/** Instruction sets WORKBOOK_SIMD can ask for, and the addon file that holds each (binding.gyp). */
export const SIMD_VARIANTS = {
  /** this machine's best: -march=native (AVX-512, AVX2, NEON, ...) */
  native: "workbook_native.node",
  /** -march=native again, but refusing to run unless it is AVX-512 */
  avx512: "workbook_native.node",
  /** -mavx2 -mfma -mno-avx512f: the path of most laptops (x86-64 Linux builds only) */
  avx2: "workbook_native_avx2.node",
  /** plain C++ (-DWORKBOOK_PORTABLE, no -march): what MSVC and other CPUs compile (Linux builds only) */
  portable: "workbook_native_portable.node",
} as const;

/** A WORKBOOK_SIMD value: which build of the addon to load. */
export type SimdVariant = keyof typeof SIMD_VARIANTS;

function cpuHas(flags: string[]): boolean {
  if (process.platform !== "linux") return true; // no /proc/cpuinfo to check: trust the request
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    return flags.every((f) => new RegExp(`\\b${f}\\b`).test(info));
  } catch {
    return true;
  }
}

function load(): { kernels: NativeKernels | null; error?: string } {
  const asked = (process.env.WORKBOOK_SIMD ?? "native").trim().toLowerCase() || "native";
  if (!(asked in SIMD_VARIANTS)) {
    return { kernels: null, error: `WORKBOOK_SIMD=${asked} is not one of ${Object.keys(SIMD_VARIANTS).join(", ")}; unset it or pick one of those` };
  }
  const variant = asked as SimdVariant;
  if (variant === "avx2" && !cpuHas(["avx2", "fma"])) return { kernels: null, error: "WORKBOOK_SIMD=avx2, but this CPU has no AVX2/FMA" };
  const file = join(__dirname, "..", "..", "..", "build", "Release", SIMD_VARIANTS[variant]);
  if (!existsSync(file))
    return {
      kernels: null,
      error: `${file} is not built (run "node scripts/build-native.js"${variant === "native" ? "" : `; the ${variant} build exists on Linux${variant === "avx2" ? " x86-64" : ""} only`})`,
    };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional native addon: its path is known only at run time and it may be missing
    const kernels = require(file) as NativeKernels;
    const simd = kernels.info().simd;
    if (variant === "avx512" && simd !== "avx512") return { kernels: null, error: `WORKBOOK_SIMD=avx512, but this machine's build is ${simd} (its CPU or compiler has no AVX-512)` };
    return { kernels };
  } catch (err) {
    return { kernels: null, error: `${file} failed to load: ${(err as Error).message.split("\n")[0]}` };
  }
}

const loaded = load();

/** The addon's kernels, or null when it is not built or does not load. */
export const nativeKernels: NativeKernels | null = loaded.kernels;
/** Why the addon is unavailable (undefined when it loaded). */
export const nativeLoadError: string | undefined = loaded.error;
