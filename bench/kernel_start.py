"""Cold starts of kernelspec kernels through jupyter_client, for bench/kernel.ts (npm run bench:kernel).

    python3 bench/kernel_start.py STARTS NAME [NAME ...]

Starts each named kernelspec STARTS times, the names taking turns so that both see the same load.
Each start is timed from KernelManager.start_kernel() to the first kernel_info_reply, and to the
moment jupyter_client's wait_for_ready() would return (the loop below is its loop, timed: a reply,
then any iopub message within 0.2 s, else kernel_info again), and to its first cell's result
(`1 + 1`, sent once ready, as a front end does). The last start of each kernel then checks that a
type error is reported (type checking on) and asks whether the kernel came from the dl-workbook
snapshot. Prints one JSON object per start.
"""
import json
import os
import sys
import time
from queue import Empty

from jupyter_client.manager import KernelManager

# the one jupyter_client cell loop, shared with the kernel's Python tests
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kernel", "test"))
from cells import execute  # noqa: E402

PROBE = 'typeof (process as any)[Symbol.for("dl-workbook.kernelSnapshot")] === "object"'


def rss_mb(pid):
    """Resident set size of a process in MB (Linux /proc), 0 when unknown."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0


def children(pid):
    """Process ids whose parent is pid (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if entry.isdigit() and int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry))
    return found


def start(name, last):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    first_reply = None
    deadline = t0 + 120
    try:
        while True:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{name}: no kernel_info_reply in 120 s")
            kc.kernel_info()
            try:
                msg = kc.get_shell_msg(timeout=1)
            except Empty:
                continue
            if msg["msg_type"] != "kernel_info_reply":
                continue
            if first_reply is None:
                first_reply = time.perf_counter() - t0
            try:
                kc.get_iopub_msg(timeout=0.2)
            except Empty:
                continue
            break
        row = {"kernel": name, "first_reply_ms": 1000 * first_reply, "ready_ms": 1000 * (time.perf_counter() - t0)}
        execute(kc, "1 + 1")
        row["first_cell_ms"] = 1000 * (time.perf_counter() - t0)
        if last:
            reply, _, _ = execute(kc, "const notANumber: number = 'text'")
            row["type_checking"] = reply["content"]["status"] == "error"
            _, value, _ = execute(kc, PROBE)
            row["from_snapshot"] = value == "true"
            pid = km.provisioner.process.pid
            row["rss_mb"] = rss_mb(pid)
            row["children_rss_mb"] = sum(rss_mb(child) for child in children(pid))
        return row
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    starts = int(sys.argv[1])
    names = sys.argv[2:]
    for i in range(starts):
        for name in names:
            print(json.dumps(start(name, i == starts - 1)), flush=True)


if __name__ == "__main__":
    main()
