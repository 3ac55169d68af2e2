/**
 * The written rules of a proposal: every required section is there and filled in, the problem
 * statement is one paragraph, the literature review 1-2 paragraphs with references, the team has
 * the course's size, the project kind is one the course allows, and the plan has all its parts.
 */
import type { Tokens } from "marked";
import type { Course, SectionRule } from "../course";
import type { Problem } from "../problem";
import { findSection, findSubsection, listItems, normalizeTitle, paragraphCount, tokensText, type ProposalNotebook, type Section } from "./notebook";

/** Text the template leaves for students to replace. */
const PLACEHOLDER = /\bTODO\b/;

/** "Literature review (cell 5)" */
function where(section: Section, subsection?: string): string {
  return `${section.title}${subsection ? ` > ${subsection}` : ""} (cell ${section.cell})`;
}

/** True when a section has no text, no subsection text and no code. */
function isEmpty(section: Section): boolean {
  return section.tokens.length === 0 && section.subsections.every((s) => s.tokens.length === 0) && section.codeCells.length === 0;
}

/** The team table: one row per member with name, id and department. */
function checkTeam(section: Section, course: Course): Problem[] {
  const table = section.tokens.find((t): t is Tokens.Table => t.type === "table");
  if (!table) {
    return [{ where: where(section), message: "no team table; list the members in a table with the columns Name | ID | Department, one row each." }];
  }
  const headers = table.header.map((h) => normalizeTitle(h.text));
  const columns = { name: headers.findIndex((h) => h.includes("name")), id: headers.findIndex((h) => h === "id" || h.includes("student id")), department: headers.findIndex((h) => h.includes("department")) };
  const missing = Object.entries(columns)
    .filter(([, index]) => index < 0)
    .map(([key]) => key);
  if (missing.length > 0) {
    return [{ where: where(section), message: `the team table lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; use Name | ID | Department.` }];
  }
  const members = table.rows.filter((row) => row.some((cell) => cell.text.trim() !== "" && !PLACEHOLDER.test(cell.text)));
  const problems: Problem[] = [];
  if (members.length !== course.teamSize) {
    problems.push({ where: where(section), message: `the team has ${members.length} member${members.length === 1 ? "" : "s"}; teams have ${course.teamSize} students.` });
  }
  members.forEach((row, i) => {
    const empty = Object.entries(columns)
      .filter(([, index]) => (row[index]?.text ?? "").trim() === "")
      .map(([key]) => key);
    if (empty.length > 0) problems.push({ where: where(section), message: `member ${i + 1} of the team table has no ${empty.join(" and ")}; fill in every column.` });
  });
  // the slides: BSB students form their own groups (and take problems from their core department)
  const departments = members.map((row) => (row[columns.department]?.text ?? "").trim().toLowerCase());
  for (const group of course.ownGroups ?? []) {
    const inside = departments.filter((d) => d === group.department.trim().toLowerCase()).length;
    if (inside > 0 && inside < members.length) {
      problems.push({ where: where(section), message: `${inside} of the ${members.length} members are ${group.department} students; ${group.rule}.` });
    }
  }
  return problems;
}

/** The project kind: which of the course's projects, and a kind that project allows. */
export function declaredProject(section: Section, course: Course): { project?: string; kind?: string } {
  const text = normalizeTitle(tokensText(section.tokens));
  // the project named first ("Project 2, a lab project distinct from project 1" is project 2)
  const named = course.projects.map((p) => ({ p, at: text.indexOf(normalizeTitle(p.id)) })).filter(({ at }) => at >= 0);
  const project = named.sort((a, b) => a.at - b.at)[0]?.p;
  const kinds = project ? project.kinds : course.projects.flatMap((p) => p.kinds);
  const kind = kinds.find((k) => new RegExp(`\\b${normalizeTitle(k)}\\b`).test(text));
  return { project: project?.id, kind };
}

function checkKind(section: Section, course: Course): Problem[] {
  const { project, kind } = declaredProject(section, course);
  const choices = course.projects.map((p) => `${p.id} (${p.kinds.join(", ")})`).join(" or ");
  if (!project) return [{ where: where(section), message: `does not say which project this is; write one of: ${choices}.` }];
  if (!kind) {
    const allowed = course.projects.find((p) => p.id === project)!.kinds;
    return [{ where: where(section), message: `does not name the kind of ${project}; write one of: ${allowed.join(", ")}.` }];
  }
  return [];
}

