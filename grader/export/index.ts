/** Exports of graded results: Gradescope's results.json (CSV comes from the gradebook). */
export * from "./gradescope";
