/** Grading on a BullMQ job queue in Redis: the coordinator (`workbook grade ... --queue URL`) and workers (`workbook grade worker`). */
export * from "./connection";
export * from "./job";
export * from "./worker";
export * from "./coordinator";
export * from "./lock";
