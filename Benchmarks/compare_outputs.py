#!/usr/bin/env python3
"""Checks that the DuckDB job decides like Clientele: the same customers, field by field.

    python3 Benchmarks/compare_outputs.py OURS/customers.jsonl.gz DUCKDB/customers.jsonl.gz [MORE ...]

Customers are matched by the id of their first source (the survivor). Known, documented differences
are ignored: refs (computed differently), the form of `sources` (ids are compared), `null` against an
absent field or an empty list, and the order of groups. Exits 1 on any other difference.
"""
import gzip
import json
import sys


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return {c["sources"][0]["id"]: c for c in map(json.loads, f)}


def comparable(field, value):
    if field == "addresses":
        value = [{k: v for k, v in a.items() if v is not None} for a in value or []]
    elif field == "orders" and value:
        value = {k: v for k, v in value.items() if v is not None}
    elif field == "groups":
        value = sorted(value or [])
    elif field == "sources":
        value = sorted(s["id"] for s in value)
    return None if value in (None, [], {}, False) else value


def differences(ours, theirs):
    found = {}
    for key in ours.keys() | theirs.keys():
        a, b = ours.get(key), theirs.get(key)
        if a is None or b is None:
            found.setdefault("missing on one side", []).append(key)
            continue
        for field in (a.keys() | b.keys()) - {"ref"}:
            if comparable(field, a.get(field)) != comparable(field, b.get(field)):
                found.setdefault(field, []).append((key, a.get(field), b.get(field)))
    return found


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ours = load(sys.argv[1])
    failed = False
    for path in sys.argv[2:]:
        found = differences(ours, load(path))
        print(f"{path}: {len(ours)} customers ours, " +
              ("no differences" if not found else ", ".join(f"{f}: {len(v)}" for f, v in sorted(found.items()))))
        for field, items in sorted(found.items()):
            for item in items[:3]:
                print(f"  {field}: {item}")
        failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
