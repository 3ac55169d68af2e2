/** Option parsing shared by `workbook run` and `workbook book`, so both word their errors alike. */

/** The value given after `option`; throws "workbook <command>: <option> needs a value." when it is missing. */
export function optionValue(command: string, option: string, value: string | undefined): string {
  if (value === undefined || value.startsWith("--")) throw new Error(`workbook ${command}: ${option} needs a value.`);
  return value;
}

/** `--timeout-cell`'s value as seconds, which must be a number greater than 0. */
export function timeoutCellSeconds(command: string, text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`workbook ${command}: --timeout-cell takes a number of seconds greater than 0, not "${text}".`);
  return seconds;
}
