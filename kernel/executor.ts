/**
 * Runs cells: TypeScript -> type check and convert (tslab's converter) -> run in this V8 context.
 *
 * Variables live on one `exports` object shared by all cells (tslab's scheme: later cells read
 * `exports.x`), so an interrupted or failed cell leaves what earlier cells defined untouched.
 * A synchronous cell runs with vm's `breakOnSigint`, so the SIGINT that the wire thread sends on
 * interrupt_request breaks `while (true) {}`; an awaited promise is raced against an interrupt.
 */
import * as vm from "vm";
import { LocalModules } from "./local-modules";
import { createCellRequire, createConverter, hasSyntaxErrors, isCompleteCode, tslabTypeScript } from "./typescript";
import type { CompletionInfo, Converter, ConvertResult, Diagnostic } from "./typescript";
import { mapStack, cellFileName, SourceMapper } from "./traceback";
import { CELL_GLOBALS_DECLARATION } from "./cell-globals";
import { addLoopChecks } from "./loop-checks";
import { hasTopLevelAwait, rewriteCell } from "./cell-rewrite";
import type { ConversionCache, ConversionRecorder } from "./conversion-cache";

/** A cell that ran to the end; `value` is its last expression when it has one. */
export interface CellSuccess {
  status: "ok";
  hasValue: boolean;
  value?: unknown;
}

/** A cell that failed to compile, threw, or was interrupted, in the Jupyter error format. */
export interface CellError {
  status: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export type CellOutcome = CellSuccess | CellError;

/** Raised (as a rejection) into the awaited part of a cell when the user interrupts it. */
export class InterruptError extends Error {
  constructor() {
    super("the cell was interrupted (Kernel > Interrupt); variables defined before it are kept");
    this.name = "Interrupted";
  }
}

/** A value that holds any cell variable. */
type Locals = Record<string, unknown>;

export class Executor {
  private converter?: Converter;
  private prevDecl = "";
  private readonly locals: Locals;
  private readonly exportsProxy: Locals;
  private readonly cellRequire: NodeJS.Require;
  /** The notebook folder's own .ts files that cells import, compiled with them. */
  private readonly localModules = new LocalModules();
  private rejectInterrupt?: (err: unknown) => void;
  private readonly mapper = new SourceMapper();

  /**
   * `interrupted` tells whether the user asked to interrupt (the shared flag); loops in cells check it.
   * `onRequire` sees every module a cell loads. `conversions`: recorded conversions to take for
   * cells they hold, and where to record this executor's own (kernel/conversion-cache.ts).
   */
  constructor(
    cwd: string,
    onRequire?: (id: string, exported: unknown) => void,
    interrupted: () => boolean = () => false,
    private readonly conversions: { cache?: ConversionCache; recorder?: ConversionRecorder } = {},
  ) {
    // No prototype: a cell variable named `__proto__` (or `constructor`) is a plain property like any other.
    this.locals = Object.create(null) as Locals;
    const locals = this.locals;
    // TypeScript compiles named imports to defineProperty(getter); store the value so it stays rewritable (as tslab does).
    this.exportsProxy = new Proxy(locals, {
      defineProperty: (_target, prop, attributes) => {
        if (prop === "__esModule") return true;
        locals[prop as string] = attributes.get ? attributes.get() : attributes.value;
        return true;
      },
    });
    this.cellRequire = createCellRequire(cwd, onRequire, this.localModules);
    const checkInterrupt = (): void => {
      if (interrupted()) throw new InterruptError();
    };
    const install = vm.runInThisContext("(x) => { globalThis.__dlwb__ = x; }") as (host: { exports: Locals; require: NodeJS.Require; checkInterrupt(): void }) => void;
    install({ exports: this.exportsProxy, require: this.cellRequire, checkInterrupt });
  }

  /** Loads the TypeScript compiler (a few hundred ms); called early so the first cell does not wait. */
  warmUp(): void {
    if (this.converter) return;
    const prime = this.conversions.cache?.prime;
    this.converter = createConverter(prime);
    // primed, the first program already holds what the cells will import (and type checks nothing)
    if (!prime) this.converter.convert(CELL_GLOBALS_DECLARATION, "");
  }

  private conv(): Converter {
    this.warmUp();
    return this.converter!;
  }

  /** The declarations every cell sees: the kernel's globals, then what earlier cells declared. */
  private declarations(): string {
    return CELL_GLOBALS_DECLARATION + "\n" + this.prevDecl;
  }

