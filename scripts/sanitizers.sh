#!/usr/bin/env bash
# Runs the test suite under AddressSanitizer and ThreadSanitizer (issue 6), each in its own scratch
# path (.build-asan, .build-tsan: git-ignored), and prints how long each build and run took.
#
#   scripts/sanitizers.sh [address|thread|all] [extra swift test arguments, e.g. --filter Formats]
#
# Not part of .ci/run: on CI's 2 cores the two sanitizer builds alone (swift-crypto's BoringSSL
# included) take longer than the budget; run it before a release. Measured figures: HOSTILE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
shift || true
case "$which" in
address) sanitizers=(address) ;;
thread) sanitizers=(thread) ;;
all) sanitizers=(address thread) ;;
*) echo "usage: scripts/sanitizers.sh [address|thread|all] [swift test arguments]" >&2; exit 64 ;;
esac

# Leaks: the Swift runtime keeps metadata caches and Foundation singletons until exit, which
# LeakSanitizer would report at the end of every test process; real leaks inside a run show up as
# growth, which the limit tests measure. halt_on_error makes the first finding fail the run.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1:abort_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1}"
# The Swift crash backtracer reads foreign stacks, which the sanitizers report as a second error.
export SWIFT_BACKTRACE=enable=no
# Tells the limit tests to print peak memory but not check its bounds (shadow memory, quarantine).
export CLIENTELE_SANITIZED=1

status=0
for s in "${sanitizers[@]}"; do
    scratch=".build-${s:0:1}san"
    start=$(date +%s)
    echo "== $s: building into $scratch" >&2
    nice -n 19 swift build --build-tests --sanitize="$s" --scratch-path "$scratch"
    built=$(date +%s)
    echo "== $s: running the tests" >&2
    if nice -n 19 swift test --skip-build --sanitize="$s" --scratch-path "$scratch" "$@"; then
        result=passed
    else
        result=FAILED
        status=1
    fi
    done_at=$(date +%s)
    echo "== $s: $result (build $((built - start)) s, tests $((done_at - built)) s)" >&2
done
exit $status
