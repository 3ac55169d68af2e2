import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_COURSE, deadlineDate, describeDeadlines, loadCourse } from "./course";
import { parseCsv } from "./csv";
import { checkTeams } from "./teams";
import { main } from "./cli-teams";

const HEADER = "team,id,name,department,project1,project2";
const GOOD = [
  HEADER,
  'A,s01,"Lovelace, Ada",CS,Optimizers on MNIST and Fashion-MNIST,Sorting parcels by photo',
  "A,s02,Alan Turing,Math,,",
  "A,s03,Grace Hopper,EE,,",
  "B,s04,Emmy Noether,Math,Kaggle digit recognizer,Reading meters from photos",
  "B,s05,John von Neumann,CS,Kaggle digit recognizer,Reading meters from photos",
  "B,s06,Kurt Goedel,Math,,",
].join("\n");

test("parseCsv: quotes, doubled quotes, CRLF and line numbers", () => {
  const records = parseCsv('a,b\r\n"x, y","say ""hi"""\r\n\r\n"two\nlines",z\n');
  assert.deepEqual(records, [
    { line: 1, fields: ["a", "b"] },
    { line: 2, fields: ["x, y", 'say "hi"'] },
    { line: 4, fields: ["two\nlines", "z"] },
  ]);
  assert.throws(() => parseCsv('a\n"open', "t.csv"), /t\.csv line 2: a quoted field is never closed/);
});

test("teams check: a good file passes", () => {
  assert.deepEqual(checkTeams(GOOD, DEFAULT_COURSE), []);
});

test("teams check: team sizes", () => {
  const problems = checkTeams(GOOD.replace("\nB,s06,Kurt Goedel,Math,,", ""), DEFAULT_COURSE);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].where, 'teams.csv team "B" (lines 5, 6)');
  assert.match(problems[0].message, /^2 members; teams have 3 students/);
  const four = checkTeams(`${GOOD}\nB,s07,Ada Yonath,Chem,,`, DEFAULT_COURSE);
  assert.match(four[0].message, /^4 members/);
});

test("teams check: nobody in two teams", () => {
  const problems = checkTeams(GOOD.replace("B,s06,Kurt Goedel", "B,s02,Alan Turing"), DEFAULT_COURSE);
  const twice = problems.find((p) => p.where === "teams.csv line 7");
  assert.ok(twice, JSON.stringify(problems));
  assert.match(twice.message, /student s02 \(Alan Turing\) is in team "B" and also in team "A" \(line 3\)/);
  const same = checkTeams(GOOD.replace("A,s03,Grace Hopper", "A,s02,Alan Turing"), DEFAULT_COURSE);
  assert.ok(
    same.some((p) => /listed twice in team "A"/.test(p.message)),
    JSON.stringify(same),
  );
});

test("teams check: the two projects are named and distinct", () => {
  // titles compare without case or punctuation
  const same = checkTeams(GOOD.replace(",Sorting parcels by photo", ",optimizers on MNIST and Fashion MNIST!"), DEFAULT_COURSE);
  assert.equal(same.length, 1, JSON.stringify(same));
  assert.match(same[0].message, /project1 and project2 are the same \("Optimizers on MNIST and Fashion-MNIST"\); the lab project must be distinct/);
  const missing = checkTeams(GOOD.replace(",Sorting parcels by photo", ","), DEFAULT_COURSE);
  assert.ok(
    missing.some((p) => p.where.startsWith('teams.csv team "A"') && /no project2 title/.test(p.message)),
    JSON.stringify(missing),
  );
  const disagree = checkTeams(GOOD.replace("B,s05,John von Neumann,CS,Kaggle digit recognizer", "B,s05,John von Neumann,CS,Chess engine"), DEFAULT_COURSE);
  assert.ok(
    disagree.some((p) => /members give different project1 titles/.test(p.message)),
    JSON.stringify(disagree),
  );
});

test("teams check: project 2 by the same team or, as the slides allow, by a different one", () => {
  // s01, s02 and s04 do project 2 together; s03, s05 and s06 form the other project 2 team
  const regrouped = [
    `${HEADER},team2`,
    'A,s01,"Lovelace, Ada",CS,Optimizers on MNIST and Fashion-MNIST,Sorting parcels by photo,P',
    "A,s02,Alan Turing,Math,,,P",
    "A,s03,Grace Hopper,EE,,Reading meters from photos,Q",
    "B,s04,Emmy Noether,Math,Kaggle digit recognizer,,P",
    "B,s05,John von Neumann,CS,Kaggle digit recognizer,,Q",
    "B,s06,Kurt Goedel,Math,,,Q",
  ].join("\n");
  assert.deepEqual(checkTeams(regrouped, DEFAULT_COURSE), []);
  // a team2 column left empty keeps the project 1 team
  assert.deepEqual(
    checkTeams(
      GOOD.replace(HEADER, `${HEADER},team2`)
        .split("\n")
        .map((l, i) => (i === 0 ? l : `${l},`))
        .join("\n"),
      DEFAULT_COURSE,
    ),
    [],
  );
  // a project 2 team has the course's size too, and its lab project differs from each member's project 1
  const small = checkTeams(regrouped.replace("B,s06,Kurt Goedel,Math,,,Q", "B,s06,Kurt Goedel,Math,,,P"), DEFAULT_COURSE);
  assert.deepEqual(
    small.map((p) => p.where),
    ['teams.csv project 2 team "P" (lines 2, 3, 5, 7)', 'teams.csv project 2 team "Q" (lines 4, 6)'],
  );
  assert.match(small[0].message, /^4 members for project 2; teams have 3 students/);
  const same = checkTeams(regrouped.replace("Reading meters from photos", "Kaggle digit recognizer"), DEFAULT_COURSE);
  assert.deepEqual(
    same.map((p) => p.message),
    ['project1 and project2 are the same ("Kaggle digit recognizer"); the lab project must be distinct from the first project.'],
  );
  // a course that wants the same team says so
  const strict = checkTeams(regrouped, { ...DEFAULT_COURSE, project2Team: "same" });
  assert.ok(
    strict.some((p) => p.where === "teams.csv line 2" && /course "project2Team": "same"/.test(p.message)),
    JSON.stringify(strict),
  );
});

