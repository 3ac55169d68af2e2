/**
 * The plan's data sets: each list item under "Plan > Data sets" names one. Known names (the
 * dl-workbook/compare registry: mnist, fashion-mnist, spiral, blobs and their aliases) must load;
 * a team's own data is named by a relative path to a file next to the proposal, which must exist.
 * A comparison project needs two or more data sets and two or more methods.
 */
import * as fs from "fs";
import * as path from "path";
import { findDataset, listDatasets, validateDataset } from "../../lib/compare";
import type { Course } from "../course";
import type { Problem } from "../problem";
import { declaredProject } from "./sections";
import { findSection, findSubsection, listItems, type ProposalNotebook } from "./notebook";

/** How many examples the check loads of each known data set: enough to prove it loads. */
const CHECK_SIZE = 20;

/**
 * The data set a list item names: its bold, code or link text, or the words before the first
 * ":", "(", " - " or ",".
 *
 * @example
 * datasetName("**Fashion-MNIST** (Zalando, 70K images)"); // "Fashion-MNIST"
 * datasetName("`data/sales.csv`: our shop's sales");      // "data/sales.csv"
 */
export function datasetName(item: string): string {
  const marked = /^\s*(?:\*\*([^*]+)\*\*|__([^_]+)__|`([^`]+)`|\[([^\]]+)\]\([^)]*\))/.exec(item);
  if (marked) return (marked[1] ?? marked[2] ?? marked[3] ?? marked[4]).trim();
  return item.split(/:|\(| - | – | — |,/)[0].trim();
}

/** Data sets this process has already loaded once (by registry name): loading again proves nothing new. */
const loadedOnce = new Set<string>();

/** True when a name is a file path rather than a registry name. */
function isPath(name: string): boolean {
  return name.includes("/") || /\.(csv|json|tsv|txt|npy|png|jpg|zip|idx\d?-ubyte)$/i.test(name);
}

/**
 * Checks the plan's data sets; loads each known one (a few examples) to prove it loads.
 *
 * @example
 * await checkDatasets(proposal, DEFAULT_COURSE);
 * // [{ where: "Plan > Data sets (cell 7)", message: 'unknown data set "CIFAR-10"; ...' }]
 */
export async function checkDatasets(proposal: ProposalNotebook, course: Course): Promise<Problem[]> {
  const plan = findSection(proposal, "Plan");
  const part = plan && findSubsection(plan, "Data sets");
  if (!plan || !part) return []; // reported by the section rules
  const where = `${plan.title} > ${part.title} (cell ${part.cell})`;
  const names = listItems(part.tokens).map(datasetName).filter((name) => name !== "" && !/\bTODO\b/.test(name));
  const problems: Problem[] = [];
  if (names.length === 0 && part.tokens.length > 0) {
    problems.push({ where, message: "name each data set as a list item (- **MNIST**: ...), so that the check can load it." });
  }
  const known = listDatasets().map((spec) => spec.name).join(", ");
  for (const name of names) {
    if (isPath(name)) {
      const file = path.resolve(path.dirname(proposal.file), name);
      if (!fs.existsSync(file)) problems.push({ where, message: `data set file "${name}" not found (looked for ${file}); put it next to the proposal or fix the path.` });
      continue;
    }
    const spec = findDataset(name);
    if (!spec) {
      problems.push({ where, message: `unknown data set "${name}"; known data sets: ${known}. For your own data, give the path of its file, e.g. \`data/train.csv\`.` });
      continue;
    }
    if (loadedOnce.has(spec.name)) continue;
    try {
      validateDataset(await spec.load({ trainSize: CHECK_SIZE, testSize: CHECK_SIZE }));
      loadedOnce.add(spec.name);
    } catch (err) {
      problems.push({ where, message: `data set "${name}" (${spec.name}) does not load: ${(err as Error).message}` });
    }
  }
  const kindSection = findSection(proposal, "Project kind");
  if (kindSection && declaredProject(kindSection, course).kind === "comparison") {
    if (names.length < 2) problems.push({ where, message: `a comparison project uses two or more data sets; the plan names ${names.length}.` });
    const methods = findSubsection(plan, "Methods");
    const methodCount = methods ? listItems(methods.tokens).length : 0;
    if (methods && methodCount < 2) {
      problems.push({ where: `${plan.title} > ${methods.title} (cell ${methods.cell})`, message: `a comparison project compares two or more methods; list each as a list item (the plan lists ${methodCount}).` });
    }
  }
  return problems;
}
