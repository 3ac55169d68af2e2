/**
 * `node dist/bench/train-profile.js`: where one training batch of the reference CNN spends its time on
 * the "workbook" backend, per kernel, in CPU milliseconds (user + system of the whole process, all
 * threads: what a shared machine cannot hide) and wall milliseconds, plus the fused Adam step, V8's
 * garbage collection (its pause time, from perf_hooks "gc" entries) and the rest (tfjs's tape,
 * tfjs-layers, the engine's bookkeeping: the batch's time less everything above).
 *
 * Every kernel registered for "workbook" is wrapped with a timer; kernels our kernels call directly
 * (tfjs CPU fallbacks) count towards their caller. A few warm-up batches, then BENCH_PROFILE_BATCHES
 * (default 50) timed ones. BENCH_PROFILE_AB=1 alternates rounds of 10 batches with the backend's
 * tuning switched off and on (buffer pool, fused kernels: see workbookTuning) and prints both, so
 * that load from other processes falls on both sides alike; BENCH_PROFILE_AB=pool or =fusedConv
 * flips that switch only.
 *
 * @example
 * WORKBOOK_SIMD=avx2 BENCH_PROFILE_BATCHES=50 node dist/bench/train-profile.js
 */
import { PerformanceObserver, performance } from "perf_hooks";
import { tf, useBackend, nativeKernels, FusedAdamOptimizer, workbookTuning, type WorkbookTuning } from "../lib/backend";
import { loadMnist } from "../lib/data";
import { buildModel, referenceSpec, train } from "../lib/cnn";

/** Time spent in one named part of a batch. */
interface Part {
  calls: number;
  cpuMs: number;
  wallMs: number;
}

type Profile = Map<string, Part>;

let current: Profile = new Map();

function record(name: string, cpu: NodeJS.CpuUsage, wallStart: number): void {
  const used = process.cpuUsage(cpu);
  const part = current.get(name) ?? { calls: 0, cpuMs: 0, wallMs: 0 };
  part.calls++;
  part.cpuMs += (used.user + used.system) / 1000;
  part.wallMs += performance.now() - wallStart;
  current.set(name, part);
}

/** Re-registers every "workbook" kernel with a timer around it. */
function wrapKernels(): void {
  for (const config of tf.getKernelsForBackend("workbook")) {
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, "workbook");
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const cpu = process.cpuUsage();
        const wall = performance.now();
        const out = inner(args);
        record(config.kernelName, cpu, wall);
        return out;
      },
    });
  }
}

/** FusedAdamOptimizer whose applyGradients is timed as "Adam (fused)". */
class TimedAdam extends FusedAdamOptimizer {
  override applyGradients(g: Parameters<FusedAdamOptimizer["applyGradients"]>[0]): void {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    super.applyGradients(g);
    record("Adam (fused, whole step)", cpu, wall);
  }
}

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ["gc"] });

/** Runs `batches` training batches and returns the profile per batch, with totals. */
async function profileBatches(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  mnist: ReturnType<typeof loadMnist>,
  batches: number,
  seed: number,
): Promise<{ parts: Profile; cpuMs: number; wallMs: number; gcMs: number }> {
  current = new Map();
  // let pending gc entries arrive before counting
  await new Promise((resolve) => setImmediate(resolve));
  const gc0 = gcMs;
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await train(model, { train: mnist.train }, { epochs: 1, batchSize: 64, display: false, maxBatches: batches, seed, optimizer });
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - wall;
  await new Promise((resolve) => setImmediate(resolve));
  return { parts: current, cpuMs: (used.user + used.system) / 1000, wallMs, gcMs: gcMs - gc0 };
}

function merge(into: Profile, from: Profile): void {
  for (const [k, v] of from) {
    const p = into.get(k) ?? { calls: 0, cpuMs: 0, wallMs: 0 };
    p.calls += v.calls;
    p.cpuMs += v.cpuMs;
    p.wallMs += v.wallMs;
    into.set(k, p);
  }
}

