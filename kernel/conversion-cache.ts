/**
 * Cell conversions shared by the kernels of one grading run, so that the cells every submission
 * holds unchanged (the released helper and test cells, the grading harness) are type checked once
 * per assignment instead of once per submission.
 *
 * tslab's converter turns (the declarations earlier cells left, the cell's code) into the cell's
 * JavaScript, its declarations and its diagnostics. In a grading kernel that is a function of
 * those two texts alone: the package's declaration files and Node are the same for every kernel,
 * and each kernel runs in a fresh, empty scratch folder beside the others. So a conversion
 * recorded by one kernel is exactly the conversion another kernel would compute for the same
 * two texts, and the lookup is by both texts, whole.
 *
 * - A recording kernel (started with WORKBOOK_RECORD_CONVERSIONS=<file>) writes every conversion it
 *   makes to that file, in order: the grader runs the released notebook in it once per run.
 * - A kernel started with WORKBOOK_CONVERSIONS=<file> (a file the grader wrote, read-only to the
 *   kernel) loads it before its first cell; a cell whose declarations and code match an entry
 *   takes that entry's conversion, any other cell is converted as always. The file's `prime`
 *   declarations are what the kernel's first program is built with (see createConverter).
 *
 * Example: `const cache = ConversionCache.load("/tmp/workbook-conversions-x/conversions.json");
 *   cache?.get(declarations, code) ?? converter.convert(declarations, code)`
 */
import * as fs from "fs";
import * as path from "path";
import { PACKAGE_ROOT } from "./info";
import type { ConvertResult } from "./typescript";
import { tslabTypeScriptPath } from "./typescript";

/** The environment variable naming a conversions file for the kernel to use. */
export const CONVERSIONS_VARIABLE = "WORKBOOK_CONVERSIONS";
/** The environment variable naming the file a recording kernel writes its conversions to (relative: to its working folder). */
export const RECORD_CONVERSIONS_VARIABLE = "WORKBOOK_RECORD_CONVERSIONS";

/** One conversion: the declarations and the (rewritten) code of a cell, and what the converter made of them. */
export interface RecordedConversion {
  declarations: string;
  code: string;
  result: ConvertResult;
}

/** A conversions file: what a recording kernel writes and a grading kernel loads. */
export interface ConversionsFile {
  /** Who made the conversions (see {@link conversionContext}): a kernel of another Node, TypeScript or package ignores the file. */
  context: string;
  /** The declarations to build the first program with (those the first cell a submission changes sees). */
  prime?: string;
  conversions: RecordedConversion[];
}

/** Node's version, tslab's TypeScript and the package: conversions hold only for the same ones. */
export function conversionContext(): string {
  return [process.version, tslabTypeScriptPath(), PACKAGE_ROOT].join("\n");
}

/** The conversions of a file, looked up by declarations and code. */
export class ConversionCache {
  private readonly entries = new Map<string, ConvertResult>();
  /** Cells that took a recorded conversion, and cells converted afresh. */
  hits = 0;
  misses = 0;

  constructor(
    conversions: readonly RecordedConversion[],
    /** See {@link ConversionsFile.prime}. */
    readonly prime?: string,
  ) {
    for (const c of conversions) this.entries.set(key(c.declarations, c.code), c.result);
  }

  /**
   * The cache in `file`, or undefined (with the reason passed to `warn`) when it cannot be read or
   * was made by another Node, TypeScript or package.
   */
  static load(file: string, warn: (why: string) => void = () => undefined): ConversionCache | undefined {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as ConversionsFile;
      if (parsed.context !== conversionContext()) {
        warn(`the conversions in ${file} were made by another Node, TypeScript or package; cells are converted afresh`);
        return undefined;
      }
      return new ConversionCache(parsed.conversions, parsed.prime);
    } catch (err) {
      warn(`cannot read the conversions in ${file} (${(err as Error).message}); cells are converted afresh`);
      return undefined;
    }
  }

  /** The recorded conversion of `code` under `declarations`, or undefined. */
  get(declarations: string, code: string): ConvertResult | undefined {
    const found = this.entries.get(key(declarations, code));
    if (found) this.hits++;
    else this.misses++;
    return found;
  }
}

function key(declarations: string, code: string): string {
  return `${declarations}\u0000${code}`;
}

/** Writes every conversion a kernel makes to one file (rewritten whole after each, so a killed kernel leaves a complete file). */
export class ConversionRecorder {
  private readonly conversions: RecordedConversion[] = [];

  constructor(readonly file: string) {}

  add(declarations: string, code: string, result: ConvertResult): void {
    this.conversions.push({ declarations, code, result });
    const file: ConversionsFile = { context: conversionContext(), conversions: this.conversions };
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(file));
    fs.renameSync(temp, this.file);
  }
}

/**
 * The cache and recorder the kernel's environment asks for (read once, at start, before any cell;
 * both variables are then removed, so cells and what they start do not see them).
 */
export function conversionsFromEnvironment(warn: (why: string) => void): { cache?: ConversionCache; recorder?: ConversionRecorder } {
  const use = process.env[CONVERSIONS_VARIABLE];
  const record = process.env[RECORD_CONVERSIONS_VARIABLE];
  delete process.env[CONVERSIONS_VARIABLE];
  delete process.env[RECORD_CONVERSIONS_VARIABLE];
  return { cache: use ? ConversionCache.load(use, warn) : undefined, recorder: record ? new ConversionRecorder(path.resolve(record)) : undefined };
}
