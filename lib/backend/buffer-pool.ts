/**
 * Output buffers of the "workbook" backend, reused by size. Every kernel used to get a fresh
 * Float32Array for its output: a training batch of the reference CNN allocated every activation
 * and gradient afresh, which V8 zero-fills, maps page by page and collects again (garbage collection
 * showed as its own line in `node dist/bench/train-profile.js`; see the README's bench:train figures).
 *
 * A buffer goes back to the pool only when nothing can still see it:
 *   - every tensor data entry whose values lie in it is deleted (tfjs disposed the tensor; a
 *     contiguous slice or a reshape of it is an entry of its own, or a reference of the same one,
 *     so a view keeps its buffer out of the pool until the view is disposed too);
 *   - no caller ever read it through `dataSync()`, `data()`, `array()` or `buffer()`: on a CPU
 *     backend those hand out the tensor's own array, which the caller may keep after disposing the
 *     tensor, so such a buffer is never reused (the collector frees it as before).
 */
import * as tf from "@tensorflow/tfjs";
import { QuietBackendCPU } from "./quiet-cpu";
import { workbookTuning } from "./tuning";

/** Buffers shorter than this are left to V8 (small typed arrays are cheap to allocate). */
const MIN_POOLED = 256;

/**
 * Free buffers by length, and for each buffer handed out the number of data entries that use it.
 * @example
 * const pool = new BufferPool();
 * const a = pool.alloc(1024, false); pool.retain(a); pool.release(a);
 * pool.alloc(1024, false) === a; // true: reused
 */
export class BufferPool {
  /** Free buffers by element count. */
  private readonly free = new Map<number, Float32Array[]>();
  /** Data entries alive per buffer handed out by this pool. */
  private readonly users = new Map<ArrayBuffer, number>();
  /** Buffers handed out by this pool whose values a caller has read (never reused). */
  private readonly escaped = new WeakSet<ArrayBuffer>();
  /** The largest number of bytes kept free; the rest goes to the collector. */
  readonly maxFreeBytes: number;
  /** Bytes in free lists now. */
  freeBytes = 0;
  /** Outputs served from a free list, and fresh allocations, since creation (for tests and profiles). */
  readonly stats = { reused: 0, fresh: 0 };

  constructor(maxFreeBytes = 256 * 2 ** 20) {
    this.maxFreeBytes = maxFreeBytes;
  }

  /** A Float32Array of n elements, zero-filled when `zero` (otherwise its contents are arbitrary). */
  alloc(n: number, zero: boolean): Float32Array {
    if (n < MIN_POOLED) return new Float32Array(n);
    const list = this.free.get(n);
    const reused = list?.pop();
    if (list && reused) {
      this.touch(n, list);
      this.freeBytes -= reused.byteLength;
      this.stats.reused++;
      if (zero) reused.fill(0);
      this.users.set(reused.buffer as ArrayBuffer, 0);
      return reused;
    }
    const out = new Float32Array(n);
    this.stats.fresh++;
    this.users.set(out.buffer, 0);
    return out;
  }

  /** A data entry now holds `values` (or a view into its buffer). */
  retain(values: unknown): void {
    const buffer = pooledBuffer(values);
    if (!buffer) return;
    const count = this.users.get(buffer);
    if (count !== undefined) this.users.set(buffer, count + 1);
  }

  /** A data entry holding `values` was deleted: the buffer returns to the pool when it was the last. */
  release(values: unknown): void {
    const buffer = pooledBuffer(values);
    if (!buffer) return;
    const count = this.users.get(buffer);
    if (count === undefined) return;
    if (count > 1) {
      this.users.set(buffer, count - 1);
      return;
    }
    this.users.delete(buffer);
    if (this.escaped.has(buffer) || !this.makeRoom(buffer.byteLength)) return;
    const whole = new Float32Array(buffer);
    const list = this.free.get(whole.length) ?? [];
    list.push(whole);
    this.touch(whole.length, list);
    this.freeBytes += buffer.byteLength;
  }

  /** Marks the free list of size n as the most recently used (the Map keeps sizes in that order). */
  private touch(n: number, list: Float32Array[]): void {
    this.free.delete(n);
    if (list.length > 0) this.free.set(n, list);
  }

