/**
 * Reads CSV text (RFC 4180: fields separated by commas, quoted with double quotes when they hold
 * commas, quotes or line breaks; a doubled quote inside quotes is one quote).
 */

/** One parsed record and the line of the file it starts on (1-based). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses CSV text into records; blank lines are skipped. Throws on an unterminated quote,
 * naming the line where the quoted field began.
 *
 * @example
 * parseCsv('team,name\nA,"Ng, Andrew"\n'); // [{ line: 1, fields: ["team", "name"] }, { line: 2, fields: ["A", "Ng, Andrew"] }]
 */
export function parseCsv(text: string, file = "the CSV file"): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  const endRecord = (): void => {
    fields.push(field);
    if (fields.length > 1 || fields[0].trim() !== "") records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === "") {
      quoted = true;
      quoteLine = line;
      field = "";
    } else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && body[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error(`Error in parseCsv: ${file} line ${quoteLine}: a quoted field is never closed; add the closing ".`);
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}
