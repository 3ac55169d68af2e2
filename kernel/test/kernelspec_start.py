"""Starts the installed dl-workbook kernelspec with jupyter_client (KernelManager, wait_for_ready,
as front ends do), runs a cell, a type error and a probe of the startup snapshot, and prints one
JSON object. Used by kernel/kernelspec-snapshot.test.ts."""
import json
import time

from jupyter_client.manager import KernelManager

from cells import execute

TIMEOUT = 120


def run_cell(kc, code):
    reply, result, error = execute(kc, code, TIMEOUT)
    return {"status": reply["content"]["status"], "result": result, "error": error}


km = KernelManager(kernel_name="dl-workbook")
started = time.perf_counter()
km.start_kernel()
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=TIMEOUT)
    ready_ms = 1000 * (time.perf_counter() - started)
    cell = run_cell(kc, 'import { asNDArray } from "dl-workbook";\nasNDArray([[1, 2], [3, 4]], "test", "x").shape')
    type_error = run_cell(kc, 'const n: number = "text";')
    runtime_error = run_cell(kc, "function inner(n: number): number {\n  if (n > 2) throw new RangeError('too big: ' + n);\n  return n;\n}\ninner(5);")
    probe = run_cell(kc, 'const stats = (process as any)[Symbol.for("dl-workbook.kernelSnapshot")];\nstats === undefined ? -1 : stats.hits()')
    print(json.dumps({"ready_ms": ready_ms, "cell": cell, "type_error": type_error, "runtime_error": runtime_error, "snapshot_hits": int(probe["result"] or "-2")}), flush=True)
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
