/**
 * Prints a proposal's HTML to PDF in headless Chromium (through playwright-core) and counts the
 * pages, as a reviewer would see them.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium, type Browser } from "playwright-core";
import type { Course } from "../course";

/** Where Chromium is; override with the CHROMIUM_PATH environment variable. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

/** Thrown by {@link launchBrowser} when there is no Chromium at {@link chromiumPath}. */
export class ChromiumNotFoundError extends Error {
  constructor(readonly executablePath: string) {
    super(`Error in launchBrowser: Chromium not found at ${executablePath}; install it (apt-get install chromium) or set CHROMIUM_PATH.`);
    this.name = "ChromiumNotFoundError";
  }
}

/** Starts headless Chromium; close it when done (one browser can print many proposals). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) throw new ChromiumNotFoundError(executablePath);
  return chromium.launch({ executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
}

/**
 * Prints `html` to PDF with the course's paper size and margins. Pass a `browser` to reuse one;
 * otherwise Chromium is started and closed for this call.
 *
 * @example
 * const pdf = await printPdf(proposalHtml(notebook, file, course), course);
 * fs.writeFileSync("proposal.pdf", pdf);
 */
export async function printPdf(html: string, course: Course, browser?: Browser): Promise<Buffer> {
  const own = browser ? undefined : await launchBrowser();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-proposal-"));
  try {
    // a file page (not setContent) so that file: links to KaTeX's stylesheet and to images load
    const page = await (browser ?? own!).newPage();
    const htmlFile = path.join(folder, "proposal.html");
    fs.writeFileSync(htmlFile, html);
    await page.goto(`file://${htmlFile}`, { waitUntil: "load" });
    const pdf = await page.pdf({ format: course.pdf.format, preferCSSPageSize: true, printBackground: true });
    await page.close();
    return pdf;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
    await own?.close();
  }
}

/**
 * The number of pages of a PDF: the /Count of its page tree root (the largest /Count, as nested
 * page trees count parts of it), or the number of /Type /Page objects when there is none.
 *
 * @example
 * countPdfPages(fs.readFileSync("proposal.pdf")); // 2
 */
export function countPdfPages(pdf: Buffer): number {
  const text = pdf.toString("latin1");
  if (!text.startsWith("%PDF-")) throw new Error("Error in countPdfPages: the data is not a PDF (it does not start with %PDF-).");
  const counts = [...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)].map((m) => Number(m[1] ?? m[2]));
  if (counts.length > 0) return Math.max(...counts);
  return [...text.matchAll(/\/Type\s*\/Page\b(?!s)/g)].length;
}
