/**
 * The native kernels' C++ (native/gemm.cc, native/conv.cc) on each micro-kernel chosen at build time
 * (native/simd.h), through the driver native/test/kernels_test.cc: GEMM (odd sizes, transposed
 * operands, threads) and the convolution forward pass and both gradients against naive loops,
 * CS231n relative error < 1e-5 on inputs in [0.1, 1); the convolution's bias and relu epilogue and
 * the worker pool (1-3 threads, concurrent and nested calls) bitwise against the plain paths.
 * - this machine's, built as binding.gyp builds the addon (-O3 -march=native);
 * - AVX2 (-mavx2 -mfma), the path of most laptops, on x86 machines that have it;
 * - portable C++ (-DWORKBOOK_PORTABLE), what MSVC and other CPUs compile;
 * - NEON: cross-compiled for aarch64 (Debian g++-aarch64-linux-gnu) and run under qemu-aarch64-static
 *   (Debian qemu-user-static), as on Apple silicon and ARM Linux.
 * A variant whose compiler or emulator is missing is skipped with the package to install.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..", "..");
const SOURCES = ["native/test/kernels_test.cc", "native/gemm.cc", "native/conv.cc"].map((f) => path.join(ROOT, f));
const CXX = process.env.CXX || "g++";
const AARCH64_CXX = "aarch64-linux-gnu-g++";
const QEMU = "qemu-aarch64-static";
/** Where Debian's aarch64 cross toolchain keeps the target's C and C++ libraries (qemu -L). */
const AARCH64_SYSROOT = "/usr/aarch64-linux-gnu";

function works(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).status === 0;
}

function cpuFlags(): string {
  try {
    return fs.readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return "";
  }
}

/** Compiles the driver with `compiler` and `flags`, runs it (through `runner` if given) and checks its report. */
function buildAndRun(compiler: string, flags: string[], expectSimd: RegExp, runner: string[] = []): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-native-kernels-"));
  try {
    const exe = path.join(dir, "kernels_test");
    const build = spawnSync(compiler, ["-O2", "-std=c++17", "-pthread", ...flags, ...SOURCES, "-o", exe], { encoding: "utf8" });
    assert.equal(build.status, 0, `${compiler} ${flags.join(" ")} failed:\n${build.stderr}`);
    const [command, ...args] = [...runner, exe];
    const run = spawnSync(command, args, { encoding: "utf8", timeout: 300_000 });
    const report = `${run.stdout}${run.stderr}${run.error ? run.error.message : ""}`;
    assert.equal(run.status, 0, report);
    assert.match(run.stdout, new RegExp(`^simd ${expectSimd.source}$`, "m"), report);
    assert.match(run.stdout, /^PASS: 0 failed$/m, report);
    // every check ran: 8 sizes x 4 transposes + 2 threaded GEMMs, 3 overwriting GEMMs, 11 convolutions x 3,
    // 4 convolution epilogues, 3 parallel_for, 1 thread-count and 2 concurrent-call checks of the worker pool
    assert.equal(run.stdout.split("\n").filter((line) => line.startsWith("ok ")).length, 80, report);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const noCompiler = works(CXX, ["--version"]) ? undefined : `${CXX} not found (apt-get install g++)`;
const isX86 = process.arch === "x64" || process.arch === "ia32";

test("native kernels, this machine's micro-kernel (-march=native, as the addon is built)", (t) => {
  if (noCompiler) return t.skip(noCompiler);
  buildAndRun(CXX, ["-march=native"], process.arch === "arm64" || process.arch === "arm" ? /neon/ : isX86 ? /(avx512|avx2|avx|sse)/ : /portable/);
});

test("native kernels, AVX2 micro-kernel (-mavx2 -mfma)", (t) => {
  if (noCompiler) return t.skip(noCompiler);
  if (!isX86) return t.skip(`not an x86 machine (${process.arch})`);
  if (!/\bavx2\b/.test(cpuFlags()) || !/\bfma\b/.test(cpuFlags())) return t.skip("this CPU has no AVX2/FMA to run it on");
  buildAndRun(CXX, ["-mavx2", "-mfma"], /avx2/);
});

test("native kernels, portable C++ path (-DWORKBOOK_PORTABLE)", (t) => {
  if (noCompiler) return t.skip(noCompiler);
  buildAndRun(CXX, ["-DWORKBOOK_PORTABLE"], /portable/);
});

test("native kernels, NEON micro-kernel: aarch64 cross-build run under qemu-aarch64-static", (t) => {
  if (!works(AARCH64_CXX, ["--version"])) return t.skip(`${AARCH64_CXX} not found (apt-get install g++-aarch64-linux-gnu qemu-user-static)`);
  if (!works(QEMU, ["--version"])) return t.skip(`${QEMU} not found (apt-get install qemu-user-static)`);
  buildAndRun(AARCH64_CXX, [], /neon/, [QEMU, "-L", AARCH64_SYSROOT]);
});
