/**
 * Checks a class's teams.csv against the slides' rules: every team has the course's team size,
 * nobody is in two teams, each team's two projects are named and distinct, project 2 is done by
 * the same team or (where the course allows it, as the slides do) a different one, and students of
 * an own-group department (the slides: BSB) form teams of their own.
 *
 * The file has a header row and one row per student:
 *   team,id,name,department,project1,project2[,team2]
 *   Team A,s001,Ada Lovelace,CS,Optimizers on MNIST and Fashion-MNIST,Sorting parcels by photo
 * project1/project2 may be given on one member's row or repeated on every row (then they must agree).
 * team2, optional, is the team the student does project 2 with; empty or absent: the same team.
 */
import { parseCsv } from "./csv";
import type { Course } from "./course";
import type { Problem } from "./problem";

/** The columns teams.csv must have (department and team2 are optional). */
export const TEAMS_COLUMNS = ["team", "id", "name", "project1", "project2"] as const;

/** One student's row. */
interface Member {
  line: number;
  /** The project 1 team. */
  team: string;
  /** The project 2 team (the project 1 team unless team2 says otherwise). */
  team2: string;
  id: string;
  name: string;
  department: string;
  project1: string;
  project2: string;
}

/** Normalizes a title for comparison: lower case, single spaces, no punctuation. */
function normalizeTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** Groups members by a key, in the order of first appearance. */
function groupBy(members: Member[], key: (m: Member) => string): Map<string, Member[]> {
  const groups = new Map<string, Member[]>();
  for (const m of members) {
    const k = key(m);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(m);
  }
  return groups;
}

/** The one title the members of a group give for a project, or a problem. */
function agreedTitle(members: Member[], key: "project1" | "project2", where: string, problems: Problem[]): string | undefined {
  const given = members.filter((m) => m[key] !== "");
  const distinct = [...new Set(given.map((m) => normalizeTitle(m[key])))];
  if (given.length === 0) problems.push({ where, message: `no ${key} title; give the team's ${key} in the ${key} column of at least one member's row.` });
  else if (distinct.length > 1) problems.push({ where, message: `members give different ${key} titles: ${given.map((m) => `"${m[key]}" (line ${m.line})`).join(", ")}; agree on one.` });
  else return given[0][key];
  return undefined;
}

/** Problems of a team whose members mix an own-group department (BSB) with other departments. */
function ownGroupProblems(members: Member[], course: Course, where: string): Problem[] {
  const problems: Problem[] = [];
  for (const group of course.ownGroups ?? []) {
    const department = group.department.trim().toLowerCase();
    const inside = members.filter((m) => m.department.toLowerCase() === department);
    const outside = members.filter((m) => m.department.toLowerCase() !== department);
    if (inside.length > 0 && outside.length > 0) {
      const ids = (ms: Member[]) => ms.map((m) => m.id).join(", ");
      problems.push({ where, message: `mixes ${group.department} students (${ids(inside)}) with students of other departments (${ids(outside)}); ${group.rule}.` });
    }
  }
  return problems;
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
    return [
      {
        where: `${file} line ${records[0].line}`,
        message: `the header lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; the header is "${TEAMS_COLUMNS.join(",")}" (department and team2 optional).`,
      },
    ];
  }
  const column = (fields: string[], name: string): string => (header.includes(name) ? (fields[header.indexOf(name)] ?? "").trim() : "");

  const members: Member[] = [];
  const byId = new Map<string, Member>();
  for (const record of records.slice(1)) {
    const where = `${file} line ${record.line}`;
    if (record.fields.length !== header.length) {
      problems.push({ where, message: `${record.fields.length} fields where the header has ${header.length}; quote a field that holds a comma ("Ng, Andrew").` });
    }
    const team = column(record.fields, "team");
    const member: Member = {
      line: record.line,
      team,
      team2: column(record.fields, "team2") || team,
      id: column(record.fields, "id"),
      name: column(record.fields, "name"),
      department: column(record.fields, "department"),
      project1: column(record.fields, "project1"),
      project2: column(record.fields, "project2"),
    };
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
    if (member.team2 !== member.team && course.project2Team === "same") {
      problems.push({ where, message: `team2 is "${member.team2}" but this course has project 2 done by the project 1 team ("${member.team}", course "project2Team": "same"); leave team2 empty.` });
      member.team2 = member.team;
    }
    members.push(member);
  }

  const linesOf = (ms: Member[]) => `line${ms.length > 1 ? "s" : ""} ${ms.map((m) => m.line).join(", ")}`;
  const teams = groupBy(members, (m) => m.team);
  const project1Titles = new Map<string, string | undefined>();
  for (const [team, group] of teams) {
    const where = `${file} team "${team}" (${linesOf(group)})`;
    if (group.length !== course.teamSize) {
      problems.push({ where, message: `${group.length} member${group.length === 1 ? "" : "s"}; teams have ${course.teamSize} students (course "teamSize").` });
    }
    problems.push(...ownGroupProblems(group, course, where));
    project1Titles.set(team, agreedTitle(group, "project1", where, problems));
  }

  // project 2: by the same team (team2 empty) or, where the course allows it, by another team
  for (const [team2, group] of groupBy(members, (m) => m.team2)) {
    const sameTeam = teams.get(team2);
    const unchanged = sameTeam !== undefined && sameTeam.length === group.length && group.every((m) => m.team === team2);
    const where = unchanged ? `${file} team "${team2}" (${linesOf(group)})` : `${file} project 2 team "${team2}" (${linesOf(group)})`;
    if (!unchanged) {
      if (group.length !== course.teamSize) {
        problems.push({ where, message: `${group.length} member${group.length === 1 ? "" : "s"} for project 2; teams have ${course.teamSize} students (course "teamSize").` });
      }
      problems.push(...ownGroupProblems(group, course, where));
    }
    const title2 = agreedTitle(group, "project2", where, problems);
    if (title2 === undefined) continue;
    const clash = group.find((m) => project1Titles.get(m.team) !== undefined && normalizeTitle(project1Titles.get(m.team)!) === normalizeTitle(title2));
    if (clash) {
      problems.push({ where, message: `project1 and project2 are the same ("${project1Titles.get(clash.team)}"); the lab project must be distinct from the first project.` });
    }
  }
  return problems;
}
