#!/usr/bin/env bash
# Builds one fuzz target (release, -sanitize=fuzzer,address) and runs it for SECONDS under nice.
#
#   Fuzz/run.sh csv|json|xml|import SECONDS [extra libFuzzer flags…]
#
# The corpus grows in Fuzz/corpus/TARGET (seeded by make-corpus.sh on first use); crashes, leaks,
# timeouts and out-of-memory inputs land in Fuzz/artifacts/TARGET/; the log in Fuzz/logs/TARGET.log.
# The last lines printed are libFuzzer's final stats (stat::number_of_executed_units, …).
# FUZZ_SANITIZE=fuzzer runs without AddressSanitizer (about twice as fast).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: run.sh csv|json|import|xml SECONDS}"
seconds="${2:?usage: run.sh TARGET SECONDS}"
shift 2

case "$target" in
csv) product=FuzzCSV; max_len=16384 ;;
json) product=FuzzJSON; max_len=16384 ;;
import) product=FuzzImport; max_len=16384 ;;
xml) product=FuzzXML; max_len=16384 ;;
*)
    echo "run.sh: unknown target '$target' (csv, json, import, xml)" >&2
    exit 64
    ;;
esac

sanitize="${FUZZ_SANITIZE:-fuzzer,address}"
cd "$here"
echo "== building $product ($sanitize, release)" >&2
nice -n 19 swift build -c release --product "$product" \
    -Xswiftc "-sanitize=$sanitize" -Xswiftc -parse-as-library >&2
binary="$(swift build -c release --show-bin-path)/$product"

[ -d "corpus/$target" ] && [ -n "$(ls -A "corpus/$target")" ] || "$here/make-corpus.sh" "$target" >&2
mkdir -p "artifacts/$target" logs
dict=()
[ -f "dictionaries/$target.dict" ] && dict=(-dict="dictionaries/$target.dict")

echo "== running $product for $seconds s" >&2
set +e
# ASan: leaks are reported at exit only (detect_leaks in libFuzzer's -detect_leaks applies per input).
# The Swift runtime's own crash backtracer reads foreign stack memory, which ASan reports as a second,
# bogus error after the real one: leave crash reports to ASan and libFuzzer.
SWIFT_BACKTRACE=enable=no \
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}" \
nice -n 19 "$binary" "corpus/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -artifact_prefix="artifacts/$target/" -print_final_stats=1 "${dict[@]}" "$@" \
    >"logs/$target.log" 2>&1
status=$?
set -e
tail -n 20 "logs/$target.log"
crashes=$(ls "artifacts/$target" | wc -l)
echo "== $product: exit $status, $(ls "corpus/$target" | wc -l) corpus files, $crashes artifacts in Fuzz/artifacts/$target"
exit $status
