/** The SQLite gradebook: students, assignments, submissions, per-test results, manual adjustments, CSV export. */
export * from "./gradebook";