test("teams check: BSB students form their own groups", () => {
  const mixed = checkTeams(GOOD.replace("A,s02,Alan Turing,Math", "A,s02,Alan Turing,BSB"), DEFAULT_COURSE);
  assert.equal(mixed.length, 1, JSON.stringify(mixed));
  assert.equal(mixed[0].where, 'teams.csv team "A" (lines 2, 3, 4)');
  assert.equal(mixed[0].message, "mixes BSB students (s02) with students of other departments (s01, s03); BSB students form their own groups and take problems from their core department.");
  // team B all BSB (case ignored): fine
  const own = GOOD.replace("Emmy Noether,Math", "Emmy Noether,BSB").replace("John von Neumann,CS", "John von Neumann,bsb").replace("Kurt Goedel,Math", "Kurt Goedel,BSB");
  assert.deepEqual(checkTeams(own, DEFAULT_COURSE), []);
});

test("teams check: header and row errors name the line", () => {
  const noHeader = checkTeams("team,name\nA,Ada", DEFAULT_COURSE);
  assert.match(noHeader[0].message, /lacks the columns id, project1, project2/);
  const short = checkTeams(`${HEADER}\nA,,Ada,CS,x,y`, { ...DEFAULT_COURSE, teamSize: 1 });
  assert.ok(
    short.some((p) => p.where === "teams.csv line 2" && /empty id/.test(p.message)),
    JSON.stringify(short),
  );
});

test("workbook teams check: exit codes", async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "teams-test-"));
  try {
    const good = path.join(folder, "teams.csv");
    fs.writeFileSync(good, GOOD);
    const bad = path.join(folder, "bad.csv");
    fs.writeFileSync(bad, GOOD.replace("B,s06", "B,s01"));
    const log = console.log;
    const printed: string[] = [];
    console.log = (...parts: unknown[]) => void printed.push(parts.join(" "));
    try {
      assert.equal(await main(["check", good]), 0);
      assert.equal(await main(["check", bad]), 1);
    } finally {
      console.log = log;
    }
    assert.match(printed.join("\n"), /bad\.csv line 7: student s01/);
    const course = path.join(folder, "course.json");
    fs.writeFileSync(course, JSON.stringify({ teamSize: 4 }));
    console.log = () => undefined;
    try {
      assert.equal(await main(["check", good, "--course", course]), 1);
    } finally {
      console.log = log;
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("course: the slides' defaults and a configurable year", () => {
  assert.equal(DEFAULT_COURSE.teamSize, 3);
  // the slides: 20 hours per student in project 1; project 2 by the same team or another; BSB in own groups
  assert.equal(DEFAULT_COURSE.projects.find((p) => p.id === "project 1")?.hoursPerStudent, 20);
  assert.equal(DEFAULT_COURSE.project2Team, "same or different");
  assert.deepEqual(
    DEFAULT_COURSE.ownGroups?.map((g) => g.department),
    ["BSB"],
  );
  assert.equal(DEFAULT_COURSE.pageLimit, 2);
  assert.equal(deadlineDate(DEFAULT_COURSE, "teamFormation", 2030).toISOString(), "2030-03-06T23:59:59.000Z");
  assert.equal(deadlineDate(DEFAULT_COURSE, "proposals").toISOString().slice(5, 10), "03-15");
  assert.equal(deadlineDate(DEFAULT_COURSE, "project2").toISOString().slice(5, 10), "04-15");
  assert.equal(deadlineDate(DEFAULT_COURSE, "project1").toISOString().slice(5, 10), "04-30");
  assert.match(describeDeadlines(DEFAULT_COURSE, 2028)[0], /^2028-03-06 {2}teams of 3/);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "course-test-"));
  try {
    const file = path.join(folder, "course.json");
    fs.writeFileSync(file, JSON.stringify({ year: 2031, deadlines: { proposals: { date: "3/15", what: "x" } } }));
    assert.throws(() => loadCourse(file), /deadlines\.proposals\.date is "3\/15"; write month-day as "MM-DD"/);
    fs.writeFileSync(file, JSON.stringify({ year: 2031 }));
    assert.equal(loadCourse(file).year, 2031);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