  /**
   * Room for `bytes` more free bytes, made by dropping the free buffers of the sizes used longest ago
   * (the collector takes them): the sizes a validation pass left behind give way to the training
   * batch's. False when `bytes` alone is over the limit.
   */
  private makeRoom(bytes: number): boolean {
    if (bytes > this.maxFreeBytes) return false;
    for (const [n, list] of this.free) {
      while (list.length > 0 && this.freeBytes + bytes > this.maxFreeBytes) this.freeBytes -= list.pop()!.byteLength;
      if (list.length === 0) this.free.delete(n);
      if (this.freeBytes + bytes <= this.maxFreeBytes) break;
    }
    return true;
  }

  /** A caller got `values` itself (dataSync and friends): its buffer is never reused. */
  escape(values: unknown): void {
    const buffer = pooledBuffer(values);
    if (buffer && this.users.has(buffer)) this.escaped.add(buffer);
  }

  /** True when `values` fills a buffer of this pool that one data entry uses and no caller was handed. */
  exclusive(values: unknown): boolean {
    const buffer = pooledBuffer(values);
    return buffer !== null && (values as Float32Array).byteLength === buffer.byteLength && this.users.get(buffer) === 1 && !this.escaped.has(buffer);
  }

  /** Drops every free buffer (the collector takes them). */
  clear(): void {
    this.free.clear();
    this.freeBytes = 0;
  }
}

function pooledBuffer(values: unknown): ArrayBuffer | null {
  return values instanceof Float32Array && values.length > 0 && values.buffer instanceof ArrayBuffer ? values.buffer : null;
}

/** The backend's data entry (MathBackendCPU's DataStorage value). */
interface Entry {
  values?: unknown;
}

/**
 * tfjs's CPU backend whose kernels' outputs come from a {@link BufferPool}: it counts the data
 * entries that use each pooled buffer (write, move, disposeData) and marks a buffer read through
 * readSync/read (dataSync, data, array, buffer) as never to be reused.
 * @example
 * tf.registerBackend("workbook", () => new PooledBackendCPU());
 */
export class PooledBackendCPU extends QuietBackendCPU {
  /** This backend's output buffers. */
  readonly pool = new BufferPool();

  override write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId {
    const id = super.write(values, shape, dtype);
    this.pool.retain(values);
    return id;
  }

  override move(dataId: tf.DataId, values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType, refCount: number): void {
    const old = this.data.has(dataId) ? (this.data.get(dataId) as Entry).values : undefined;
    super.move(dataId, values, shape, dtype, refCount);
    this.pool.retain(values);
    if (old !== undefined) this.pool.release(old);
  }

  override disposeData(dataId: tf.DataId, force = false): boolean {
    const values = this.data.has(dataId) ? (this.data.get(dataId) as Entry).values : undefined;
    const deleted = super.disposeData(dataId, force);
    if (deleted && values !== undefined && !this.data.has(dataId)) this.pool.release(values);
    return deleted;
  }

  override readSync(dataId: tf.DataId): tf.backend_util.BackendValues {
    if (this.data.has(dataId)) this.pool.escape((this.data.get(dataId) as Entry).values);
    return super.readSync(dataId);
  }

  override read(dataId: tf.DataId): Promise<tf.backend_util.BackendValues> {
    if (this.data.has(dataId)) this.pool.escape((this.data.get(dataId) as Entry).values);
    return super.read(dataId);
  }

  /**
   * The values of `dataId` when nothing else can see them, so that they may be overwritten in place:
   * one tensor (refCount 1: no clone or reshape shares the entry), one entry on the buffer (no slice
   * view), a pooled buffer never handed out through dataSync/data. Else null.
   */
  exclusiveValues(dataId: tf.DataId): Float32Array | null {
    if (!workbookTuning.pool || !this.data.has(dataId)) return null;
    const entry = this.data.get(dataId) as Entry & { refCount: number };
    return entry.refCount === 1 && entry.values instanceof Float32Array && this.pool.exclusive(entry.values) ? entry.values : null;
  }

  /** An output buffer of n floats: from the pool when `workbookTuning.pool` is on, else a new one. */
  output(n: number, zero: boolean): Float32Array {
    return workbookTuning.pool ? this.pool.alloc(n, zero) : new Float32Array(n);
  }
}
