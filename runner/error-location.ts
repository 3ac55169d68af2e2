/** Finding the line of a cell that an error points at, from what the kernel reported. */

/** Removes ANSI colour codes (ESC [ ... m and other CSI sequences) from kernel text. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with the ESC control character (\x1b)
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "");
}

/**
 * The 1-based line in the cell that an error names, or undefined when it names none.
 * Understands the forms kernels write: "at cell [3], line 4" (this project's kernel),
 * "line 4, column 2: ..." (its TypeScript errors), "Cell In[3], line 4" (IPython),
 * "<cell>:4:7" or "cell 3:4:7" stack frames, and TypeScript diagnostics "4:7 - error TS2322".
 * With the failing cell's `executionCount`, frames of other cells (a function defined in an
 * earlier cell that threw) are passed over, so the line is always one of the failing cell.
 *
 * @example
 * errorLine("x is not a function", ["TypeError: x is not a function", "    at cell [2], line 3"]); // 3
 * errorLine("boom", ["Error: boom", "    at risky (cell [1], line 3)", "    at cell [2], line 5"], 2); // 5
 */
export function errorLine(evalue: string, traceback: string[], executionCount?: number | null): number | undefined {
  const lines = stripAnsi([evalue, ...traceback].join("\n")).split("\n");
  const ownCell = (line: string): boolean => {
    const frame = /\bcell \[(\d+)\]/i.exec(line);
    return executionCount === undefined || executionCount === null || !frame || Number(frame[1]) === executionCount;
  };
  const text = lines.filter(ownCell).join("\n");
  const patterns = [
    /\bcell \[\d*\],? line (\d+)/i,
    /^line (\d+), column \d+/im,
    /\bline (\d+)\b/i,
    /<cell[^>\n]*>:(\d+)(?::\d+)?/i,
    /\bcell[^:\n]*:(\d+):\d+/i,
    /^\s*(\d+):\d+ - (?:error )?/m,
    /\((\d+),\d+\): error TS\d+/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) return Number(match[1]);
  }
  return undefined;
}
