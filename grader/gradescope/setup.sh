#!/usr/bin/env bash
# Gradescope setup: runs once when the autograder image is built (Ubuntu, as root).
# Upload a zip holding: setup.sh, run_autograder, assignment/ (the output of
# `workbook assign generate`: <name>.grading.json and the student notebook), and
# dl-workbook.tgz (`npm pack` of this package). Nothing is fetched at grading time.
set -euo pipefail

apt-get update
apt-get install -y util-linux bubblewrap nodejs npm   # the sandbox: bubblewrap (bwrap), and util-linux (prlimit, setpriv; unshare where bwrap cannot run)
# The kernel needs Node >= 20.16 (for --allow-addons); pick a Gradescope base image whose
# distribution ships it, or install it from your institution's mirror.
node -e 'const [a, b] = process.versions.node.split(".").map(Number); if (a < 20 || (a === 20 && b < 16)) { console.error("Node " + process.versions.node + " is too old: dl-workbook needs >= 20.16"); process.exit(1); }'
npm install --global /autograder/source/dl-workbook.tgz
# The spec holds the hidden tests and expected values: readable by root (the grader) only.
chmod -R go-rwx /autograder/source/assignment
# Grade the blank student notebook once: this checks that the sandbox works in this image and builds
# the startup snapshot the grading kernels start from (kernel/snapshot), about 4 s, so that each
# grading run finds it ready. Its V8 flags follow --memory: keep it equal to run_autograder's.
WARM=$(mktemp -d /tmp/workbook-setup.XXXXXX)
mkdir "$WARM/blank"
find /autograder/source/assignment -maxdepth 1 -name '*.ipynb' -not -name '*.source.ipynb' -exec cp {} "$WARM/blank/" \;
workbook grade /autograder/source/assignment "$WARM/blank" --out "$WARM/out" --jobs 1 --timeout-cell 60 --timeout 480 --memory 2048 --quiet
rm -rf "$WARM"
