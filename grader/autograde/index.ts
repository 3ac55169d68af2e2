/** Autograding: load the assignment, find submissions, sanitise, run sandboxed, compare, score, late policy. */
export * from "./assignment";
export * from "./submissions";
export * from "./sanitise";
export * from "./harness";
export * from "../assign/compare";
export * from "./late";
export * from "./run-submission";
export * from "./idle-slots";
export * from "./score";
export * from "./grade-one";
export * from "./sandbox-check";
export * from "./conversions";
