/** The kernelspec (install into a prefix, list, uninstall) and the `workbook kernel` command line. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { installKernelspec, LAUNCHER_NAME, listKernelspecs, uninstallKernelspec } from "./kernelspec";
import type { KernelJson } from "./kernelspec";
import { builtLabextension, LABEXTENSION_NAME } from "./labextension";
import { main } from "./cli";

test("installKernelspec writes kernel.json and logos into <prefix>/share/jupyter/kernels/dl-workbook", () => {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-spec-"));
  // without the snapshot: node and the kernel script
  const dir = installKernelspec({ scope: "prefix", prefix, quiet: true, snapshot: false });
  assert.equal(dir, path.join(prefix, "share", "jupyter", "kernels", "dl-workbook"));
  assert.equal(fs.existsSync(path.join(dir, LAUNCHER_NAME)), false);
  const spec = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8")) as KernelJson;
  assert.equal(spec.display_name, "TypeScript (DL Workbook)");
  assert.equal(spec.language, "typescript");
  assert.equal(spec.interrupt_mode, "message");
  assert.equal(spec.argv[0], process.execPath);
  assert.ok(path.isAbsolute(spec.argv[1]) && spec.argv[1].endsWith(path.join("dist", "kernel", "main.js")));
  assert.ok(fs.existsSync(spec.argv[1]));
  assert.equal(spec.argv[2], "{connection_file}");
  for (const logo of ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]) assert.ok(fs.existsSync(path.join(dir, logo)), logo);
  // The course's JupyterLab extension beside it, laid out as Lab reads it: package.json whose
  // _build.load names the remoteEntry under static/, and install.json.
  assert.ok(builtLabextension(), "the Lab extension is built (npm run build:labextension)");
  const ext = path.join(prefix, "share", "jupyter", "labextensions", LABEXTENSION_NAME);
  const extPkg = JSON.parse(fs.readFileSync(path.join(ext, "package.json"), "utf8")) as { name: string; jupyterlab: { _build: { load: string; mimeExtension?: string; extension?: string } } };
  assert.equal(extPkg.name, LABEXTENSION_NAME);
  assert.match(extPkg.jupyterlab._build.load, /^static\/remoteEntry\.[0-9a-f]+\.js$/);
  assert.ok(fs.existsSync(path.join(ext, extPkg.jupyterlab._build.load)), "the remoteEntry file is installed");
  assert.equal(extPkg.jupyterlab._build.mimeExtension, "./mimeExtension");
  assert.equal(extPkg.jupyterlab._build.extension, "./extension");
  assert.equal((JSON.parse(fs.readFileSync(path.join(ext, "install.json"), "utf8")) as { packageName: string }).packageName, "dl-workbook");
  // The widget manager beside it, with its settings schema.
  const widgets = path.join(prefix, "share", "jupyter", "labextensions", "@jupyter-widgets", "jupyterlab-manager");
  const widgetsLoad = (JSON.parse(fs.readFileSync(path.join(widgets, "package.json"), "utf8")) as { jupyterlab: { _build: { load: string } } }).jupyterlab._build.load;
  assert.ok(fs.existsSync(path.join(widgets, widgetsLoad)), "the widget manager's remoteEntry is installed");
  assert.ok(fs.existsSync(path.join(widgets, "schemas", "@jupyter-widgets", "jupyterlab-manager", "plugin.json")), "with its settings schema");
  // Idempotent. (The default install, with the snapshot and its launcher, is tested in kernelspec-snapshot.test.ts.)
  assert.equal(installKernelspec({ scope: "prefix", prefix, quiet: true, snapshot: false }), dir);
  const saved = process.env.JUPYTER_PATH;
  process.env.JUPYTER_PATH = path.join(prefix, "share", "jupyter");
  try {
    assert.ok(listKernelspecs().some((found) => found.dir === dir));
  } finally {
    if (saved === undefined) delete process.env.JUPYTER_PATH;
    else process.env.JUPYTER_PATH = saved;
  }
  assert.equal(uninstallKernelspec({ scope: "prefix", prefix, quiet: true }), dir);
  assert.equal(fs.existsSync(dir), false);
  assert.equal(fs.existsSync(ext), false, "uninstall removes the Lab extension too");
  assert.equal(fs.existsSync(widgets), false, "and the widget manager it installed");
  // A widget manager that another installer (jupyterlab_widgets) put there is left alone.
  fs.mkdirSync(widgets, { recursive: true });
  fs.writeFileSync(path.join(widgets, "package.json"), "{}");
  uninstallKernelspec({ scope: "prefix", prefix, quiet: true });
  assert.ok(fs.existsSync(path.join(widgets, "package.json")), "a widget manager without our install.json stays");
  assert.equal(uninstallKernelspec({ scope: "prefix", prefix, quiet: true }), undefined);
});

test("workbook kernel: --help on every subcommand, errors for unknown options", async () => {
  const logged: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (text: string) => logged.push(text);
  console.error = (text: string) => logged.push(text);
  try {
    assert.equal(await main(["--help"]), 0);
    for (const sub of ["install", "uninstall", "list", "start"]) {
      assert.equal(await main([sub, "--help"]), 0);
      assert.match(logged[logged.length - 1], new RegExp(`workbook kernel ${sub}`));
    }
    assert.equal(await main(["install", "--bogus"]), 2);
    assert.equal(logged[logged.length - 1], "workbook kernel install: unknown option --bogus; see workbook kernel install --help");
    assert.equal(await main(["install", "--prefix"]), 2);
    assert.equal(logged[logged.length - 1], "workbook kernel install: option --prefix needs a value; see workbook kernel install --help");
    assert.equal(await main(["uninstall", "--no-snapshot"]), 2, "--no-snapshot is an option of install only");
    assert.equal(await main(["start"]), 2);
    assert.match(logged[logged.length - 1], /^workbook kernel start: give the connection file/);
    assert.equal(await main(["frobnicate"]), 2);
    assert.equal(logged[logged.length - 1], 'workbook kernel: unknown command "frobnicate"; see workbook kernel --help');
    assert.equal(await main(["toString"]), 2, "only the four commands are commands");
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-cli-"));
    assert.equal(await main(["install", "--prefix", prefix, "--no-snapshot"]), 0);
    assert.ok(fs.existsSync(path.join(prefix, "share", "jupyter", "kernels", "dl-workbook", "kernel.json")));
    assert.equal(fs.existsSync(path.join(prefix, "share", "jupyter", "kernels", "dl-workbook", LAUNCHER_NAME)), false);
  } finally {
    console.log = log;
    console.error = error;
  }
});
