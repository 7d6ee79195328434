#!/usr/bin/env bash
# Fills Fuzz/corpus/TARGET with seed inputs (corpus dirs are not committed; libFuzzer adds what it
# finds to them). Seeds: SampleData/, the golden cases' inputs and archives, the conformance suites
# vendored in Tests/Conformance (csv-spectrum, JSONTestSuite), gzipped copies for the
# import target, and the small hand-made seeds committed in Fuzz/seeds/TARGET.
#
#   Fuzz/make-corpus.sh csv|json|import|xml
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${1:?usage: make-corpus.sh csv|json|import|xml}"
conformance="${CLIENTELE_CONFORMANCE:-$root/Tests/Conformance}"
corpus="$here/corpus/$target"
mkdir -p "$corpus"

# Copies each file given into the corpus under a name made from its content (so reruns add nothing).
add() {
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "$corpus/seed-$(sha1sum <"$f" | cut -c1-16)"
    done
}

shopt -s nullglob
case "$target" in
csv)
    add "$root"/SampleData/*.csv "$conformance"/csv-spectrum/csvs/*.csv \
        "$root"/Tests/ClienteleGoldenTests/Cases/*/input.csv "$root"/Tests/ClienteleGoldenTests/Cases/*/expected/*.csv
    ;;
json)
    add "$root"/SampleData/*.jsonl "$conformance"/JSONTestSuite/test_parsing/*.json \
        "$root"/Tests/ClienteleGoldenTests/Cases/*/expected/*.jsonl
    ;;
import)
    add "$root"/SampleData/*.csv "$root"/SampleData/*.jsonl "$root"/SampleData/*.xml "$root"/Tests/ClienteleGoldenTests/Cases/*/input.* \
        "$root"/Tests/ClienteleGoldenTests/Cases/*/expected/customers.jsonl \
        "$root"/Tests/ClienteleGoldenTests/Cases/*/expected/rejects.csv \
        "$conformance"/csv-spectrum/csvs/*.csv
    # gzip is detected by content: give the fuzzer some compressed inputs to mutate.
    tmp="$(mktemp -d)"
    for f in "$root"/SampleData/*.csv "$root"/SampleData/*.jsonl "$root"/SampleData/*.xml; do gzip -n -c "$f" >"$tmp/$(basename "$f").gz"; done
    add "$tmp"/*
    rm -rf "$tmp"
    ;;
xml)
    add "$root"/SampleData/*.xml "$root"/Schemas/examples/*.xml "$root"/Schemas/examples/invalid/*.xml \
        "$root"/Tests/ClienteleGoldenTests/Cases/*/input.xml "$root"/Tests/ClienteleGoldenTests/Cases/*/expected/*.xml
    ;;
*)
    echo "make-corpus.sh: unknown target '$target' (csv, json, import, xml)" >&2
    exit 64
    ;;
esac
add "$here"/seeds/"$target"/*
echo "$corpus: $(ls "$corpus" | wc -l) files"
