/**
 * `workbook teams check <teams.csv> [--course course.json]`: checks team sizes, that nobody is in
 * two teams, that each team's two projects are distinct (project 2 by the same team or another),
 * and that BSB students form teams of their own. Exit code 0 only when all pass.
 */
import * as fs from "fs";
import { loadCourse } from "./course";
import { formatProblems } from "./problem";
import { checkTeams } from "./teams";
import { EXIT, parseCommandLine, runCommand, UsageError, usageError } from "../cli/args";

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

/** The options of `workbook teams check`. */
const OPTIONS = { course: { type: "string" } } as const;

/** Runs the command; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand(USAGE, args, async () => {
    const [action, ...rest] = args;
    if (action === undefined) throw new UsageError(USAGE);
    if (action !== "check") throw usageError("teams", `unknown action "${action}"; use "check"; see workbook teams --help`);
    const { values, positionals } = parseCommandLine("teams check", rest, OPTIONS);
    if (positionals.length !== 1) throw usageError("teams check", `give one teams file, e.g. workbook teams check teams.csv (got ${positionals.length}).`);
    return checkTeamsFile(positionals[0], values.course);
  });
}

/** Checks one teams file and prints its problems. */
function checkTeamsFile(file: string, courseFile: string | undefined): number {
  const course = loadCourse(courseFile);
  if (!fs.existsSync(file)) throw usageError("teams check", `${file} does not exist.`);
  const problems = checkTeams(fs.readFileSync(file, "utf8"), course, file);
  if (problems.length === 0) {
    console.log(
      `${file}: all teams pass (team size ${course.teamSize}, nobody in two teams, two distinct projects each${(course.ownGroups ?? []).map((g) => `, ${g.department} students in teams of their own`).join("")}).`,
    );
    return EXIT.ok;
  }
  console.log(formatProblems(problems));
  console.log(`\n${problems.length} problem${problems.length === 1 ? "" : "s"} in ${file}.`);
  return EXIT.failed;
}
