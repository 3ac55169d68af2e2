#!/usr/bin/env bash
# Gradescope setup: runs once when the autograder image is built (Ubuntu, as root).
# Upload a zip holding: setup.sh, run_autograder, assignment/ (the output of
# `workbook assign generate`: <name>.grading.json and the student notebook), and
# dl-workbook.tgz (`npm pack` of this package). Nothing is fetched at grading time.
set -euo pipefail

apt-get update
apt-get install -y util-linux nodejs npm   # util-linux: unshare, prlimit, setpriv for the sandbox
# The kernel needs Node >= 20.16 (for --allow-addons); pick a Gradescope base image whose
# distribution ships it, or install it from your institution's mirror.
node -e 'const [a, b] = process.versions.node.split(".").map(Number); if (a < 20 || (a === 20 && b < 16)) { console.error("Node " + process.versions.node + " is too old: dl-workbook needs >= 20.16"); process.exit(1); }'
npm install --global /autograder/source/dl-workbook.tgz
# The spec holds the hidden tests and expected values: readable by root (the grader) only.
chmod -R go-rwx /autograder/source/assignment
