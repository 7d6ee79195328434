#!/usr/bin/env bash
# XML parse throughput: Clientele's reader (`clientele scan`, records built, nothing mapped or
# written) against `xmllint --stream --noout` on the same generated file. Release build, median of
# 3 runs each, MB/s of file bytes (1 MB = 10^6 bytes).
#
#   scripts/bench-xml.sh [RECORDS]        # default 500000 (about 570 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-500000}
swift build -c release --product clientele >/dev/null
bin=.build/release/clientele
file=${TMPDIR:-/tmp}/clientele-bench-$count.xml
[ -s "$file" ] || "$bin" generate --count "$count" --format xml --seed 1 --out "$file"
bytes=$(stat -c %s "$file")

median_seconds() {  # runs "$@" three times; prints the median wall and the median CPU (user+sys) seconds
    local walls=() cpus=()
    for _ in 1 2 3; do
        local out
        out=$( { /usr/bin/time -f '%e %U %S' "$@" >/dev/null; } 2>&1 | tail -1 )
        walls+=("$(echo "$out" | cut -d' ' -f1)")
        cpus+=("$(echo "$out" | awk '{print $2 + $3}')")
    done
    echo "$(printf '%s\n' "${walls[@]}" | sort -g | sed -n 2p) $(printf '%s\n' "${cpus[@]}" | sort -g | sed -n 2p)"
}

read -r scan scan_cpu <<<"$(median_seconds "$bin" scan "$file")"
read -r lint lint_cpu <<<"$(median_seconds xmllint --stream --noout "$file")"
python3 - "$count" "$bytes" "$scan" "$lint" "$scan_cpu" "$lint_cpu" <<'PY'
import sys
count, size = int(sys.argv[1]), int(sys.argv[2])
scan, lint, scan_cpu, lint_cpu = map(float, sys.argv[3:7])
mb = size / 1e6
print(f"{count} records, {mb:.0f} MB of XML (median of 3; wall, and CPU user+sys)")
print(f"clientele scan (XMLRecordReader): {scan:.2f} s  {mb / scan:.0f} MB/s wall, {mb / scan_cpu:.0f} MB/s CPU, {count / scan / 1000:.0f} k records/s")
print(f"xmllint --stream --noout:         {lint:.2f} s  {mb / lint:.0f} MB/s wall, {mb / lint_cpu:.0f} MB/s CPU")
print(f"clientele speed / xmllint speed: {lint / scan:.2f} wall, {lint_cpu / scan_cpu:.2f} CPU")
PY
