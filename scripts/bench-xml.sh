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

median_seconds() {  # runs "$@" three times, prints the median wall time in seconds
    local times=()
    for _ in 1 2 3; do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null
        end=$(date +%s.%N)
        times+=("$(python3 -c "print($end - $start)")")
    done
    printf '%s\n' "${times[@]}" | sort -g | sed -n 2p
}

scan=$(median_seconds "$bin" scan "$file")
lint=$(median_seconds xmllint --stream --noout "$file")
python3 - "$count" "$bytes" "$scan" "$lint" <<'PY'
import sys
count, size, scan, lint = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
mb = size / 1e6
print(f"{count} records, {mb:.0f} MB of XML")
print(f"clientele scan (XMLRecordReader): {scan:.2f} s  {mb / scan:.0f} MB/s  {count / scan / 1000:.0f} k records/s")
print(f"xmllint --stream --noout:         {lint:.2f} s  {mb / lint:.0f} MB/s")
print(f"ratio: {lint / scan:.2f}x xmllint's speed")
PY
