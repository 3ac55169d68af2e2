/** The per-student feedback page. */
export * from "./html";
