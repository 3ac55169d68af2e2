/**
 * Execution history for history_request (tail, range, search), kept across kernel restarts in a
 * small JSON-lines file: $WORKBOOK_HISTORY_FILE, else ~/.local/share/dl-workbook/history.jsonl.
 * The file is read on first use, not at startup. When it cannot be read or written (a read-only
 * sandbox) history stays in memory for this session and one line is logged.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** One executed cell: session number, line (execution count) in that session, input, output text. */
export interface HistoryEntry {
  session: number;
  line: number;
  input: string;
  output?: string;
}

/** Entries kept in the file; older ones are dropped when it is rewritten. */
const MAX_ENTRIES = 5000;

/** The history file's location (see file comment). */
export function historyFile(): string {
  if (process.env.WORKBOOK_HISTORY_FILE) return process.env.WORKBOOK_HISTORY_FILE;
  const dataHome = process.env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share");
  return path.join(dataHome, "dl-workbook", "history.jsonl");
}

/** A history_request's parameters (messaging spec, "History"). */
export interface HistoryQuery {
  hist_access_type?: string;
  output?: boolean;
  raw?: boolean;
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

export class History {
  private entries?: HistoryEntry[];
  private sessionNumber = 0;
  private writable = true;

  constructor(
    private readonly file: string,
    private readonly log: (text: string) => void,
  ) {}

  private load(): HistoryEntry[] {
    if (this.entries) return this.entries;
    this.entries = [];
    try {
      const text = fs.readFileSync(this.file, "utf8");
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as HistoryEntry;
          if (typeof entry.session === "number" && typeof entry.line === "number" && typeof entry.input === "string") this.entries.push(entry);
        } catch {
          // A torn line from a crash: skip it.
        }
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") this.log(`history: cannot read ${this.file} (${(err as Error).message}); history starts empty`);
    }
    this.entries = this.entries.slice(-MAX_ENTRIES);
    this.sessionNumber = this.entries.reduce((max, e) => Math.max(max, e.session), 0) + 1;
    return this.entries;
  }

  /** This kernel's session number (one more than the last in the file). */
  get session(): number {
    this.load();
    return this.sessionNumber;
  }

  /** Records an executed cell. */
  add(line: number, input: string, output?: string): void {
    const entries = this.load();
    const entry: HistoryEntry = { session: this.sessionNumber, line, input, ...(output !== undefined ? { output } : {}) };
    entries.push(entry);
    if (!this.writable) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.appendFileSync(this.file, JSON.stringify(entry) + "\n");
    } catch (err) {
      this.writable = false;
      this.log(`history: cannot write ${this.file} (${(err as Error).message}); keeping history in memory only. Set WORKBOOK_HISTORY_FILE to a writable file.`);
    }
  }

  /** The history_reply `history` list: [session, line, input] or [session, line, [input, output]]. */
  query(q: HistoryQuery): [number, number, string | [string, string | null]][] {
    const entries = this.load();
    let found: HistoryEntry[];
    const type = q.hist_access_type ?? "tail";
    if (type === "range") {
      const session = q.session === undefined || q.session <= 0 ? this.sessionNumber + (q.session ?? 0) : q.session;
      const start = q.start ?? 0;
      found = entries.filter((e) => e.session === session && e.line >= start && (q.stop === undefined || q.stop === null || e.line < q.stop));
    } else if (type === "search") {
      const pattern = globToRegExp(q.pattern ?? "*");
      found = entries.filter((e) => pattern.test(e.input));
      if (q.unique) {
        const seen = new Set<string>();
        found = found
          .reverse()
          .filter((e) => (seen.has(e.input) ? false : (seen.add(e.input), true)))
          .reverse();
      }
      if (q.n !== undefined && q.n !== null) found = found.slice(-q.n);
    } else {
      found = entries.slice(-(q.n ?? 10));
    }
    return found.map((e) => [e.session, e.line, q.output ? [e.input, e.output ?? null] : e.input]);
  }
}

/** IPython's history patterns are globs: * any text, ? one character. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, "[\\s\\S]*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}
