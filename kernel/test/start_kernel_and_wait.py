"""Starts the dl-workbook kernel with jupyter_client's KernelManager, as a front end does (it sets
JPY_PARENT_PID to this process's id in the kernel's environment), prints `kernel pid <pid>` once
the kernel answers kernel_info (and, given a cell as its argument, has started running that
cell), then waits until it is killed. Used by
kernel/parent-poller.test.ts, which kills this process and expects the kernel to end by itself."""
import sys
import time

from jupyter_client.manager import KernelManager

km = KernelManager(kernel_name="dl-workbook")
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
if len(sys.argv) > 1:
    kc.execute(sys.argv[1])
    while True:
        message = kc.get_iopub_msg(timeout=60)
        if message["msg_type"] == "execute_input":
            break
print(f"kernel pid {km.provisioner.process.pid}", flush=True)
while True:
    time.sleep(60)
