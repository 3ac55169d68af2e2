"""Running one cell through a jupyter_client KernelClient, shared by the scripts in this folder
(kernelspec_start.py, relay_check.py), which run with this folder first on sys.path, and by
bench/kernel_start.py, which puts it there."""

TIMEOUT = 120


def execute(kc, code, timeout=TIMEOUT):
    """Runs `code` and waits for its idle status and its execute_reply.

    Returns (reply, result, error): the execute_reply message, the execute_result's text/plain
    (or None) and the error's evalue with its traceback (or None)."""
    msg_id = kc.execute(code)
    result = None
    error = None
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            result = msg["content"]["data"]["text/plain"]
        if msg["msg_type"] == "error":
            error = msg["content"]["evalue"] + "\n" + "\n".join(msg["content"]["traceback"])
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply, result, error
