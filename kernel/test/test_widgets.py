"""The Jupyter widgets protocol (2.1.0, ipywidgets 8 models) through jupyter_client, the kernel
driven as a front end drives it: a slider's comm_open, its view displayed, an `update` from the
front end changing the kernel-side `.value` and echoed back, interact's rerun routed to its Output
widget, request_state, a button click, comm_info and jupyter.widget.control. Run by
kernel/widgets.test.ts."""
import time
import unittest
import uuid
from queue import Empty

from jupyter_client.manager import start_new_kernel

TIMEOUT = 60
VIEW = "application/vnd.jupyter.widget-view+json"


class WidgetTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="dl-workbook", startup_timeout=TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

    def outputs(self, msg_id):
        """iopub messages whose parent is msg_id, up to its idle status."""
        found = []
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    return found
                continue
            found.append(msg)
        self.fail("no idle status for %s" % msg_id)

    def reply(self, msg_id):
        while True:
            msg = self.kc.get_shell_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def run_cell(self, code):
        msg_id = self.kc.execute(code)
        reply = self.reply(msg_id)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        return msg_id, self.outputs(msg_id)

    def value(self, code):
        _, outputs = self.run_cell(code)
        return [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"][0]

    def send_comm(self, msg_type, content):
        """Sends a comm message on shell as a front end does; returns the iopub messages it caused."""
        msg = self.kc.session.msg(msg_type, content)
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"], self.outputs(msg["header"]["msg_id"])

    def opened(self, outputs, model_name):
        found = [m for m in outputs if m["msg_type"] == "comm_open" and m["content"]["data"]["state"].get("_model_name") == model_name]
        self.assertEqual(len(found), 1, [m["content"] for m in outputs if m["msg_type"] == "comm_open"])
        return found[0]

    def test_1_slider_opens_displays_and_follows_front_end(self):
        _, outputs = self.run_cell(
            'import { slider, interact, button } from "dl-workbook/widgets";\n'
            'const lr = slider({ min: 0, max: 1, step: 0.1, value: 0.5, description: "learning rate" });\n'
            "lr"
        )
        opened = self.opened(outputs, "FloatSliderModel")
        self.assertEqual(opened["content"]["target_name"], "jupyter.widget")
        self.assertEqual(opened["metadata"], {"version": "2.1.0"})
        state = opened["content"]["data"]["state"]
        self.assertEqual(
            {k: state[k] for k in ("_model_module", "_model_module_version", "_view_name", "value", "min", "max", "step", "description")},
            {"_model_module": "@jupyter-widgets/controls", "_model_module_version": "2.0.0", "_view_name": "FloatSliderView", "value": 0.5, "min": 0, "max": 1, "step": 0.1, "description": "learning rate"},
        )
        self.assertEqual(opened["content"]["data"]["buffer_paths"], [])
        layout = self.opened(outputs, "LayoutModel")
        self.assertEqual(state["layout"], "IPY_MODEL_" + layout["content"]["comm_id"])
        self.assertEqual(layout["content"]["data"]["state"]["_model_module"], "@jupyter-widgets/base")
        comm_id = opened["content"]["comm_id"]
        result = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertEqual(result[VIEW]["model_id"], comm_id)
        self.assertIn("FloatSlider(value=0.5", result["text/plain"])
        # Widget models are listed by comm_info (the front end's reconnect path).
        info_id = self.kc.comm_info(target_name="jupyter.widget")
        self.assertIn(comm_id, self.reply(info_id)["content"]["comms"])
        # The student moves the slider: the front end sends an update; the kernel echoes it with that message as parent.
        msg_id, caused = self.send_comm("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": {"value": 0.8}, "buffer_paths": []}})
        echoes = [m for m in caused if m["msg_type"] == "comm_msg"]
        self.assertEqual([m["content"]["data"] for m in echoes], [{"method": "echo_update", "state": {"value": 0.8}, "buffer_paths": []}])
        self.assertEqual(echoes[0]["parent_header"]["msg_id"], msg_id)
        self.assertEqual(self.value("lr.value"), "0.8")
        # request_state: the whole state back as an update.
        _, caused = self.send_comm("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
        update = [m["content"]["data"] for m in caused if m["msg_type"] == "comm_msg"][0]
        self.assertEqual((update["method"], update["state"]["value"], update["state"]["_model_name"]), ("update", 0.8, "FloatSliderModel"))
        # Kernel code sets the value: an update goes to the front end.
        _, caused = self.run_cell("lr.value = 0.2;")
        sent = [m["content"] for m in caused if m["msg_type"] == "comm_msg"]
        self.assertEqual(sent, [{"comm_id": comm_id, "data": {"method": "update", "state": {"value": 0.2}, "buffer_paths": []}}])

    def test_2_interact_reruns_into_its_output_widget(self):
        cell_id, outputs = self.run_cell(
            'import { slider as s2, interact as i2 } from "dl-workbook/widgets";\n'
            'const beta = s2({ min: 0, max: 1, step: 0.01, value: 0.9, description: "beta" });\n'
            "const shown = i2(({ beta }) => { console.log(`drawn for ${beta}`); return beta * 2; }, { beta });\n"
            "shown"
        )
        out = self.opened(outputs, "OutputModel")
        self.assertEqual((out["content"]["data"]["state"]["_model_module"], out["content"]["data"]["state"]["_model_module_version"]), ("@jupyter-widgets/output", "1.0.0"))
        out_id = out["content"]["comm_id"]
        slider_id = [m for m in outputs if m["msg_type"] == "comm_open" and m["content"]["data"]["state"].get("description") == "beta"][0]["content"]["comm_id"]
        box = self.opened(outputs, "VBoxModel")
        self.assertEqual(box["content"]["data"]["state"]["children"], ["IPY_MODEL_" + slider_id, "IPY_MODEL_" + out_id])
        # The first draw: msg_id set to the cell's request, the output, msg_id cleared.
        routed = [m["msg_type"] + ":" + (m["content"]["data"]["state"]["msg_id"] if m["msg_type"] == "comm_msg" else m["content"].get("text", str(m["content"].get("data", {}).get("text/plain")))) for m in outputs if m["msg_type"] in ("stream", "display_data") or (m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == out_id)]
        self.assertEqual(routed, ["comm_msg:" + cell_id, "stream:drawn for 0.9\n", "display_data:1.8", "comm_msg:"])
        # The student moves the slider: the rerun's outputs carry the comm_msg as parent while the Output's msg_id names it.
        msg_id, caused = self.send_comm("comm_msg", {"comm_id": slider_id, "data": {"method": "update", "state": {"value": 0.5}, "buffer_paths": []}})
        sequence = []
        for m in caused:
            self.assertEqual(m["parent_header"]["msg_id"], msg_id)
            if m["msg_type"] == "comm_msg":
                sequence.append((m["content"]["comm_id"] == out_id and "output" or "slider", m["content"]["data"]["method"], m["content"]["data"]["state"].get("msg_id", m["content"]["data"]["state"].get("value"))))
            else:
                sequence.append((m["msg_type"], m["content"].get("wait", m["content"].get("text", m["content"].get("data", {}).get("text/plain")))))
        self.assertEqual(
            sequence,
            [("slider", "echo_update", 0.5), ("output", "update", msg_id), ("clear_output", True), ("stream", "drawn for 0.5\n"), ("display_data", "1"), ("output", "update", "")],
        )
        self.assertEqual(self.value("[beta.value, shown.runs]"), "[ 0.5, 2 ]")

    def test_3_button_click_and_control_comm(self):
        _, outputs = self.run_cell(
            'import { button as b3 } from "dl-workbook/widgets";\n'
            "let clicks = 0;\n"
            'const again = b3({ description: "again" }).onClick(() => clicks++);\n'
            "again"
        )
        button_id = self.opened(outputs, "ButtonModel")["content"]["comm_id"]
        self.send_comm("comm_msg", {"comm_id": button_id, "data": {"method": "custom", "content": {"event": "click"}}})
        self.assertEqual(self.value("clicks"), "1")
        # ipywidgets 8's fast reload: jupyter.widget.control answers request_states with every model.
        control_id = uuid.uuid4().hex
        _, caused = self.send_comm("comm_open", {"comm_id": control_id, "target_name": "jupyter.widget.control", "data": {}})
        self.assertEqual([m for m in caused if m["msg_type"] == "comm_close"], [])
        _, caused = self.send_comm("comm_msg", {"comm_id": control_id, "data": {"method": "request_states"}})
        states = [m["content"]["data"] for m in caused if m["msg_type"] == "comm_msg"][0]
        self.assertEqual(states["method"], "update_states")
        self.assertEqual(states["states"][button_id]["model_name"], "ButtonModel")
        self.assertEqual(states["states"][button_id]["state"]["description"], "again")


if __name__ == "__main__":
    unittest.main()
