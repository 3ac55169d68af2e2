"""The kernel under Node's permission model, as the grader runs it: reads allowed only in the
package and the temporary directory, no writes. Cells still type check and run tfjs, and
history degrades to memory. Run by kernel/sandboxed.test.ts, which installs the kernelspec with
the permission flags."""
import tempfile
import unittest

from jupyter_client.manager import start_new_kernel


class SandboxedKernelTests(unittest.TestCase):
    def test_cells_run_with_only_package_and_cwd_readable(self):
        with tempfile.TemporaryDirectory() as cwd:
            km, kc = start_new_kernel(kernel_name="dl-workbook", startup_timeout=60, cwd=cwd)
            try:
                outputs = []
                reply = kc.execute_interactive(
                    "import * as tf from '@tensorflow/tfjs';\nconst six: number = tf.scalar(2).mul(3).dataSync()[0];\nsix",
                    timeout=120,
                    output_hook=outputs.append,
                )
                self.assertEqual(reply["content"]["status"], "ok", reply["content"])
                results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
                self.assertEqual(results, ["6"])
                reply = kc.execute_interactive("require('fs').readFileSync('/etc/hostname', 'utf8')", timeout=60)
                self.assertEqual(reply["content"]["status"], "error")
                self.assertIn("Access to this API has been restricted", reply["content"]["evalue"])
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=False)


if __name__ == "__main__":
    unittest.main()
