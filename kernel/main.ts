#!/usr/bin/env node
/**
 * `node dist/kernel/main.js <connection_file>`: starts the TypeScript (DL Workbook) kernel.
 * Jupyter runs this through the kernelspec's argv; `workbook kernel start` does the same.
 */
import { startKernel } from "./kernel";

const connectionFile = process.argv[2];
if (!connectionFile || connectionFile === "--help" || connectionFile === "-h") {
  console.error("Usage: node dist/kernel/main.js <connection_file>\nStarts the TypeScript (DL Workbook) Jupyter kernel; Jupyter passes the connection file.");
  process.exitCode = connectionFile ? 0 : 2;
} else {
  try {
    startKernel(connectionFile);
  } catch (err) {
    console.error(`dl-workbook kernel: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
