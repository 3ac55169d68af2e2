/**
 * The course's project rules, read from a course config (projects/course.json by default):
 * team size, deadlines, page limit, the proposal's required sections and their rules.
 */
import * as fs from "fs";
import defaultCourseJson from "./course.json";

/** A deadline: month-day in the course's year, and what is due. */
export interface Deadline {
  /** "MM-DD", e.g. "03-15". */
  date: string;
  what: string;
}

/** One of the two projects a team does. */
export interface ProjectSpec {
  /** How a proposal names it, e.g. "project 1". */
  id: string;
  title: string;
  /** The kinds a proposal may declare for it, e.g. ["competition", "paper", "comparison"]. */
  kinds: string[];
  /** Key into `deadlines`. */
  deadline: string;
  /** Work expected of each student, e.g. 20 (the slides' figure for project 1: 60 hours for a team of 3). */
  hoursPerStudent?: number;
}

/** Students of a department who form teams of their own (the slides: BSB students). */
export interface OwnGroupRule {
  /** The department as written in teams.csv and the proposal's team table, e.g. "BSB" (case ignored). */
  department: string;
  /** The rule in words, e.g. "BSB students form their own groups and take problems from their core department". */
  rule: string;
}

/** A required section of the proposal (a "## Title" heading in the notebook). */
export interface SectionRule {
  title: string;
  /** Special rule: the team table, the project kind, or the prototype code cell. */
  rule?: "team" | "kind" | "prototype";
  minParagraphs?: number;
  maxParagraphs?: number;
  /** The section must cite references listed under a "### References" heading. */
  references?: boolean;
  /** Required "### ..." subsections, each non-empty. */
  subsections?: string[];
}

/** The whole course config. */
export interface Course {
  name: string;
  year: number;
  teamSize: number;
  pageLimit: number;
  deadlines: Record<string, Deadline>;
  projects: ProjectSpec[];
  /**
   * Who does project 2: "same or different" (the slides: project 2 may be done by the same team, and a
   * different team is allowed; teams.csv then gives it in a team2 column) or "same" (team2 must equal team).
   */
  project2Team?: "same" | "same or different";
  /** Departments whose students form their own teams (every member of that department). */
  ownGroups?: OwnGroupRule[];
  sections: SectionRule[];
  pdf: { format: "A4" | "Letter"; margin: string; fontSize: string };
  prototypeTimeoutSeconds: number;
}

/** The default course (projects/course.json): teams of 3, 20 hours per student in project 1, 2 pages, the slides' deadlines. */
export const DEFAULT_COURSE: Course = defaultCourseJson as Course;

/** Reads and checks a course config; errors name the file and the key. */
export function loadCourse(file?: string): Course {
  if (file === undefined) return DEFAULT_COURSE;
  let parsed: Partial<Course>;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Course>;
  } catch (err) {
    throw new Error(`Error in loadCourse: cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  const course = { ...DEFAULT_COURSE, ...parsed };
  if (!Number.isInteger(course.teamSize) || course.teamSize < 1) throw new Error(`Error in loadCourse: ${file}: "teamSize" is ${JSON.stringify(course.teamSize)}; give a whole number such as 3.`);
  if (!Number.isInteger(course.pageLimit) || course.pageLimit < 1) throw new Error(`Error in loadCourse: ${file}: "pageLimit" is ${JSON.stringify(course.pageLimit)}; give a whole number of pages such as 2.`);
  if (!Number.isInteger(course.year)) throw new Error(`Error in loadCourse: ${file}: "year" is ${JSON.stringify(course.year)}; give a year such as 2027.`);
  for (const [key, deadline] of Object.entries(course.deadlines)) {
    if (!/^\d\d-\d\d$/.test(deadline.date)) throw new Error(`Error in loadCourse: ${file}: deadlines.${key}.date is "${deadline.date}"; write month-day as "MM-DD", e.g. "03-15".`);
  }
  if (course.project2Team !== undefined && course.project2Team !== "same" && course.project2Team !== "same or different") {
    throw new Error(`Error in loadCourse: ${file}: "project2Team" is ${JSON.stringify(course.project2Team)}; use "same or different" or "same".`);
  }
  for (const project of course.projects) {
    if (!course.deadlines[project.deadline]) throw new Error(`Error in loadCourse: ${file}: project "${project.id}" has deadline "${project.deadline}", which is not a key of "deadlines".`);
  }
  return course;
}

/**
 * The date of a deadline in the course's year (or `year`), at the end of that day, UTC.
 *
 * @example
 * deadlineDate(DEFAULT_COURSE, "proposals").toISOString(); // "2027-03-15T23:59:59.000Z"
 */
export function deadlineDate(course: Course, key: string, year = course.year): Date {
  const deadline = course.deadlines[key];
  if (!deadline) throw new Error(`Error in deadlineDate: no deadline "${key}"; the course has ${Object.keys(course.deadlines).join(", ")}.`);
  const [month, day] = deadline.date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day, 23, 59, 59));
}

/** The deadlines in date order as "2027-03-06  teams of 3 formed (teams.csv)" lines. */
export function describeDeadlines(course: Course, year = course.year): string[] {
  return Object.keys(course.deadlines)
    .map((key) => ({ key, date: deadlineDate(course, key, year) }))
    .sort((a, b) => a.date.getTime() - b.date.getTime())
    .map(({ key, date }) => `${date.toISOString().slice(0, 10)}  ${course.deadlines[key].what}`);
}
