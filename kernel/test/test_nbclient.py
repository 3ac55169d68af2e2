"""A notebook executed top to bottom by nbclient with the dl-workbook kernel, from a directory
outside the package (so `dl-workbook/...` and `@tensorflow/tfjs` must resolve to the package's
own copies, for the type checker and at run time). Run by kernel/nbclient.test.ts."""
import os
import tempfile
import unittest

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

CELLS = [
    "import * as tf from '@tensorflow/tfjs';\nimport { createDisplayHandle } from 'dl-workbook/display';\nconst x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);\nx",
    "const handle = createDisplayHandle('step 0');\nfor (let step = 1; step <= 3; step++) handle.update(`step ${step}`);\nconsole.log('trained')",
    "display({ data: [{ x: [1, 2, 3], y: [2, 4, 9], type: 'scatter' }], layout: { title: { text: 'loss' } } })",
    "display.markdown('**bold** and $x^2$')",
    "const total: number = x.sum().dataSync()[0];\ntotal",
]


class NbclientTests(unittest.TestCase):
    def test_notebook_runs_top_to_bottom(self):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "dl-workbook", "display_name": "TypeScript (DL Workbook)", "language": "typescript"}
        nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
        with tempfile.TemporaryDirectory() as cwd:
            NotebookClient(nb, timeout=120, kernel_name="dl-workbook", resources={"metadata": {"path": cwd}}).execute()
        outputs = [cell.outputs for cell in nb.cells]
        self.assertEqual(outputs[0][0]["output_type"], "execute_result")
        self.assertIn("<table", outputs[0][0]["data"]["text/html"])
        self.assertIn("Tensor float32 [2, 3]", outputs[0][0]["data"]["text/plain"])
        # The display handle's updates replace the first display in place.
        displays = [o for o in outputs[1] if o["output_type"] == "display_data"]
        self.assertEqual([d["data"]["text/plain"] for d in displays], ["'step 3'"])
        self.assertIn("trained", "".join(o.get("text", "") for o in outputs[1]))
        plot = outputs[2][0]["data"]
        self.assertEqual(plot["application/vnd.plotly.v1+json"]["data"][0]["y"], [2, 4, 9])
        self.assertIn("Plotly.newPlot", plot["text/html"])
        self.assertEqual(outputs[3][0]["data"]["text/markdown"], "**bold** and $x^2$")
        self.assertEqual(outputs[4][0]["data"]["text/plain"], "21")
        self.assertEqual(nb.cells[4].execution_count, 5)

    def test_failing_cell_stops_the_notebook_with_the_cell_error(self):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("const n: number = 'three'"), nbformat.v4.new_code_cell("1")]
        with tempfile.TemporaryDirectory() as cwd:
            client = NotebookClient(nb, timeout=60, kernel_name="dl-workbook", resources={"metadata": {"path": cwd}})
            with self.assertRaises(CellExecutionError) as caught:
                client.execute()
        self.assertIn("TypeScriptError", str(caught.exception))
        self.assertIn("line 1, column 7", str(caught.exception))
        self.assertEqual(nb.cells[1].outputs, [])


    def test_interact_under_nbclient(self):
        """nbclient as a headless widget front end: it saves the widget state into the notebook and, as for
        ipywidgets, routes what interact's first draw shows into its Output widget's saved outputs."""
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "dl-workbook", "display_name": "TypeScript (DL Workbook)", "language": "typescript"}
        nb.cells = [
            nbformat.v4.new_code_cell(
                'import { slider, interact } from "dl-workbook/widgets";\n'
                'const k = slider({ min: 1, max: 5, step: 1, value: 2, integer: true, description: "k" });\n'
                "const w = interact(({ k }) => { console.log(`k is ${k}`); return k * k; }, { k });\nw"
            ),
            nbformat.v4.new_code_cell("k.value"),
        ]
        with tempfile.TemporaryDirectory() as cwd:
            NotebookClient(nb, timeout=120, kernel_name="dl-workbook", resources={"metadata": {"path": cwd}}).execute()
        view = nb.cells[0].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
        state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
        self.assertEqual(state[view["model_id"]]["model_name"], "VBoxModel")
        models = {m["model_name"]: m["state"] for m in state.values()}
        self.assertEqual((models["IntSliderModel"]["value"], models["IntSliderModel"]["description"]), (2, "k"))
        captured = models["OutputModel"]["outputs"]
        self.assertEqual([o.get("text") or o["data"]["text/plain"] for o in captured], ["k is 2\n", "4"])
        self.assertEqual(nb.cells[1].outputs[0]["data"]["text/plain"], "2")


if __name__ == "__main__":
    unittest.main()
