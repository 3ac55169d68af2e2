"""The jupyter_kernel_test suite (Debian's python3-jupyter-kernel-test) against the installed
dl-workbook kernelspec. Run by kernel/conformance.test.ts with JUPYTER_PATH pointing at a
temporary prefix that holds the kernelspec."""
import unittest

import jupyter_kernel_test


class DlWorkbookKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "dl-workbook"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    completion_samples = [
        {"text": "Math.flo", "matches": {"floor"}},
        {"text": "const alphaBetaGamma = 1;\nalphaBeta", "matches": {"alphaBetaGamma"}},
    ]
    complete_code_samples = ["1 + 1", "const x: number = 3;", "function f() {\n  return 1;\n}"]
    incomplete_code_samples = ["function f() {", "const xs = [1, 2,", "if (true) {"]
    invalid_code_samples = ["const = 5;", "let 3x = 1;"]

    code_generate_error = 'throw new Error("this error is on purpose")'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "const greeting: string = 'hi'; greeting.length", "result": "2"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
    ]
    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.markdown("# Title")', "mime": "text/markdown"},
        {"code": 'display.latex("$x^2$")', "mime": "text/latex"},
        {"code": 'display.svg("<svg xmlns=\'http://www.w3.org/2000/svg\'></svg>")', "mime": "image/svg+xml"},
        {"code": "display.png(new Uint8Array([137, 80, 78, 71]))", "mime": "image/png"},
        {"code": 'display({ [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<i>own</i>" }) })', "mime": "text/html"},
    ]
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6 *"
    code_inspect_sample = "Math.floor"
    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main()
