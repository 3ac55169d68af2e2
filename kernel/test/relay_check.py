"""The kernelspec's relay (kernel/relay.ts) through jupyter_client, one scenario per run; prints one
JSON object. Used by kernel/relay.test.ts.

    python3 relay_check.py early-reply KERNEL   # kernel_info answered before the kernel is ready, then a cell
    python3 relay_check.py kill-relay KERNEL    # SIGKILL the relay (after a cell ran): how long the kernel outlives it
    python3 relay_check.py kill-early KERNEL    # SIGKILL the relay right after its first reply
    python3 relay_check.py shutdown KERNEL      # restart, then shutdown: which processes remain
"""
import json
import os
import signal
import sys
import time
from queue import Empty

from jupyter_client.manager import KernelManager

from cells import execute

TIMEOUT = 120


def children(pid):
    """Process ids whose parent is pid (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry))
    return found


def running(pid):
    """True while pid is a process that is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def first_reply(kc, t0):
    """Sends kernel_info until a reply comes; returns it and its time since t0."""
    while True:
        msg_id = kc.kernel_info()
        try:
            reply = kc.get_shell_msg(timeout=1)
        except Empty:
            continue
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply, 1000 * (time.perf_counter() - t0)


def kernel_info_statuses(kc, t0):
    """Once iopub delivers (a greeting or a status), one more kernel_info: its reply's time and the statuses it caused."""
    kc.get_iopub_msg(timeout=TIMEOUT)
    msg_id = kc.kernel_info()
    statuses = []
    while len(statuses) < 2:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status":
            statuses.append(msg["content"]["execution_state"])
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return 1000 * (time.perf_counter() - t0), statuses


def heartbeat(km):
    """Sends a ping to the heartbeat port; True when it comes back within 5 s."""
    import zmq

    info = km.get_connection_info()
    socket = zmq.Context.instance().socket(zmq.REQ)
    socket.linger = 0
    socket.connect(f"{info['transport']}://{info['ip']}:{info['hb_port']}")
    try:
        socket.send(b"ping")
        return socket.poll(5000) != 0 and socket.recv() == b"ping"
    finally:
        socket.close()


def run_cell(kc, code):
    """The cell's execute_reply and its execute_result's text/plain."""
    reply, result, _ = execute(kc, code, TIMEOUT)
    return reply, result


def wait_gone(pids, timeout=15):
    """Seconds until every pid has ended, or None."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if not any(running(pid) for pid in pids):
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def start(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    return km, kc, t0


def early_reply(name):
    km, kc, t0 = start(name)
    try:
        reply, ms = first_reply(kc, t0)
        second_ms, statuses = kernel_info_statuses(kc, t0)
        relay = km.provisioner.process.pid
        kernel = children(relay)
        beats = heartbeat(km)
        cell_reply, result = run_cell(kc, "const x: number = 20;\nx + 22")
        type_reply, _ = run_cell(kc, 'const y: number = "text";')
        cell_ms = 1000 * (time.perf_counter() - t0)
        later = kc.kernel_info(reply=True, timeout=TIMEOUT)
        return {
            "first_reply_ms": ms,
            "second_reply_ms": second_ms,
            "statuses": statuses,
            "kernel_children": len(kernel),
            "heartbeat": beats,
            "result": result,
            "cell_status": cell_reply["content"]["status"],
            "type_error_status": type_reply["content"]["status"],
            "cell_ms": cell_ms,
            "relay_info": reply["content"],
            "kernel_info": later["content"],
            "sessions": [reply["header"]["session"], cell_reply["header"]["session"], later["header"]["session"]],
        }
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def kill_relay(name, after_cell):
    km, kc, t0 = start(name)
    try:
        first_reply(kc, t0)
        if after_cell:
            run_cell(kc, "1 + 1")
        relay = km.provisioner.process.pid
        kernel = children(relay)
        os.kill(relay, signal.SIGKILL)
        gone = wait_gone(kernel)
        return {"kernel_pids": kernel, "kernel_gone_s": gone}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def shutdown(name):
    km, kc, t0 = start(name)
    first_reply(kc, t0)
    _, before = run_cell(kc, "const kept = 1; kept")
    old = [km.provisioner.process.pid] + children(km.provisioner.process.pid)
    km.restart_kernel(now=False)
    old_gone = wait_gone(old)
    kc.wait_for_ready(timeout=TIMEOUT)
    after, _ = run_cell(kc, "2")
    new = [km.provisioner.process.pid] + children(km.provisioner.process.pid)
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    return {"before": before, "after_count": after["content"]["execution_count"], "old": old, "old_gone_s": old_gone, "new": new, "new_gone_s": wait_gone(new, 5)}


def main():
    scenario, name = sys.argv[1], sys.argv[2]
    if scenario == "early-reply":
        out = early_reply(name)
    elif scenario == "kill-relay":
        out = kill_relay(name, True)
    elif scenario == "kill-early":
        out = kill_relay(name, False)
    elif scenario == "shutdown":
        out = shutdown(name)
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
