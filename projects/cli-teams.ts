/**
 * `workbook teams check <teams.csv> [--course course.json]`: checks team sizes, that nobody is in
 * two teams, that each team's two projects are distinct (project 2 by the same team or another),
 * and that BSB students form teams of their own. Exit code 0 only when all pass.
 */
import * as fs from "fs";
import { loadCourse } from "./course";
import { formatProblems } from "./problem";
import { checkTeams } from "./teams";

const USAGE = `Usage: workbook teams check <teams.csv> [--course course.json]

Checks a class's teams file: every team has the course's team size (3 by default), nobody is
in two teams, each team names two distinct projects, and students of an own-group department
(BSB) are in teams of their own. Prints each problem with its line; exits with 0 only when all pass.

teams.csv has a header and one row per student:
  team,id,name,department,project1,project2[,team2]     (department and team2 may be left out)
project1 and project2 may be given on one member's row or repeated on each. Project 2 may be
done by the same team (leave team2 empty) or by a different team of the course's size: give
that team's name in team2 on its members' rows and the project2 title there.
BSB students form their own groups and take problems from their core department.

Options:
  --course <file>   course config (default: the package's projects/course.json)`;

/** Runs the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const [action, ...rest] = args;
  if (action !== "check") {
    console.error(action === undefined ? USAGE : `workbook teams: unknown action "${action}"; use "check".\n\n${USAGE}`);
    return 2;
  }
  let courseFile: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--course") courseFile = rest[++i];
    else if (rest[i].startsWith("--")) {
      console.error(`workbook teams check: unknown option "${rest[i]}".\n\n${USAGE}`);
      return 2;
    } else files.push(rest[i]);
  }
  if (files.length !== 1 || (rest.includes("--course") && !courseFile)) {
    console.error(USAGE);
    return 2;
  }
  const course = loadCourse(courseFile);
  const file = files[0];
  if (!fs.existsSync(file)) {
    console.error(`workbook teams check: ${file} does not exist.`);
    return 2;
  }
  const problems = checkTeams(fs.readFileSync(file, "utf8"), course, file);
  if (problems.length === 0) {
    console.log(
      `${file}: all teams pass (team size ${course.teamSize}, nobody in two teams, two distinct projects each${(course.ownGroups ?? []).map((g) => `, ${g.department} students in teams of their own`).join("")}).`,
    );
    return 0;
  }
  console.log(formatProblems(problems));
  console.log(`\n${problems.length} problem${problems.length === 1 ? "" : "s"} in ${file}.`);
  return 1;
}
