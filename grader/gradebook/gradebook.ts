import Database from "better-sqlite3";
import * as fs from "fs";
import * as path from "path";
import type { SubmissionScore } from "../results";

/** One graded submission as stored: the score and where it came from. */
export interface GradeRow {
  student: string;
  assignment: string;
  /** sha256 of the submission's bytes: an unchanged submission is not graded again. */
  contentHash: string;
  /** sha256 of the grading spec: a changed spec re-grades everything. */
  specHash: string;
  submittedAt: string;
  gradedAt: string;
  rawScore: number;
  maxScore: number;
  latePenalty: number;
  lateMessage: string;
  /** Sum of manual adjustments for this student and assignment. */
  adjustment: number;
  /** rawScore * (1 - latePenalty) + adjustment. */
  finalScore: number;
}

const SCHEMA = `
create table if not exists students (id text primary key);
create table if not exists assignments (name text primary key, max_score real not null, spec_hash text not null);
create table if not exists submissions (
  student text not null references students(id),
  assignment text not null references assignments(name),
  content_hash text not null,
  spec_hash text not null,
  submitted_at text not null,
  graded_at text not null,
  raw_score real not null,
  max_score real not null,
  late_penalty real not null,
  late_message text not null,
  score real not null,
  notes text not null,
  primary key (student, assignment)
);
create table if not exists test_results (
  student text not null,
  assignment text not null,
  position integer not null,
  name text not null,
  kind text not null,
  score real not null,
  max_score real not null,
  status text not null,
  message text not null,
  relative_error real,
  worst_element text,
  primary key (student, assignment, position),
  foreign key (student, assignment) references submissions(student, assignment) on delete cascade
);
create table if not exists adjustments (
  id integer primary key autoincrement,
  student text not null,
  assignment text not null,
  points real not null,
  reason text not null,
  created_at text not null
);
`;

/**
 * The gradebook: embedded SQLite (better-sqlite3) in WAL mode. Each finished submission is
 * written in one transaction, so a grader killed mid-run loses only the submissions it had not
 * finished, and a re-run skips every submission whose content and spec are unchanged.
 *
 * @example
 * const book = Gradebook.open("grades/gradebook.sqlite");
 * if (!book.isGraded("alice", "01-adam", hash, specHash)) book.record({...});
 * book.adjust("alice", "01-adam", +1, "regrade request: test 3 was ambiguous");
 * fs.writeFileSync("grades.csv", book.toCsv("01-adam"));
 */
export class Gradebook {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (creating if needed) the gradebook at `file`. */
  static open(file: string): Gradebook {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    db.exec(SCHEMA);
    return new Gradebook(db);
  }

  close(): void {
    this.db.close();
  }

  /** Registers an assignment (or updates its spec hash and points). */
  ensureAssignment(name: string, maxScore: number, specHash: string): void {
    this.db
      .prepare("insert into assignments(name, max_score, spec_hash) values (?, ?, ?) on conflict(name) do update set max_score = excluded.max_score, spec_hash = excluded.spec_hash")
      .run(name, maxScore, specHash);
  }

  /** True when this exact submission was already graded against this exact spec. */
  isGraded(student: string, assignment: string, contentHash: string, specHash: string): boolean {
    const row = this.db.prepare("select 1 from submissions where student = ? and assignment = ? and content_hash = ? and spec_hash = ?").get(student, assignment, contentHash, specHash);
    return row !== undefined;
  }

  /** Stores one graded submission and its per-test results in a single transaction. */
  record(entry: { student: string; assignment: string; contentHash: string; specHash: string; submittedAt: Date; score: SubmissionScore; notes: string[] }): void {
    const { score } = entry;
    const write = this.db.transaction(() => {
      this.db.prepare("insert or ignore into students(id) values (?)").run(entry.student);
      this.db.prepare("delete from test_results where student = ? and assignment = ?").run(entry.student, entry.assignment);
      this.db
        .prepare(
          `insert into submissions(student, assignment, content_hash, spec_hash, submitted_at, graded_at, raw_score, max_score, late_penalty, late_message, score, notes)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           on conflict(student, assignment) do update set content_hash = excluded.content_hash, spec_hash = excluded.spec_hash,
             submitted_at = excluded.submitted_at, graded_at = excluded.graded_at, raw_score = excluded.raw_score, max_score = excluded.max_score,
             late_penalty = excluded.late_penalty, late_message = excluded.late_message, score = excluded.score, notes = excluded.notes`,
        )
        .run(
          entry.student,
          entry.assignment,
          entry.contentHash,
          entry.specHash,
          entry.submittedAt.toISOString(),
          new Date().toISOString(),
          score.rawScore,
          score.maxScore,
          score.late.penalty,
          score.late.message,
          score.score,
          entry.notes.join("\n"),
        );
      const insert = this.db.prepare(
        "insert into test_results(student, assignment, position, name, kind, score, max_score, status, message, relative_error, worst_element) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      );
      score.tests.forEach((t, i) => insert.run(entry.student, entry.assignment, i, t.name, t.kind, t.score, t.maxScore, t.status, t.message, t.relativeError ?? null, t.worstElement ?? null));
    });
    write.immediate();
  }