/** Prints CPU and wall ms per batch by part, largest first. */
function printProfile(title: string, parts: Profile, totals: { cpuMs: number; wallMs: number; gcMs: number }, batches: number): void {
  console.log(`\n${title}: ${batches} batches; per batch: CPU ${(totals.cpuMs / batches).toFixed(2)} ms, wall ${(totals.wallMs / batches).toFixed(2)} ms`);
  console.log(`${"part".padEnd(30)}${"calls".padStart(7)}${"CPU ms".padStart(10)}${"wall ms".padStart(10)}${"CPU %".padStart(8)}`);
  const rows = [...parts.entries()].sort((a, b) => b[1].cpuMs - a[1].cpuMs);
  let cpuSum = 0;
  let wallSum = 0;
  for (const [name, p] of rows) {
    cpuSum += p.cpuMs;
    wallSum += p.wallMs;
    console.log(
      `${name.padEnd(30)}${(p.calls / batches).toFixed(0).padStart(7)}${(p.cpuMs / batches).toFixed(2).padStart(10)}${(p.wallMs / batches).toFixed(2).padStart(10)}${((100 * p.cpuMs) / totals.cpuMs).toFixed(1).padStart(8)}`,
    );
  }
  const restCpu = totals.cpuMs - cpuSum;
  const restWall = totals.wallMs - wallSum;
  console.log(
    `${"rest (tape, layers, engine)".padEnd(30)}${"".padStart(7)}${(restCpu / batches).toFixed(2).padStart(10)}${(restWall / batches).toFixed(2).padStart(10)}${((100 * restCpu) / totals.cpuMs).toFixed(1).padStart(8)}`,
  );
  console.log(`${"  of which GC pauses (wall)".padEnd(30)}${"".padStart(7)}${"".padStart(10)}${(totals.gcMs / batches).toFixed(2).padStart(10)}`);
}

async function main(): Promise<void> {
  if (!nativeKernels) throw new Error("train_profile: the native addon is not built; run node scripts/build-native.js");
  await useBackend("workbook");
  wrapKernels();
  const info = nativeKernels.info();
  const batches = Number(process.env.BENCH_PROFILE_BATCHES ?? 50);
  // which switch the A/B rounds flip: 1 or "all" both, "pool" or "fusedConv" one of them
  const abWhat = process.env.BENCH_PROFILE_AB ?? "";
  const ab = abWhat !== "" && abWhat !== "0";
  const flipped: Array<keyof WorkbookTuning> = abWhat === "pool" || abWhat === "fusedConv" ? [abWhat] : ["pool", "fusedConv"];
  console.log(`train_profile: native ${info.simd}, ${info.threads} threads, reference CNN, batch 64, fused Adam; tuning ${JSON.stringify(workbookTuning)}`);
  const mnist = loadMnist({ seed: 0 });
  const model = buildModel(referenceSpec(), { seed: 0 });
  const optimizer = new TimedAdam(1e-3);
  await profileBatches(model, optimizer, mnist, 5, 99); // warm-up: JIT, first allocations
  const configs: Array<[string, Partial<WorkbookTuning>]> = ab
    ? [
        [`${flipped.join(" + ")} off`, Object.fromEntries(flipped.map((k) => [k, false]))],
        [`${flipped.join(" + ")} on`, Object.fromEntries(flipped.map((k) => [k, true]))],
      ]
    : [["as configured", {}]];
  const base: WorkbookTuning = { ...workbookTuning };
  const acc = configs.map(() => ({ parts: new Map() as Profile, cpuMs: 0, wallMs: 0, gcMs: 0, batches: 0 }));
  const round = ab ? 10 : batches;
  for (let done = 0, r = 0; done < batches; done += round, r++) {
    for (let c = 0; c < configs.length; c++) {
      Object.assign(workbookTuning, base, configs[c][1]);
      const n = Math.min(round, batches - done);
      const p = await profileBatches(model, optimizer, mnist, n, r * 7 + c);
      merge(acc[c].parts, p.parts);
      acc[c].cpuMs += p.cpuMs;
      acc[c].wallMs += p.wallMs;
      acc[c].gcMs += p.gcMs;
      acc[c].batches += n;
    }
  }
  Object.assign(workbookTuning, base);
  configs.forEach(([name], c) => printProfile(name, acc[c].parts, acc[c], acc[c].batches));
  optimizer.dispose();
  model.dispose();
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
