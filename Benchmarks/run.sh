#!/usr/bin/env bash
# Clientele's import against a hand-written DuckDB job (issue 7), from a fresh clone, in one command:
#
#   Benchmarks/run.sh                      # 1,000,000 records, 3 alternated pairs per case, appends to BENCHMARKS.md
#   Benchmarks/run.sh --count 50000 --pairs 1 --no-record
#   Benchmarks/run.sh --scale              # our import at 1M and 10M records: peak RSS ratio
#
# Sets up Benchmarks/.venv with DuckDB, builds `clientele` in release, then runs Benchmarks/bench.py
# (every argument is passed on; `--help` lists them). Benchmarks/README.md explains the cases.
set -euo pipefail

DUCKDB_VERSION=2.0.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"

# Prerequisites the benchmark itself needs: /usr/bin/time (GNU time, for -v) and xmllint (case d).
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "error: please install ${missing[*]} (Debian package names)" >&2
        exit 1
    fi
fi

# DuckDB in a local virtual environment (git-ignored), pinned.
venv="$here/.venv"
if ! "$venv/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION"
fi

# Our side, in release. Built below normal priority: the machine may be shared.
nice -n 10 swift build -c release --product clientele
bin="$(swift build -c release --show-bin-path)/clientele"

export BENCH_COMMAND="Benchmarks/run.sh${*:+ $*}"
exec "$venv/bin/python" "$here/bench.py" --bin "$bin" --python "$venv/bin/python" "$@"
