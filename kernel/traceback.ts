/**
 * Maps runtime stack traces from the JavaScript the converter emitted back to cell lines.
 *
 * tslab's converter gives no source map, but its output keeps the cell's statements in order,
 * minus types and blank lines, plus lines of its own (`exports.a = exports.b = void 0;`,
 * `exports.a = a;`, `exports.tsLastExpr = ...`). Those lines are set aside; every other emitted
 * line is paired with the cell line most like it (shared identifiers, numbers, strings, by the
 * Dice coefficient), keeping the pairs in order and maximizing the total likeness over the cell
 * (a weighted longest common subsequence), so one line that resembles a later one cannot pull
 * the rest of the cell out of place. `at f (__cell_3__.js:5:9)` becomes `at f (cell [3], line 4)`.
 */

const CELL_FILE = /__cell_(\d+)__\.js:(\d+):(\d+)/g;

/** The file name under which cell `n`'s code runs (it shows in stack traces). */
export function cellFileName(cell: number): string {
  return `__cell_${cell}__.js`;
}

/** Names the kernel and the converter add to emitted lines; a cell line never needs them to match. */
const IGNORED = new Set(["exports", "tsLastExpr", "require", "__esModule", "__importStar", "__importDefault", "__dlwb__", "checkInterrupt"]);

/** Lines that only the converter writes: the module marker, `exports.a = exports.b = void 0;` and `exports.a = a;`. */
const CONVERTER_LINE = /^\s*(?:Object\.defineProperty\(exports, "__esModule"|exports\.[\w$]+ = (?:exports\.[\w$]+ = )*void 0;\s*$|exports\.([\w$]+) = \1;\s*$)/;

/** Identifiers, numbers and string contents of a line, without what the converter adds. */
function tokens(line: string): string[] {
  const found = line.match(/[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"[^"]*"|'[^']*'|`[^`]*`/g) ?? [];
  return found.map((t) => t.replace(/^['"`]|['"`]$/g, "")).filter((t) => !IGNORED.has(t));
}

/** How alike an emitted line and a cell line are (0 to 1), or 0 when under half of the emitted line's tokens occur in the cell line. */
function likeness(emitted: Set<string>, source: Set<string>): number {
  if (emitted.size === 0 || source.size === 0) return 0;
  let shared = 0;
  for (const t of emitted) if (source.has(t)) shared += 1;
  if (shared / emitted.size < 0.5) return 0;
  return (2 * shared) / (emitted.size + source.size);
}

/** For each line of `emitted`, the 0-based line of `source` it came from (or -1). */
export function alignLines(source: string, emitted: string): number[] {
  const src = source.split("\n").map((line) => new Set(tokens(line)));
  const out = emitted.split("\n").map((line) => (CONVERTER_LINE.test(line) ? new Set<string>() : new Set(tokens(line))));
  const rows = out.length;
  const cols = src.length;
  // best[i][j]: the largest total likeness of emitted lines < i paired with cell lines <= j, in order.
  const best: Float64Array[] = Array.from({ length: rows + 1 }, () => new Float64Array(cols + 1));
  for (let i = 1; i <= rows; i++) {
    for (let j = 1; j <= cols; j++) {
      const paired = best[i - 1][j] + likeness(out[i - 1], src[j - 1]);
      best[i][j] = Math.max(best[i][j - 1], best[i - 1][j], paired);
    }
  }
  // Walk back: emitted line i-1 pairs with cell line j-1 where pairing it gave the best total.
  const result = new Array<number>(rows).fill(-1);
  let j = cols;
  for (let i = rows; i >= 1 && j >= 1;) {
    const score = likeness(out[i - 1], src[j - 1]);
    if (score > 0 && best[i][j] === best[i - 1][j] + score) {
      result[i - 1] = j - 1;
      i -= 1;
    } else if (best[i][j] === best[i][j - 1]) j -= 1;
    else i -= 1;
  }
  return result;
}

/** A registered cell: its code, what ran, and (once a stack needed it) the line map. */
interface CellMap {
  source: string;
  emitted: string;
  offset: number;
  /** Per 0-based line of the running file, the 0-based cell line (or -1); computed on first use. */
  lines?: number[];
}

/** Remembers, per cell file, how its emitted lines map to cell lines (aligned only when a stack needs it). */
export class SourceMapper {
  private readonly maps = new Map<string, CellMap>();

  /** `offset`: lines of wrapper code before the emitted code in the file that runs (the wrapper's closing line follows it). */
  register(fileName: string, source: string, emitted: string, offset: number): void {
    this.maps.set(fileName, { source, emitted, offset });
  }

  private lines(map: CellMap): number[] {
    map.lines ??= [...new Array<number>(map.offset).fill(-1), ...alignLines(map.source, map.emitted)];
    return map.lines;
  }

  /** True for a 1-based line of the running file that is the kernel's wrapper around the emitted code, not the cell's. */
  isWrapper(fileName: string, line: number): boolean {
    const map = this.maps.get(fileName);
    return map !== undefined && line > this.lines(map).length;
  }

  /** The 1-based cell line for a 1-based line of the running file, or undefined. */
  cellLine(fileName: string, line: number): number | undefined {
    const map = this.maps.get(fileName);
    if (!map) return undefined;
    const lines = this.lines(map);
    for (let l = Math.min(line, lines.length) - 1; l >= 0; l--) {
      if (lines[l] >= 0) return lines[l] + 1;
    }
    return undefined;
  }

  /** The text of a cell line, for showing under a frame. */
  sourceLine(fileName: string, line: number): string | undefined {
    return this.maps.get(fileName)?.source.split("\n")[line - 1];
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
    // The frame of the wrapper that calls the cell's code (its last line) repeats the cell's own frame.
    const inCell = [...line.matchAll(CELL_FILE)];
    if (inCell.length > 0 && inCell.every((m) => mapper.isWrapper(cellFileName(Number(m[1])), Number(m[2])))) continue;
    let code: string | undefined;
    // Cell functions are called as methods of the kernel's variables object, a Proxy: `at risky`, not `at Proxy.risky`.
    const named = inCell.length > 0 ? line.replace(/^(\s+at (?:async )?)Proxy\./, "$1") : line;
    const mapped = named.replace(CELL_FILE, (_m, cell: string, row: string) => {
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