  /** Stops the TypeScript service's file watchers, so a process that used this executor can exit. */
  dispose(): void {
    this.converter?.close();
    this.converter = undefined;
  }

  /** Interrupts the awaited part of the running cell, if any. */
  interrupt(): void {
    this.rejectInterrupt?.(new InterruptError());
  }

  /** Ends the awaited part of the running cell with `err` (an error from its timer or promise); false when nothing is awaited. */
  failRunning(err: unknown): boolean {
    if (!this.rejectInterrupt) return false;
    this.rejectInterrupt(err instanceof Error ? err : new Error(String(err)));
    return true;
  }

  /** Type checks, converts and runs one cell. `cell` numbers it in tracebacks. */
  async run(code: string, cell: number, interruptedAlready: () => boolean): Promise<CellOutcome> {
    const ts = tslabTypeScript();
    const rewrite = rewriteCell(ts, code);
    const declarations = this.declarations();
    const recorded = this.conversions.cache?.get(declarations, rewrite.code);
    const converted = recorded ?? withLoopChecks(this.conv().convert(declarations, rewrite.code));
    this.conversions.recorder?.add(declarations, rewrite.code, converted);
    if (converted.diagnostics.length > 0)
      return typeErrors(
        converted.diagnostics.map((d) => toCellPositions(d, code, rewrite.toOriginal)),
        code,
        cell,
      );
    // A cell that type checks defines its names for later cells, also when it throws or is
    // interrupted while running: what it defined before that stays defined, values and types
    // alike, as in IPython (names declared after the throw keep their type but hold undefined).
    this.prevDecl = stripGlobals(converted.declOutput ?? "");
    if (converted.sideOutputs) this.localModules.update(converted.sideOutputs);
    if (!converted.output) return { status: "ok", hasValue: false };
    const fileName = cellFileName(cell);
    const isAsync = converted.hasToplevelAwait === true || hasTopLevelAwait(ts, rewrite.code);
    const prefix = isAsync ? "(async function (exports, require) {\n" : "(function (exports, require) {\n";
    // set on every conversion that gets here (withLoopChecks), recorded ones included
    const output = converted.checkedOutput ?? addLoopChecks(converted.output);
    const wrapped = `${prefix}${output}\n})(__dlwb__.exports, __dlwb__.require)`;
    this.mapper.register(fileName, code, output, 1);
    let result: unknown;
    try {
      result = vm.runInThisContext(wrapped, { filename: fileName, breakOnSigint: true, displayErrors: false });
      if (isAsync) {
        const interrupted = new Promise<never>((_, reject) => {
          this.rejectInterrupt = reject;
        });
        if (interruptedAlready()) this.rejectInterrupt!(new InterruptError());
        await Promise.race([result as Promise<unknown>, interrupted]);
      }
      // An interrupt that stopped tfjs training lets fit() resolve normally: the cell still counts as interrupted.
      if (interruptedAlready()) throw new InterruptError();
    } catch (err) {
      return this.runtimeError(err);
    } finally {
      this.rejectInterrupt = undefined;
    }
    if (converted.lastExpressionVar && converted.lastExpressionVar in this.locals) {
      const value = this.locals[converted.lastExpressionVar];
      delete this.locals[converted.lastExpressionVar];
      return { status: "ok", hasValue: value !== undefined, value };
    }
    return { status: "ok", hasValue: false };
  }

