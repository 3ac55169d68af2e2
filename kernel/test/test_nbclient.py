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


if __name__ == "__main__":
    unittest.main()
