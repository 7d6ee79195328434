#!/usr/bin/env bash
# Instructions an import executes, counted by callgrind: a figure that does not move with the load of
# a shared machine (wall times here varied by a third within an hour), for A/B checks of a change.
#
#   Benchmarks/instructions.sh                       # this checkout's release build, 10,000 records per format
#   Benchmarks/instructions.sh --against OLD_BINARY  # also an older build, and checks the outputs are identical
#   Benchmarks/instructions.sh --count 20000 --formats csv,jsonl
#
# Prints one line per format: instructions (and the change against --against). Valgrind hides the
# CPU's SHA extensions, so the report's SHA-256 runs in software here (about 15 % of the count);
# compare builds with each other, not with wall-clock profiles.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"

count=10000
formats=csv,jsonl,xml
against=""
while [ $# -gt 0 ]; do
    case "$1" in
        --count) count=$2; shift 2 ;;
        --formats) formats=$2; shift 2 ;;
        --against) against=$2; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1 (see --help)" >&2; exit 64 ;;
    esac
done

if ! command -v valgrind >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
    else
        echo "error: please install valgrind" >&2
        exit 1
    fi
fi

nice -n 10 swift build -c release --product clientele >&2
bin="$(swift build -c release --show-bin-path)/clientele"
work="$here/work/instructions"
rm -rf "$work" && mkdir -p "$work"
# Valgrind reads the debug info of an unstripped Swift binary for minutes; the counts do not need it.
strip --strip-debug -o "$work/new" "$bin"
[ -n "$against" ] && strip --strip-debug -o "$work/old" "$against"

count_instructions() {  # binary input out → instructions
    valgrind --tool=callgrind --callgrind-out-file="$3.callgrind" "$1" import "$2" --out "$3" --quiet >/dev/null 2>"$3.log" || true
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$3.log"
}

IFS=, read -ra list <<< "$formats"
status=0
for format in "${list[@]}"; do
    input="$here/data/customers-$count-s42.$format"
    mkdir -p "$here/data"
    [ -s "$input" ] || "$bin" generate --count "$count" --seed 42 --format "$format" --out "$input" >/dev/null
    new=$(count_instructions "$work/new" "$input" "$work/new-$format")
    line=$(printf '%-6s %6.3f G' "$format" "$(echo "$new / 1000000000" | bc -l)")
    if [ -n "$against" ]; then
        old=$(count_instructions "$work/old" "$input" "$work/old-$format")
        same=identical
        for f in customers.jsonl crosswalk.csv rejects.jsonl rejects.csv; do
            [ -e "$work/new-$format/$f" ] || [ -e "$work/old-$format/$f" ] || continue
            cmp -s "$work/new-$format/$f" "$work/old-$format/$f" || { same="DIFFERENT ($f)"; status=1; }
        done
        line+=$(printf '   against %6.3f G: %+.1f %%   outputs %s' "$(echo "$old / 1000000000" | bc -l)" \
            "$(echo "($new - $old) * 100 / $old" | bc -l)" "$same")
    fi
    echo "$line"
done
exit $status