  /** An error thrown at run time, in the Jupyter format with its stack mapped to cell lines. */
  runtimeError(err: unknown): CellError {
    if (err instanceof Error && /Script execution was interrupted by `SIGINT`/.test(err.message)) {
      const interrupted = new InterruptError();
      return { status: "error", ename: interrupted.name, evalue: interrupted.message, traceback: [`${interrupted.name}: ${interrupted.message}`] };
    }
    if (err instanceof InterruptError) return { status: "error", ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message}`] };
    if (err instanceof Error) {
      const ename = err.name || "Error";
      const stack = mapStack(err.stack ?? `${ename}: ${err.message}`, this.mapper);
      return { status: "error", ename, evalue: err.message, traceback: stack.split("\n") };
    }
    const text = describeThrown(err);
    return { status: "error", ename: "Thrown", evalue: text, traceback: [`Uncaught ${text} (a value that is not an Error was thrown)`] };
  }

  /** Quick info (type and TSDoc) at `position` of `code`, for inspect_request. */
  inspect(code: string, position: number): { text: string; found: boolean } {
    const info = this.conv().inspect(this.declarations(), code, position);
    if (!info) return { text: "", found: false };
    const signature = (info.displayParts ?? []).map((part) => part.text).join("");
    const docs = (info.documentation ?? []).map((part) => part.text).join("");
    const tags = (info.tags ?? []).map((tag) => `@${tag.name} ${(tag.text ?? []).map((part) => part.text).join("")}`).join("\n");
    return { text: [signature, docs, tags].filter((s) => s.length > 0).join("\n\n"), found: true };
  }

  /** Completion candidates at `position` of `code`, for complete_request. */
  complete(code: string, position: number): CompletionInfo {
    return this.conv().complete(this.declarations(), code, position);
  }

  /** Whether `code` is a complete cell, an unfinished one (more lines expected), or one with a syntax error. */
  isComplete(code: string): { status: "complete" | "incomplete" | "invalid"; indent?: string } {
    const result = isCompleteCode(code);
    if (!result.completed) return { status: "incomplete", indent: result.indent ?? "" };
    return hasSyntaxErrors(code) ? { status: "invalid" } : { status: "complete" };
  }

  /** Defines a name every cell sees (display, input, ...). Cells reach kernel globals through `exports`, like their own variables. */
  defineGlobal(name: string, value: unknown): void {
    this.locals[name] = value;
  }

  /** The cell variables (for user_expressions and tests). */
  get variables(): Readonly<Locals> {
    return this.locals;
  }

  /** Evaluates a JavaScript expression against the cell variables (user_expressions). */
  evaluate(expression: string): unknown {
    // A sloppy-mode `with` sees every cell variable, whatever its name.
    const fn = vm.runInThisContext(`(function (__locals) { with (__locals) { return (${expression}\n); } })`, {
      filename: "user_expression",
      displayErrors: false,
    }) as (locals: Locals) => unknown;
    return fn(this.locals);
  }
}

/**
 * A conversion with its JavaScript's interrupt checks (loop-checks.ts) added once, so that a
 * recorded conversion carries them and a kernel taking it does not transpile the cell again.
 * A conversion with type errors never runs and gets none.
 */
function withLoopChecks(converted: ConvertResult): ConvertResult {
  if (!converted.output || converted.diagnostics.length > 0) return converted;
  return { ...converted, checkedOutput: addLoopChecks(converted.output) };
}

/** Removes the kernel's global declarations from a declaration output so they are not repeated. */
function stripGlobals(decl: string): string {
  return decl.includes("declare global") ? decl.replace(CELL_GLOBALS_DECLARATION, "") : decl;
}

/** A diagnostic of the rewritten cell (cell-rewrite.ts) with its offsets, lines and columns in the cell as written. */
function toCellPositions(d: Diagnostic, code: string, toOriginal: (offset: number) => number): Diagnostic {
  if (d.fileName) return d;
  const at = (offset: number): Diagnostic["start"] => {
    const original = Math.min(code.length, toOriginal(offset));
    const before = code.slice(0, original);
    const line = before.split("\n").length - 1;
    return { offset: original, line, character: original - (before.lastIndexOf("\n") + 1) };
  };
  return { ...d, start: at(d.start.offset), end: at(d.end.offset) };
}

/** Type errors as one Jupyter error: every diagnostic with its cell line, column and the code line. */
function typeErrors(diagnostics: Diagnostic[], code: string, cell: number): CellError {
  const lines = code.split("\n");
  const traceback: string[] = [];
  for (const d of diagnostics) {
    const where = d.fileName ? `${d.fileName} line ${d.start.line + 1}, column ${d.start.character + 1}` : `cell [${cell}] line ${d.start.line + 1}, column ${d.start.character + 1}`;
    traceback.push(`${where}: ${d.messageText} (TS${d.code})`);
    if (!d.fileName && lines[d.start.line] !== undefined) {
      traceback.push(`    ${lines[d.start.line]}`);
      const width = d.start.line === d.end.line ? Math.max(1, d.end.character - d.start.character) : 1;
      traceback.push(`    ${" ".repeat(d.start.character)}${"^".repeat(width)}`);
    }
  }
  const first = diagnostics[0];
  const firstWhere = first.fileName ? `${first.fileName} line ${first.start.line + 1}` : `line ${first.start.line + 1}, column ${first.start.character + 1}`;
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "";
  return { status: "error", ename: "TypeScriptError", evalue: `${firstWhere}: ${first.messageText}${more}`, traceback };
}

function describeThrown(value: unknown): string {
  try {
    return typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
