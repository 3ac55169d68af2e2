/**
 * Maps runtime stack traces from the JavaScript the converter emitted back to cell lines.
 *
 * tslab's converter gives no source map, but its output keeps the cell's statements in order,
 * line by line, minus types and blank lines. So each emitted line is matched to the first cell
 * line at or after the previous match that contains most of its tokens (identifiers, numbers,
 * strings). `at f (__cell_3__.js:5:9)` becomes `at f (cell [3], line 4)`.
 */

const CELL_FILE = /__cell_(\d+)__\.js:(\d+):(\d+)/g;

/** The file name under which cell `n`'s code runs (it shows in stack traces). */
export function cellFileName(cell: number): string {
  return `__cell_${cell}__.js`;
}

/** Identifiers, numbers and string contents of a line, without what the converter adds. */
function tokens(line: string): string[] {
  const found = line.match(/[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"[^"]*"|'[^']*'|`[^`]*`/g) ?? [];
  return found
    .map((t) => t.replace(/^['"`]|['"`]$/g, ""))
    .filter((t) => !IGNORED.has(t));
}

const IGNORED = new Set(["exports", "const", "let", "var", "function", "async", "await", "return", "void", "0", "tsLastExpr", "require", "__esModule", "Object", "defineProperty", "value", "true", "false", "__dlwb__", "checkInterrupt"]);

/** For each line of `emitted`, the 0-based line of `source` it came from (or -1). */
export function alignLines(source: string, emitted: string): number[] {
  const src = source.split("\n").map((line) => new Set(tokens(line)));
  const out = emitted.split("\n").map(tokens);
  const result: number[] = [];
  let from = 0;
  for (const line of out) {
    if (line.length === 0) {
      result.push(-1);
      continue;
    }
    let best = -1;
    let bestScore = 0;
    for (let k = from; k < src.length; k++) {
      const hits = line.filter((t) => src[k].has(t)).length;
      const score = hits / line.length;
      if (score > bestScore + 1e-9) {
        best = k;
        bestScore = score;
        if (score === 1) break;
      }
    }
    if (best >= 0 && bestScore >= 0.5) {
      result.push(best);
      from = best;
    } else result.push(-1);
  }
  return result;
}

/** Remembers, per cell file, how its emitted lines map to cell lines. */
export class SourceMapper {
  private readonly maps = new Map<string, { lines: number[]; source: string[] }>();

  /** `offset`: lines of wrapper code before the emitted code in the file that runs. */
  register(fileName: string, source: string, emitted: string, offset: number): void {
    const aligned = alignLines(source, emitted);
    const lines = [...new Array<number>(offset).fill(-1), ...aligned];
    this.maps.set(fileName, { lines, source: source.split("\n") });
  }

  /** The 1-based cell line for a 1-based line of the running file, or undefined. */
  cellLine(fileName: string, line: number): number | undefined {
    const map = this.maps.get(fileName);
    if (!map) return undefined;
    for (let l = line - 1; l >= 0; l--) {
      const mapped = map.lines[l];
      if (mapped !== undefined && mapped >= 0) return mapped + 1;
    }
    return undefined;
  }

  /** The text of a cell line, for showing under a frame. */
  sourceLine(fileName: string, line: number): string | undefined {
    return this.maps.get(fileName)?.source[line - 1];
  }
}

/**
 * Rewrites a stack: frames in cells name the cell and line, frames inside the kernel are dropped,
 * and the first cell frame shows its line of code.
 */
export function mapStack(stack: string, mapper: SourceMapper): string {
  const out: string[] = [];
  let shownCode = false;
  for (const line of stack.split("\n")) {
    const isFrame = /^\s+at /.test(line);
    if (isFrame && (/node:vm|node:internal|node:async_hooks|\/dist\/kernel\//.test(line) || /__dlwb__/.test(line))) continue;
    if (!isFrame) {
      out.push(line);
      continue;
    }
    let code: string | undefined;
    const mapped = line.replace(CELL_FILE, (_m, cell: string, row: string) => {
      const file = cellFileName(Number(cell));
      const cellLine = mapper.cellLine(file, Number(row));
      if (cellLine === undefined) return `cell [${cell}]`;
      if (!shownCode) code = mapper.sourceLine(file, cellLine);
      return `cell [${cell}], line ${cellLine}`;
    });
    out.push(mapped);
    if (code !== undefined && !shownCode) {
      out.push(`        ${code.trim()}`);
      shownCode = true;
    }
  }
  return out.join("\n");
}
