#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (one at a time: the machine is shared).
#
#   Fuzz/run-all.sh SECONDS
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:?usage: run-all.sh SECONDS}"
failed=()
for target in csv json xml import; do
    "$here/run.sh" "$target" "$seconds" || failed+=("$target")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "run-all.sh: findings in: ${failed[*]} (see Fuzz/artifacts/, Fuzz/logs/)" >&2
    exit 1
fi
echo "run-all.sh: no findings"
