/**
 * The plan's data sets: each list item under "Plan > Data sets" names one. Known names (the
 * dl-workbook/compare registry: mnist, fashion-mnist, spiral, blobs and their aliases) must load;
 * a file next to the proposal, named by its relative path, is found. Data sets the check cannot
 * load (a Kaggle competition, CIFAR-10, a lab's own data) are named as not checked and do not fail
 * the proposal. A comparison project needs two or more data sets and two or more methods.
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

/** What the data-set check found: broken rules, and data sets it could not check. */
export interface DatasetCheck {
  /** Rules that failed: a known data set that does not load, too few data sets for a comparison. */
  problems: Problem[];
  /** Data sets named but not checked (not loadable by name, or a file that is not here); never a failure. */
  notChecked: Problem[];
}

/**
 * Checks the plan's data sets; loads each known one (a few examples) to prove it loads, and names
 * the ones it cannot load as not checked.
 *
 * @example
 * await checkDatasets(proposal, DEFAULT_COURSE);
 * // { problems: [], notChecked: [{ where: "Plan > Data sets (cell 6)", message: 'data set "CIFAR-10" not checked: ...' }] }
 */
export async function checkDatasets(proposal: ProposalNotebook, course: Course): Promise<DatasetCheck> {
  const plan = findSection(proposal, "Plan");
  const part = plan && findSubsection(plan, "Data sets");
  if (!plan || !part) return { problems: [], notChecked: [] }; // reported by the section rules
  const where = `${plan.title} > ${part.title} (cell ${part.cell})`;
  const names = listItems(part.tokens)
    .map(datasetName)
    .filter((name) => name !== "" && !/\bTODO\b/.test(name));
  const problems: Problem[] = [];
  const notChecked: Problem[] = [];
  if (names.length === 0 && part.tokens.length > 0) {
    problems.push({ where, message: "name each data set as a list item (- **MNIST**: ...), so that the check can load it." });
  }
  const known = listDatasets()
    .map((spec) => spec.name)
    .join(", ");
  for (const name of names) {
    if (isPath(name)) {
      const file = path.resolve(path.dirname(proposal.file), name);
      if (!fs.existsSync(file))
        notChecked.push({ where, message: `data set file "${name}" not checked: it is not at ${file}. Fine if the data stay with your lab; otherwise put the file next to the proposal or fix the path.` });
      continue;
    }
    const spec = findDataset(name);
    if (!spec) {
      notChecked.push({
        where,
        message: `data set "${name}" not checked: the checker loads only ${known} by name (and files next to the proposal, by path). Say in the plan where "${name}" comes from and how you get it.`,
      });
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
      problems.push({
        where: `${plan.title} > ${methods.title} (cell ${methods.cell})`,
        message: `a comparison project compares two or more methods; list each as a list item (the plan lists ${methodCount}).`,
      });
    }
  }
  return { problems, notChecked };
}
