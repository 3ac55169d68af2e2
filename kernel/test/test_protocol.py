"""Protocol tests through jupyter_client for what jupyter_kernel_test does not cover: interrupts
(synchronous loop, awaited promise, tfjs model.fit), stdin, comms both ways, bad signatures,
malformed and unknown messages, errors from timers and promises, process.exit(), stop_on_error,
tracebacks mapped to cell lines, and restart. Run by kernel/protocol.test.ts."""
import time
import unittest
import uuid
from queue import Empty

from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

TIMEOUT = 60


class KernelSession(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="dl-workbook", startup_timeout=TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

    def flush(self):
        for get in (self.kc.get_iopub_msg, self.kc.get_shell_msg):
            while True:
                try:
                    get(timeout=0.2)
                except Empty:
                    break

    def outputs(self, msg_id, timeout=TIMEOUT):
        """iopub messages caused by msg_id, up to its idle status."""
        found = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    return found
                continue
            found.append(msg)
        self.fail("no idle status for %s" % msg_id)

    def reply(self, msg_id, timeout=TIMEOUT):
        while True:
            msg = self.kc.get_shell_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def run_cell(self, code, timeout=TIMEOUT, **kwargs):
        msg_id = self.kc.execute(code, **kwargs)
        reply = self.reply(msg_id, timeout)
        return reply["content"], self.outputs(msg_id, timeout)

    def value(self, code):
        content, outputs = self.run_cell(code)
        self.assertEqual(content["status"], "ok", content)
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        return results[0]

    def stdout(self, outputs):
        return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")

    def interrupt_after(self, msg_id, seconds):
        time.sleep(seconds)
        self.km.interrupt_kernel()
        reply = self.reply(msg_id)
        outputs = self.outputs(msg_id)
        return reply["content"], outputs


class InterruptTests(KernelSession):
    def test_interrupt_synchronous_loop_keeps_variables(self):
        self.value("let kept = 41; kept")
        msg_id = self.kc.execute("while (true) {}")
        content, outputs = self.interrupt_after(msg_id, 1.0)
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "Interrupted")
        self.assertEqual(self.value("kept + 1"), "42")

    def test_interrupt_awaited_promise(self):
        self.value("let before = 'still here'; before")
        msg_id = self.kc.execute("await new Promise(() => {}); 'never'")
        content, outputs = self.interrupt_after(msg_id, 0.5)
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "Interrupted")
        self.assertEqual(self.value("before"), "'still here'")

    def test_interrupt_loop_after_an_await(self):
        self.value("let survivor2 = 'kept'; survivor2")
        msg_id = self.kc.execute("await new Promise((r) => setTimeout(r, 50));\nlet spins = 0;\nwhile (true) { spins++; }")
        content, _ = self.interrupt_after(msg_id, 1.0)
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "Interrupted")
        self.assertEqual(self.value("await Promise.resolve(survivor2)"), "'kept'")

    def test_interrupt_model_fit_at_next_batch(self):
        self.value(
            "import * as tf from '@tensorflow/tfjs';\n"
            "const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [2], activation: 'relu' }), tf.layers.dense({ units: 1 })] });\n"
            "model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\n"
            "const xs = tf.randomNormal([256, 2]); const ys = tf.randomNormal([256, 1]);\n"
            "let batches = 0; 'ready'"
        )
        msg_id = self.kc.execute(
            "await model.fit(xs, ys, { epochs: 100000, batchSize: 8, verbose: 0, callbacks: { onBatchEnd: async () => { batches++; } } })"
        )
        content, _ = self.interrupt_after(msg_id, 2.0)
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "Interrupted")
        first = int(self.value("batches"))
        self.assertGreater(first, 0)
        time.sleep(0.5)
        # Training stopped: no more batches, and the model (trained weights) is still usable.
        self.assertLessEqual(int(self.value("batches")) - first, 1)
        self.assertEqual(self.value("(model.predict(tf.zeros([3, 2])) as tf.Tensor).shape"), "[ 3, 1 ]")


