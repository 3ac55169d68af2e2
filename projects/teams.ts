/**
 * Checks a class's teams.csv: every team has the course's team size, nobody is in two teams,
 * and each team's two projects are named and distinct.
 *
 * The file has a header row and one row per student:
 *   team,id,name,department,project1,project2
 *   Team A,s001,Ada Lovelace,CS,Optimizers on MNIST and Fashion-MNIST,Sorting parcels by photo
 * project1/project2 may be given on one member's row or repeated on every row (then they must agree).
 */
import { parseCsv } from "./csv";
import type { Course } from "./course";
import type { Problem } from "./problem";

/** The columns teams.csv must have (department is optional). */
export const TEAMS_COLUMNS = ["team", "id", "name", "project1", "project2"] as const;

/** One student's row. */
interface Member {
  line: number;
  team: string;
  id: string;
  name: string;
}

/** Normalizes a title for comparison: lower case, single spaces, no punctuation. */
function normalizeTitle(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

/**
 * Checks teams.csv text against the course rules; returns the problems (empty when all pass).
 *
 * @example
 * checkTeams(fs.readFileSync("teams.csv", "utf8"), DEFAULT_COURSE, "teams.csv");
 * // [{ where: "teams.csv line 5", message: 'student s002 (Alan Turing) is in team "B" and also in team "A" (line 2) ...' }]
 */
export function checkTeams(text: string, course: Course, file = "teams.csv"): Problem[] {
  const problems: Problem[] = [];
  const records = parseCsv(text, file);
  if (records.length === 0) return [{ where: file, message: `the file is empty; write a header row "${TEAMS_COLUMNS.join(",")}" and one row per student.` }];
  const header = records[0].fields.map((f) => f.trim().toLowerCase());
  const missing = TEAMS_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    return [{ where: `${file} line ${records[0].line}`, message: `the header lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; the header is "${TEAMS_COLUMNS.join(",")}" (department optional).` }];
  }
  const column = (fields: string[], name: string): string => (fields[header.indexOf(name)] ?? "").trim();

  const teams = new Map<string, Member[]>();
  const projects = new Map<string, { project1: { title: string; line: number }[]; project2: { title: string; line: number }[] }>();
  const byId = new Map<string, Member>();
  for (const record of records.slice(1)) {
    const where = `${file} line ${record.line}`;
    if (record.fields.length !== header.length) {
      problems.push({ where, message: `${record.fields.length} fields where the header has ${header.length}; quote a field that holds a comma ("Ng, Andrew").` });
    }
    const member: Member = { line: record.line, team: column(record.fields, "team"), id: column(record.fields, "id"), name: column(record.fields, "name") };
    if (!member.team || !member.id || !member.name) {
      const empty = (["team", "id", "name"] as const).filter((key) => !member[key]);
      problems.push({ where, message: `empty ${empty.join(" and ")}; every row names the team, the student's id and name.` });
      if (!member.team || !member.id) continue;
    }
    const earlier = byId.get(member.id.toLowerCase());
    if (earlier) {
      const message =
        earlier.team === member.team
          ? `student ${member.id} (${member.name}) is listed twice in team "${member.team}" (also line ${earlier.line}); remove one row.`
          : `student ${member.id} (${member.name}) is in team "${member.team}" and also in team "${earlier.team}" (line ${earlier.line}); each student is in one team only.`;
      problems.push({ where, message });
      continue;
    }
    byId.set(member.id.toLowerCase(), member);
    if (!teams.has(member.team)) {
      teams.set(member.team, []);
      projects.set(member.team, { project1: [], project2: [] });
    }
    teams.get(member.team)!.push(member);
    for (const key of ["project1", "project2"] as const) {
      const title = column(record.fields, key);
      if (title) projects.get(member.team)![key].push({ title, line: record.line });
    }
  }

  for (const [team, members] of teams) {
    const lines = members.map((m) => m.line).join(", ");
    const where = `${file} team "${team}" (line${members.length > 1 ? "s" : ""} ${lines})`;
    if (members.length !== course.teamSize) {
      problems.push({ where, message: `${members.length} member${members.length === 1 ? "" : "s"}; teams have ${course.teamSize} students (course "teamSize").` });
    }
    const titles: Record<"project1" | "project2", string | undefined> = { project1: undefined, project2: undefined };
    for (const key of ["project1", "project2"] as const) {
      const given = projects.get(team)![key];
      const distinct = [...new Set(given.map((g) => normalizeTitle(g.title)))];
      if (given.length === 0) problems.push({ where, message: `no ${key} title; give the team's ${key} in the ${key} column of at least one member's row.` });
      else if (distinct.length > 1) problems.push({ where, message: `members give different ${key} titles: ${given.map((g) => `"${g.title}" (line ${g.line})`).join(", ")}; agree on one.` });
      else titles[key] = distinct[0];
    }
    if (titles.project1 !== undefined && titles.project1 === titles.project2) {
      problems.push({ where, message: `project1 and project2 are the same ("${projects.get(team)!.project1[0].title}"); the lab project must be distinct from the first project.` });
    }
  }
  return problems;
}
