/**
 * The notebook folder's own TypeScript files, imported by cells: `import { augment } from "./data-utils"`.
 *
 * They are type checked and compiled together with the cell that first imports them (tslab's
 * converter returns their JavaScript as "side outputs"); there is no .js file on disk for Node to
 * load. This keeps that JavaScript and loads it when a cell, or another such file, requires it.
 * An edited file is compiled again by the next cell that imports it, and loaded afresh.
 */
import * as path from "path";
import * as vm from "vm";

/** A compiled local file: the converter's side output. */
export interface CompiledFile {
  /** Where its JavaScript would live: `<folder>/<name>.js` for `<folder>/<name>.ts`. */
  path: string;
  /** Its CommonJS code. */
  data: string;
}

export class LocalModules {
  private readonly compiled = new Map<string, string>();
  private readonly loaded = new Map<string, { exports: unknown }>();

  /** Takes newly compiled files; a file compiled again is loaded afresh on its next require. */
  update(files: readonly CompiledFile[]): void {
    for (const file of files) {
      this.compiled.set(path.resolve(file.path), file.data);
      this.loaded.delete(path.resolve(file.path));
    }
  }

  /**
   * The exports of `id` required from folder `dir` when it names a compiled local file
   * (`./x`, `./x.js`, `./x.ts` or a folder's `index`); undefined otherwise.
   * `requireFrom(dir)` is the `require` its own code gets, relative to its folder.
   */
  load(id: string, dir: string, requireFrom: (dir: string) => NodeJS.Require): unknown {
    if (!id.startsWith(".") && !path.isAbsolute(id)) return undefined;
    const base = path.resolve(dir, id).replace(/\.ts$/, "");
    const file = [base, `${base}.js`, path.join(base, "index.js")].find((f) => this.compiled.has(f));
    if (!file) return undefined;
    const done = this.loaded.get(file);
    if (done) return done.exports;
    const module = { exports: {} as unknown };
    // cached before it runs, so two files that import each other see each other's partial exports, as in Node
    this.loaded.set(file, module);
    try {
      const body = vm.compileFunction(this.compiled.get(file)!, ["exports", "require", "module", "__filename", "__dirname"], { filename: file });
      body.call(module.exports, module.exports, requireFrom(path.dirname(file)), module, file, path.dirname(file));
    } catch (err) {
      this.loaded.delete(file);
      throw err;
    }
    return module.exports;
  }
}
