// WORKBOOK_SIMD (lib/backend/native.ts) loads the requested build of the native addon, and every
// build computes the same GEMM and convolution as naive double-precision loops.
// Each variant is loaded in a child Node process (the variable is read once, when the module loads).
// Relative error is CS231n's: max |x - y| / max(1e-8, |x| + |y|), threshold 1e-5 on inputs in [0.1, 1).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { nativeKernels } from "./native";

const RELEASE = join(__dirname, "..", "..", "..", "build", "Release");
const NATIVE_JS = join(__dirname, "native.js");

/** Runs in the child: GEMM 37x29x53 (C += A B on nonzero C) and a 5x5 same convolution, against naive loops. */
const CHILD = `
const { nativeKernels, nativeLoadError } = require(${JSON.stringify(NATIVE_JS)});
if (!nativeKernels) { console.log(JSON.stringify({ error: nativeLoadError })); process.exit(0); }
let s = 7;
const rand = () => { s = (s * 1103515245 + 12345) % 2147483648; return 0.1 + 0.9 * s / 2147483648; };
const vec = (n) => Float32Array.from({ length: n }, rand);
const rel = (got, want) => { let w = 0; for (let i = 0; i < got.length; i++) w = Math.max(w, Math.abs(got[i] - want[i]) / Math.max(1e-8, Math.abs(got[i]) + Math.abs(want[i]))); return w; };
const M = 37, N = 29, K = 53;
const A = vec(M * K), B = vec(K * N), C = vec(M * N), want = Array.from(C);
for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) { let t = 0; for (let k = 0; k < K; k++) t += A[i * K + k] * B[k * N + j]; want[i * N + j] += t; }
nativeKernels.gemm(A, B, C, [M, N, K, K, 1, N, 1, N]);
const n = 2, H = 9, W = 7, Ci = 3, KH = 5, KW = 5, OC = 16;
const x = vec(n * H * W * Ci), f = vec(KH * KW * Ci * OC), y = new Float32Array(n * H * W * OC), wy = new Array(y.length).fill(0);
for (let b = 0; b < n; b++) for (let oh = 0; oh < H; oh++) for (let ow = 0; ow < W; ow++) for (let o = 0; o < OC; o++) {
  let t = 0;
  for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) { const ih = oh + kh - 2, iw = ow + kw - 2; if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue; for (let c = 0; c < Ci; c++) t += x[((b * H + ih) * W + iw) * Ci + c] * f[((kh * KW + kw) * Ci + c) * OC + o]; }
  wy[((b * H + oh) * W + ow) * OC + o] = t;
}
nativeKernels.conv2d(x, f, y, [n, H, W, Ci, KH, KW, OC, H, W, 1, 1, 1, 1, 2, 2]);
console.log(JSON.stringify({ simd: nativeKernels.info().simd, gemm: rel(C, want), conv: rel(y, wy) }));
`;

/** What the child process prints: the SIMD variant it ran and the relative errors of GEMM and conv2d. */
interface VariantResult {
  simd?: string;
  gemm?: number;
  conv?: number;
  error?: string;
}

function runVariant(variant: string): VariantResult {
  const run = spawnSync(process.execPath, ["-e", CHILD], { encoding: "utf8", env: { ...process.env, WORKBOOK_SIMD: variant } });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as VariantResult;
}

function cpuFlags(): string {
  try {
    return readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return "";
  }
}

const builds: [variant: string, file: string, expect: RegExp, runnable: () => string | undefined][] = [
  ["native", "workbook_native.node", /^(avx512|avx2|avx|sse|neon|portable)$/, () => undefined],
  ["avx2", "workbook_native_avx2.node", /^avx2$/, () => (/\bavx2\b/.test(cpuFlags()) && /\bfma\b/.test(cpuFlags()) ? undefined : "this CPU has no AVX2/FMA")],
  ["portable", "workbook_native_portable.node", /^portable$/, () => undefined],
];

for (const [variant, file, expect, runnable] of builds) {
  test(`WORKBOOK_SIMD=${variant} loads ${file} and matches naive GEMM and convolution (rel. error < 1e-5)`, (t) => {
    if (!nativeKernels) return t.skip("the native addon is not built");
    if (!existsSync(join(RELEASE, file))) return t.skip(`${file} is not built here (binding.gyp builds it on Linux${variant === "avx2" ? " x86-64" : ""})`);
    const why = runnable();
    if (why) return t.skip(why);
    const r = runVariant(variant);
    assert.equal(r.error, undefined);
    assert.match(r.simd ?? "", expect);
    assert.ok((r.gemm ?? 1) < 1e-5, `GEMM rel. error ${r.gemm}`);
    assert.ok((r.conv ?? 1) < 1e-5, `conv2d rel. error ${r.conv}`);
  });
}

test("WORKBOOK_SIMD with an unknown value leaves the addon unloaded and says which values exist", (t) => {
  if (!nativeKernels) return t.skip("the native addon is not built");
  const r = runVariant("avx1024");
  assert.match(r.error ?? "", /WORKBOOK_SIMD=avx1024 is not one of native, avx512, avx2, portable/);
});