  /**
   * The stored record of one submission (content and spec hashes, submission time, notes), or
   * undefined when none: how a queue worker hands a graded submission back to the coordinator.
   * Example: `book.recorded("alice", "01-adam")?.notes`
   */
  recorded(student: string, assignment: string): { contentHash: string; specHash: string; submittedAt: string; notes: string[] } | undefined {
    const row = this.db.prepare("select content_hash, spec_hash, submitted_at, notes from submissions where student = ? and assignment = ?").get(student, assignment) as Record<string, string> | undefined;
    if (!row) return undefined;
    return { contentHash: row.content_hash, specHash: row.spec_hash, submittedAt: row.submitted_at, notes: row.notes === "" ? [] : row.notes.split("\n") };
  }

  /** A manual adjustment (positive or negative points) with the reason; kept across re-grades. */
  adjust(student: string, assignment: string, points: number, reason: string): void {
    if (!Number.isFinite(points)) throw new Error(`Error in Gradebook.adjust: points must be a number, got ${points} for ${student}.`);
    this.db.prepare("insert into adjustments(student, assignment, points, reason, created_at) values (?, ?, ?, ?, ?)").run(student, assignment, points, reason, new Date().toISOString());
  }

  /** The grades of an assignment, students in alphabetical order, adjustments included. */
  grades(assignment: string): GradeRow[] {
    const rows = this.db
      .prepare(
        `select s.student, s.assignment, s.content_hash, s.spec_hash, s.submitted_at, s.graded_at, s.raw_score, s.max_score, s.late_penalty, s.late_message, s.score,
                coalesce((select sum(points) from adjustments a where a.student = s.student and a.assignment = s.assignment), 0) as adjustment
         from submissions s where s.assignment = ? order by s.student`,
      )
      .all(assignment) as Array<Record<string, string | number>>;
    return rows.map((r) => ({
      student: String(r.student),
      assignment: String(r.assignment),
      contentHash: String(r.content_hash),
      specHash: String(r.spec_hash),
      submittedAt: String(r.submitted_at),
      gradedAt: String(r.graded_at),
      rawScore: Number(r.raw_score),
      maxScore: Number(r.max_score),
      latePenalty: Number(r.late_penalty),
      lateMessage: String(r.late_message),
      adjustment: Number(r.adjustment),
      finalScore: Math.round((Number(r.score) + Number(r.adjustment)) * 1e6) / 1e6,
    }));
  }

  /** Per-test results of one graded submission, in order. */
  testResults(student: string, assignment: string): Array<{ name: string; score: number; maxScore: number; status: string; message: string }> {
    return this.db.prepare("select name, score, max_score as maxScore, status, message from test_results where student = ? and assignment = ? order by position").all(student, assignment) as Array<{
      name: string;
      score: number;
      maxScore: number;
      status: string;
      message: string;
    }>;
  }

  /** grades.csv: student, score, max, raw score, late penalty %, adjustment, submitted, late note. */
  toCsv(assignment: string): string {
    const header = ["student", "assignment", "score", "max_score", "raw_score", "late_penalty_percent", "adjustment", "submitted_at", "late"];
    const lines = this.grades(assignment).map((g) =>
      [g.student, g.assignment, g.finalScore, g.maxScore, g.rawScore, Math.round(g.latePenalty * 100), g.adjustment, g.submittedAt, g.lateMessage].map(csvField).join(","),
    );
    return [header.join(","), ...lines].join("\n") + "\n";
  }
}

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