/** The literature review cites its references, and they are listed under "### References". */
function checkReferences(section: Section): Problem[] {
  const list = findSubsection(section, "References");
  // one entry per list item, or per line of a paragraph ("[1] LeCun et al. ..." lines)
  const lines = list ? list.tokens.filter((t) => t.type === "paragraph").flatMap((t) => t.raw.split("\n")) : [];
  const entries = list ? [...listItems(list.tokens), ...lines.filter((line) => line.trim() !== "")] : [];
  if (entries.length === 0) {
    return [{ where: where(section), message: 'no references; list the works you review under a "### References" heading (one list item each) and cite them as [1], [2] in the text.' }];
  }
  const text = tokensText(section.tokens);
  const cited = [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  const authorYear = /\([A-Z][^()]*\d{4}[a-z]?\)/.test(text);
  if (cited.length === 0 && !authorYear) {
    return [{ where: where(section), message: "the text cites none of its references; cite them as [1], [2] or (Author, year)." }];
  }
  const unknown = [...new Set(cited.filter((n) => n < 1 || n > entries.length))];
  if (unknown.length > 0) {
    return [{ where: where(section), message: `cites [${unknown.join("], [")}] but the References list has ${entries.length} entr${entries.length === 1 ? "y" : "ies"}; add the missing references.` }];
  }
  return [];
}

/** The rules of one required section. */
function checkSection(section: Section, rule: SectionRule, course: Course): Problem[] {
  if (isEmpty(section)) return [{ where: where(section), message: "the section is empty; fill it in." }];
  const problems: Problem[] = [];
  const placeholder = [section.tokens, ...section.subsections.map((s) => s.tokens)].some((tokens) => PLACEHOLDER.test(tokensText(tokens)));
  if (placeholder) problems.push({ where: where(section), message: 'still holds the template\'s "TODO" text; replace it with your own.' });
  if (rule.rule === "team") problems.push(...checkTeam(section, course));
  if (rule.rule === "kind") problems.push(...checkKind(section, course));
  if (rule.rule === "prototype" && section.codeCells.length === 0) {
    problems.push({ where: where(section), message: "no prototype code cell; add a code cell that runs a first small version of your experiment." });
  }
  const paragraphs = paragraphCount(section.tokens);
  const min = rule.minParagraphs;
  const max = rule.maxParagraphs;
  if ((min !== undefined && paragraphs < min) || (max !== undefined && paragraphs > max)) {
    const expected = min === max ? `${min} paragraph${min === 1 ? "" : "s"}` : `${min ?? 0}-${max ?? "any"} paragraphs`;
    const fix = max !== undefined && paragraphs > max ? "merge or cut paragraphs" : "write it as prose paragraphs, not only lists";
    problems.push({ where: where(section), message: `${paragraphs} paragraph${paragraphs === 1 ? "" : "s"}; the ${rule.title.toLowerCase()} is ${expected}: ${fix}.` });
  }
  if (rule.references) problems.push(...checkReferences(section));
  for (const title of rule.subsections ?? []) {
    const sub = findSubsection(section, title);
    if (!sub) problems.push({ where: where(section), message: `no "### ${title}" part; add it.` });
    else if (sub.tokens.length === 0) problems.push({ where: `${section.title} > ${sub.title} (cell ${sub.cell})`, message: "empty; fill it in." });
  }
  return problems;
}

/**
 * Checks that every required section is present and follows its rule.
 *
 * @example
 * checkSections(parseProposal(readNotebook("proposal.ipynb"), "proposal.ipynb"), DEFAULT_COURSE);
 * // [{ where: "Problem statement (cell 4)", message: "2 paragraphs; the problem statement is 1 paragraph: merge or cut paragraphs." }]
 */
export function checkSections(proposal: ProposalNotebook, course: Course): Problem[] {
  const problems: Problem[] = [];
  for (const rule of course.sections) {
    const section = findSection(proposal, rule.title);
    if (!section) {
      problems.push({ where: rule.title, message: `the section is missing; add a markdown cell with the heading "## ${rule.title}".` });
      continue;
    }
    problems.push(...checkSection(section, rule, course));
  }
  return problems;
}
