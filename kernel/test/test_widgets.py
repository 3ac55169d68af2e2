"""The Jupyter widgets protocol (2.1.0, ipywidgets 8 models) through jupyter_client, the kernel
driven as a front end drives it: a slider's comm_open, its view displayed, an `update` from the
front end changing the kernel-side `.value` and echoed back, interact's rerun routed to its Output
widget, request_state, a button click, comm_info and jupyter.widget.control. Then protocol 1
(ipywidgets 6 models, what Notebook 6.4 with Debian's jupyter-js-widgets 2.1.4 speaks) in a
second kernel: the jupyter.widget.version handshake, top-level comm_open state, the `display`
message, `backbone` updates, a Dropdown's label, and the switch back when a protocol-2 front end
opens jupyter.widget.control. Run by kernel/widgets.test.ts."""
import unittest
import uuid

from kernel.test.test_protocol import TIMEOUT, KernelSession

VIEW = "application/vnd.jupyter.widget-view+json"


class KernelClient(KernelSession):
    """A kernel per test class (KernelSession's, from the protocol tests) and the helpers both widget protocols' tests use."""

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


class WidgetTests(KernelClient):
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


class Protocol1Tests(KernelClient):
    """What Notebook 6.4 with jupyter-js-widgets 2.1.4 (widgetsnbextension 2.0.0) sends and reads."""

    def opened1(self, outputs, model_name):
        """Protocol 1: the comm_open's data is the state itself."""
        found = [m for m in outputs if m["msg_type"] == "comm_open" and m["content"]["data"].get("_model_name") == model_name]
        self.assertEqual(len(found), 1, [m["content"] for m in outputs if m["msg_type"] == "comm_open"])
        return found[0]

    def test_1_handshake_slider_interact_backbone(self):
        # The front end opens jupyter.widget.version as it connects; the kernel asks for ~2.1.4; the front end validates.
        version_id = uuid.uuid4().hex
        open_id, caused = self.send_comm("comm_open", {"comm_id": version_id, "target_name": "jupyter.widget.version", "data": {}})
        asked = [m for m in caused if m["msg_type"] == "comm_msg"]
        self.assertEqual([(m["content"]["comm_id"], m["content"]["data"]) for m in asked], [(version_id, {"version": "~2.1.4"})])
        self.assertEqual(asked[0]["parent_header"]["msg_id"], open_id)
        self.send_comm("comm_msg", {"comm_id": version_id, "data": {"validated": True, "frontend_version": "2.1.4"}})
        self.assertEqual(self.value('import { widgetFrontEnd } from "dl-workbook/widgets";\nwidgetFrontEnd()'), "{ protocol: 1, frontendVersion: '2.1.4', validated: true }")
        cell_id, outputs = self.run_cell(
            'import { slider, interact } from "dl-workbook/widgets";\n'
            'const beta = slider({ min: 0, max: 1, step: 0.01, value: 0.9, description: "beta" });\n'
            "const shown = interact(({ beta }) => { console.log(`drawn for ${beta}`); }, { beta });\n"
            "shown"
        )
        opened = self.opened1(outputs, "FloatSliderModel")
        self.assertEqual((opened["content"]["target_name"], opened["metadata"]), ("jupyter.widget", {}))
        state = opened["content"]["data"]
        self.assertNotIn("state", state)
        self.assertEqual(
            {k: state[k] for k in ("_model_module", "_model_module_version", "_view_module", "_view_name", "value", "min", "max", "description")},
            {"_model_module": "jupyter-js-widgets", "_model_module_version": "~2.1.4", "_view_module": "jupyter-js-widgets", "_view_name": "FloatSliderView", "value": 0.9, "min": 0, "max": 1, "description": "beta"},
        )
        slider_id = opened["content"]["comm_id"]
        out_id = self.opened1(outputs, "OutputModel")["content"]["comm_id"]
        self.assertEqual(self.opened1(outputs, "VBoxModel")["content"]["data"]["_model_module"], "jupyter-js-widgets")
        box_id = self.opened1(outputs, "VBoxModel")["content"]["comm_id"]
        # Displayed: a `display` comm message on the shown widget, then the widget-view output with only its model id.
        shown = [(m["msg_type"], m["content"].get("comm_id"), m["content"].get("data")) for m in outputs if m["msg_type"] == "execute_result" or (m["msg_type"] == "comm_msg" and m["content"]["data"].get("method") == "display")]
        self.assertEqual(shown, [("comm_msg", box_id, {"method": "display"}), ("execute_result", None, {VIEW: {"model_id": box_id}})])
        self.assertTrue(all(m["parent_header"]["msg_id"] == cell_id for m in outputs))
        # The student moves the slider: a backbone sync; no echo; the rerun is routed to the Output widget.
        msg_id, caused = self.send_comm("comm_msg", {"comm_id": slider_id, "data": {"method": "backbone", "sync_data": {"value": 0.3}, "buffer_keys": []}})
        sequence = [(m["content"]["comm_id"] == out_id and "output" or m["content"]["comm_id"], m["content"]["data"]) if m["msg_type"] == "comm_msg" else (m["msg_type"], m["content"].get("wait", m["content"].get("text"))) for m in caused]
        self.assertEqual(
            sequence,
            [("output", {"method": "update", "state": {"msg_id": msg_id}, "buffers": []}), ("clear_output", True), ("stream", "drawn for 0.3\n"), ("output", {"method": "update", "state": {"msg_id": ""}, "buffers": []})],
        )
        self.assertEqual(self.value("[beta.value, shown.runs]"), "[ 0.3, 2 ]")
        # A throttled sync carries sync_method "update" with the same sync_data.
        self.send_comm("comm_msg", {"comm_id": slider_id, "data": {"method": "backbone", "sync_method": "update", "sync_data": {"value": 0.4}}})
        self.assertEqual(self.value("beta.value"), "0.4")
        # request_state (a reloaded page): the whole state as a protocol-1 update.
        _, caused = self.send_comm("comm_msg", {"comm_id": slider_id, "data": {"method": "request_state"}})
        update = [m["content"]["data"] for m in caused if m["msg_type"] == "comm_msg"][0]
        self.assertEqual((update["method"], update["buffers"], update["state"]["value"], update["state"]["_model_name"], update["state"]["_model_module"]), ("update", [], 0.4, "FloatSliderModel", "jupyter-js-widgets"))
        # Kernel code sets the value.
        _, caused = self.run_cell("beta.value = 0.2;")
        sent = [m["content"]["data"] for m in caused if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == slider_id]
        self.assertEqual(sent, [{"method": "update", "state": {"value": 0.2}, "buffers": []}])

    def test_2_dropdown_label_and_switch_back(self):
        _, outputs = self.run_cell(
            'import { dropdown } from "dl-workbook/widgets";\n'
            'const pick = dropdown({ options: [1, 2, 3], labels: ["one", "two", "three"], value: 2, description: "n" });\n'
            "pick"
        )
        opened = self.opened1(outputs, "DropdownModel")
        self.assertEqual((opened["content"]["data"]["value"], "index" in opened["content"]["data"], opened["content"]["data"]["_options_labels"]), ("two", False, ["one", "two", "three"]))
        # jupyter-js-widgets 2.1.4 has no DescriptionStyleModel: the style is its plain StyleModel.
        self.assertEqual(len([m for m in outputs if m["msg_type"] == "comm_open" and m["content"]["data"].get("_model_name") == "StyleModel"]), 1)
        self.send_comm("comm_msg", {"comm_id": opened["content"]["comm_id"], "data": {"method": "backbone", "sync_data": {"value": "three"}, "buffer_keys": []}})
        self.assertEqual(self.value("pick.value"), "3")
        # A protocol-2 front end connects to the same kernel (it opens jupyter.widget.control): new models are protocol 2 again.
        self.send_comm("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget.control", "data": {}})
        _, outputs = self.run_cell('import { slider as s2 } from "dl-workbook/widgets";\ns2({ min: 0, max: 1 })')
        self.assertEqual(self.opened(outputs, "FloatSliderModel")["metadata"], {"version": "2.1.0"})


if __name__ == "__main__":
    unittest.main()
