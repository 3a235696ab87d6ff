#!/usr/bin/env bash
# Runs one fuzz target for a while and fails when it executed fewer than
# FUZZMIN inputs (for a budget of N inputs, "Nx": fewer than N): a target
# whose setup eats its budget is not fuzzing.
# Usage: scripts/fuzz.sh TARGET PACKAGE FUZZTIME
set -euo pipefail
target=$1 pkg=$2 fuzztime=$3
min=${FUZZMIN:-300}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fuzz() { "${GO:-go}" test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" 2>&1 | tee "$out"; }
if ! fuzz; then
	# Go's fuzz coordinator sometimes ends a timed run with "context deadline
	# exceeded" and no failing input when a worker is slow to stop on a busy
	# machine: that is not a finding, so run once more. A real failure
	# writes its input ("Failing input written to …") and is never retried.
	if grep -q 'context deadline exceeded' "$out" && ! grep -q 'Failing input' "$out"; then
		echo "fuzz: $target stopped on the coordinator's deadline without a failing input; running it again"
		fuzz || exit 1
	else
		exit 1
	fi
fi
execs=$(sed -n 's/.*execs: \([0-9]*\).*/\1/p' "$out" | tail -1)
case $fuzztime in
*x) min=${fuzztime%x} ;; # a count of inputs: the count is the floor
esac
if [ -z "$execs" ] || [ "$execs" -lt "$min" ]; then
	echo "fuzz: $target executed ${execs:-no} inputs in $fuzztime, fewer than $min: give it a cheaper harness or a budget of its own"
	exit 1
fi
echo "fuzz: $target executed $execs inputs"