class StdinTests(KernelSession):
    def test_input_reads_from_the_front_end(self):
        msg_id = self.kc.execute("const name = input('Your name? '); console.log('hello ' + name)", allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(request["msg_type"], "input_request")
        self.assertEqual(request["content"]["prompt"], "Your name? ")
        self.assertFalse(request["content"]["password"])
        self.kc.input("Ada")
        reply = self.reply(msg_id)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertEqual(self.stdout(self.outputs(msg_id)), "hello Ada\n")

    def test_input_without_stdin_is_a_clear_error(self):
        content, outputs = self.run_cell("input('Your name? ')", allow_stdin=False)
        self.assertEqual(content["status"], "error")
        self.assertIn("allow_stdin", content["evalue"])

    def test_interrupt_while_waiting_for_input(self):
        msg_id = self.kc.execute("input('Waiting for you: ')", allow_stdin=True)
        self.kc.get_stdin_msg(timeout=TIMEOUT)
        content, _ = self.interrupt_after(msg_id, 0.3)
        self.assertEqual(content["ename"], "Interrupted")


class CommTests(KernelSession):
    def test_kernel_opens_comm_and_receives_messages(self):
        self.flush()
        msg_id = self.kc.execute(
            "import { displayHost } from 'dl-workbook/display';\n"
            "const comm = displayHost()!.openComm('test.widget', { value: 1 });\n"
            "comm.onMessage((data) => console.log('kernel got ' + JSON.stringify(data)));\n"
            "comm.send({ hello: 'front end' })"
        )
        self.assertEqual(self.reply(msg_id)["content"]["status"], "ok")
        outputs = self.outputs(msg_id)
        opened = [m for m in outputs if m["msg_type"] == "comm_open"]
        self.assertEqual(len(opened), 1)
        self.assertEqual(opened[0]["content"]["target_name"], "test.widget")
        self.assertEqual(opened[0]["content"]["data"], {"value": 1})
        comm_id = opened[0]["content"]["comm_id"]
        sent = [m for m in outputs if m["msg_type"] == "comm_msg"]
        self.assertEqual(sent[0]["content"], {"comm_id": comm_id, "data": {"hello": "front end"}})

        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {"from": "browser"}})
        self.kc.shell_channel.send(msg)
        self.assertIn('kernel got {"from":"browser"}', self.stdout(self.outputs(msg["header"]["msg_id"])))

        info_id = self.kc.comm_info(target_name="test.widget")
        self.assertIn(comm_id, self.reply(info_id)["content"]["comms"])

    def test_front_end_opens_comm_to_registered_target(self):
        self.value(
            "import { displayHost as host } from 'dl-workbook/display';\n"
            "host()!.registerCommTarget('echo', (comm, data) => {\n"
            "  comm.send({ opened: data });\n"
            "  comm.onMessage((d) => comm.send({ echo: d }));\n"
            "  comm.onClose(() => console.log('closed'));\n"
            "});\n'registered'"
        )
        comm_id = uuid.uuid4().hex
        msg = self.kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "echo", "data": {"n": 1}})
        self.kc.shell_channel.send(msg)
        outputs = self.outputs(msg["header"]["msg_id"])
        self.assertEqual([m["content"]["data"] for m in outputs if m["msg_type"] == "comm_msg"], [{"opened": {"n": 1}}])
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {"ping": 2}})
        self.kc.shell_channel.send(msg)
        outputs = self.outputs(msg["header"]["msg_id"])
        self.assertEqual([m["content"]["data"] for m in outputs if m["msg_type"] == "comm_msg"], [{"echo": {"ping": 2}}])
        msg = self.kc.session.msg("comm_close", {"comm_id": comm_id, "data": {}})
        self.kc.shell_channel.send(msg)
        self.assertEqual(self.stdout(self.outputs(msg["header"]["msg_id"])), "closed\n")

    def test_comm_open_to_unknown_target_is_closed(self):
        comm_id = uuid.uuid4().hex
        msg = self.kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "nobody", "data": {}})
        self.kc.shell_channel.send(msg)
        outputs = self.outputs(msg["header"]["msg_id"])
        self.assertEqual([m["msg_type"] for m in outputs], ["comm_close"])


class RobustnessTests(KernelSession):
    def assert_alive(self):
        msg_id = self.kc.kernel_info()
        self.assertEqual(self.reply(msg_id, timeout=10)["msg_type"], "kernel_info_reply")

    def test_bad_signature_is_dropped_not_executed(self):
        self.flush()
        forger = Session(key=b"not-the-key", username="mallory")
        forged = forger.send(self.kc.shell_channel.socket, "execute_request", {"code": "(globalThis as any).forged = true", "silent": False})
        deadline = time.time() + 1.5
        while time.time() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=0.25)
            except Empty:
                continue
            self.assertNotEqual(msg["parent_header"].get("msg_id"), forged["header"]["msg_id"], "the kernel answered a forged message")
        self.assertEqual(self.value("typeof (globalThis as any).forged"), "'undefined'")

    def test_malformed_frames_do_not_crash(self):
        socket = self.kc.shell_channel.socket
        socket.send_multipart([b"no delimiter here"])
        socket.send_multipart([b"<IDS|MSG>", b"sig", b"{not json", b"{}", b"{}", b"{}"])
        socket.send_multipart([b"<IDS|MSG>", b"too few"])
        self.assert_alive()

    def test_request_with_missing_fields_gets_an_error_reply(self):
        msg = self.kc.session.msg("execute_request", {"silent": False})
        self.kc.shell_channel.send(msg)
        reply = self.reply(msg["header"]["msg_id"])
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("code", reply["content"]["evalue"])
        self.assert_alive()

    def test_unknown_message_type_is_ignored(self):
        msg = self.kc.session.msg("frobnicate_request", {"x": 1})
        self.kc.shell_channel.send(msg)
        self.assert_alive()
        self.assertEqual(self.value("1 + 1"), "2")

    def test_error_in_timer_is_reported_to_its_cell(self):
        msg_id = self.kc.execute("setTimeout(() => { throw new Error('late failure'); }, 50); 'scheduled'")
        self.reply(msg_id)
        deadline = time.time() + 10
        errors = []
        while time.time() < deadline and not errors:
            msg = self.kc.get_iopub_msg(timeout=10)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "error":
                errors.append(msg)
        self.assertEqual(errors[0]["content"]["evalue"], "late failure")
        self.assert_alive()

    def test_unhandled_rejection_is_reported_and_kernel_lives(self):
        msg_id = self.kc.execute("Promise.reject(new Error('nobody caught me')); 'done'")
        self.reply(msg_id)
        deadline = time.time() + 10
        errors = []
        while time.time() < deadline and not errors:
            msg = self.kc.get_iopub_msg(timeout=10)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "error":
                errors.append(msg)
        self.assertEqual(errors[0]["content"]["evalue"], "nobody caught me")
        self.assert_alive()

    def test_process_exit_keeps_the_session(self):
        self.value("const survivor = 7; survivor")
        content, _ = self.run_cell("process.exit(3)")
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "ProcessExit")
        self.assertEqual(self.value("survivor * 6"), "42")

    def test_stop_on_error_aborts_queued_cells(self):
        first = self.kc.execute("await new Promise((r) => setTimeout(r, 300)); throw new Error('first fails')")
        second = self.kc.execute("'should not run'")
        self.assertEqual(self.reply(first)["content"]["status"], "error")
        self.assertEqual(self.reply(second)["content"]["status"], "aborted")

    def test_type_error_names_line_and_column(self):
        content, _ = self.run_cell("const ok = 1;\nconst bad: string = ok;")
        self.assertEqual(content["ename"], "TypeScriptError")
        self.assertIn("line 2, column 7", content["evalue"])

    def test_runtime_traceback_is_mapped_to_cell_lines(self):
        content, _ = self.run_cell("function inner(n: number): number {\n  if (n > 2) throw new RangeError('too big: ' + n);\n  return n;\n}\ninner(5);")
        self.assertEqual(content["ename"], "RangeError")
        traceback = "\n".join(content["traceback"])
        self.assertRegex(traceback, r"at inner \(cell \[\d+\], line 2\)")
        self.assertRegex(traceback, r"cell \[\d+\], line 5")

    def test_user_expressions_silent_and_store_history(self):
        msg_id = self.kc.execute("const ue = 21", user_expressions={"double": "ue * 2", "broken": "nope("})
        reply = self.reply(msg_id)["content"]
        self.outputs(msg_id)
        self.assertEqual(reply["user_expressions"]["double"]["data"]["text/plain"], "42")
        self.assertEqual(reply["user_expressions"]["broken"]["status"], "error")
        count = reply["execution_count"]
        msg_id = self.kc.execute("console.log('quiet'); 5", silent=True)
        reply = self.reply(msg_id)["content"]
        outputs = self.outputs(msg_id)
        self.assertEqual(reply["status"], "ok")
        self.assertEqual([m["msg_type"] for m in outputs if m["msg_type"] in ("execute_input", "execute_result")], [])
        msg_id = self.kc.execute("6", store_history=False)
        self.assertEqual(self.reply(msg_id)["content"]["execution_count"], count)
        self.outputs(msg_id)

    def test_kernel_info_on_control_channel(self):
        msg = self.kc.session.msg("kernel_info_request", {})
        self.kc.control_channel.send(msg)
        reply = self.kc.get_control_msg(timeout=10)
        self.assertEqual(reply["msg_type"], "kernel_info_reply")
        self.assertEqual(reply["content"]["language_info"]["name"], "typescript")
        self.assertEqual(reply["content"]["status"], "ok")

    def test_tfjs_banner_does_not_reach_cells(self):
        content, outputs = self.run_cell("import * as tf2 from '@tensorflow/tfjs'; tf2.tensor([1, 2]).sum().dataSync()[0]")
        self.assertEqual(content["status"], "ok")
        text = "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
        self.assertNotIn("node backend", text)


class RestartTests(KernelSession):
    def test_restart_gives_a_fresh_kernel_and_keeps_history(self):
        self.value("const beforeRestart = 'old'; beforeRestart")
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.flush()
        content, _ = self.run_cell("beforeRestart")
        self.assertEqual(content["status"], "error")
        self.assertEqual(self.value("'new session'"), "'new session'")
        msg_id = self.kc.history(hist_access_type="search", pattern="const beforeRestart*", output=False, raw=True)
        history = self.reply(msg_id)["content"]["history"]
        self.assertGreaterEqual(len(history), 1)


if __name__ == "__main__":
    unittest.main()
