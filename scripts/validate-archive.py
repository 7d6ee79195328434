#!/usr/bin/env python3
"""Validates a Clientele archive directory against Schemas/ (SPEC §2-§4).

Usage: scripts/validate-archive.py ARCHIVE_DIR [--schemas DIR] [--max-shown N] [--every N]

Checks, each counted once as passed or failed:
  - report.json against Schemas/report.schema.json; read = written + merged + rejected for the
    totals and for every input; the totals are the sums of the inputs' counts; every output's
    bytes and SHA-256 match the file.
  - every line of customers.jsonl (or customers.jsonl.gz) against Schemas/customer.schema.json
    (Draft 2020-12, format checking on); members in the canonical order of SPEC §2; refs unique
    and ascending; exactly `written` lines. A customers.csv(.gz) archive is read back as
    Schemas/customer-columns.md describes (rows unflattened, typed) and checked the same way, its
    header once for the canonical column order.
  - every line of rejects.jsonl against Schemas/reject.schema.json; exactly `rejected` lines;
    rejects.csv, when present, ends with error_codes,error_messages and has one row per reject
    of a CSV input.
  - crosswalk.csv: header system,source_id,file,line,ref,disposition; written + merged rows;
    `written` rows with disposition written and `merged` with merged; rows grouped by customer in
    ref order, the written row first; every ref is a customer, and every customer has exactly one
    written row.

Prints the failures (at most --max-shown per check), then one line "N passed, M failed", and
exits 1 when anything failed (2 on usage errors). Schema validation costs a few milliseconds a
line; for large archives `--every N` validates every Nth customer and reject against the schema
(the counts, ref order, member order and crosswalk are still checked on every line). Needs the `jsonschema` package (4.18 or later)
and, for date-time format checking, `rfc3339-validator`.
"""
import argparse
import csv
import gzip
import hashlib
import io
import json
import os
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover - environment problem, not a validation result
    sys.exit("validate-archive: the jsonschema package is needed (pip install jsonschema rfc3339-validator)")

# Member order of SPEC §2 / CustomerRecord+JSON.swift, per object kind.
CUSTOMER_ORDER = ["ref", "kind", "email", "username", "passwordHash", "passwordResetRequired", "status", "salutation",
                  "firstName", "middleName", "lastName", "gender", "dateOfBirth", "phone", "company", "taxVat", "locale",
                  "groups", "sites", "acceptsMarketing", "addresses", "notes", "orders", "storeCredit", "wishlist",
                  "attributes", "createdAt", "updatedAt", "sources", "anonymizedAt"]
ADDRESS_ORDER = ["firstName", "lastName", "company", "street1", "street2", "city", "region", "postalCode", "country",
                 "phone", "defaultBilling", "defaultShipping"]
NESTED_ORDER = {
    "passwordHash": ["algorithm", "value"],
    "notes": ["text", "createdAt"],
    "orders": ["count", "totals", "lastOrderAt"],
    "storeCredit": ["currency", "amount"],
    "totals": ["currency", "amount"],
    "sources": ["system", "id", "file", "line"],
    "addresses": ADDRESS_ORDER,
}
CROSSWALK_HEADER = ["system", "source_id", "file", "line", "ref", "disposition"]


class Checks:
    """Counts checks and remembers the first failures of each kind."""

    def __init__(self, max_shown):
        self.passed = 0
        self.failed = 0
        self.max_shown = max_shown
        self.shown = {}
        self.hidden = {}

    def check(self, ok, kind, message=""):
        if ok:
            self.passed += 1
            return True
        self.failed += 1
        n = self.shown.get(kind, 0)
        if n < self.max_shown:
            print(f"FAIL {kind}: {message}", file=sys.stderr)
            self.shown[kind] = n + 1
        else:
            self.hidden[kind] = self.hidden.get(kind, 0) + 1
        return False

    def finish(self):
        for kind, n in sorted(self.hidden.items()):
            print(f"FAIL {kind}: ... and {n} more", file=sys.stderr)
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0


def load_validator(schemas, name):
    with open(os.path.join(schemas, name), encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(validator, instance):
    """The validation errors of one instance, as short strings (path: message)."""
    out = []
    for e in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        path = ".".join(str(p) for p in e.absolute_path) or "(root)"
        msg = e.message if len(e.message) < 200 else e.message[:200] + "..."
        out.append(f"{path}: {msg}")
    return out


def order_errors(customer):
    """Members out of the canonical order, as messages."""
    problems = []

    def in_order(keys, order, where):
        ranks = [order.index(k) for k in keys if k in order]
        if ranks != sorted(ranks):
            problems.append(f"{where or '(root)'}: members {list(keys)} are not in the order {order}")

    in_order(list(customer), CUSTOMER_ORDER, "")
    for key, value in customer.items():
        order = NESTED_ORDER.get(key)
        if isinstance(value, dict):
            if order:
                in_order(list(value), order, key)
            if key == "orders":
                for i, t in enumerate(value.get("totals") or []):
                    if isinstance(t, dict):
                        in_order(list(t), NESTED_ORDER["totals"], f"orders.totals.{i}")
            if key == "attributes" and list(value) != sorted(value):
                problems.append("attributes: names are not sorted")
        elif isinstance(value, list) and order:
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    in_order(list(item), order, f"{key}.{i}")
    return problems


def open_text(path):
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def json_lines(path, checks, kind):
    """Yields (line number, parsed value) for each line; counts parse failures."""
    with open_text(path) as f:
        for n, line in enumerate(f, 1):
            if not line.endswith("\n"):
                checks.check(False, kind, f"line {n}: not terminated by a line feed")
            text = line.rstrip("\n")
            try:
                yield n, json.loads(text)
            except ValueError as e:
                checks.check(False, kind, f"line {n}: not JSON: {e}")
                yield n, None


def check_report(archive, validator, checks):
    path = os.path.join(archive, "report.json")
    if not checks.check(os.path.isfile(path), "report", "report.json is missing"):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except ValueError as e:
        checks.check(False, "report", f"report.json is not JSON: {e}")
        return None
    errors = schema_errors(validator, report)
    checks.check(not errors, "report.schema", "; ".join(errors))
    if not isinstance(report, dict) or not isinstance(report.get("totals"), dict):
        return None

    def balanced(c, where):
        try:
            ok = c["read"] == c["written"] + c["merged"] + c["rejected"]
        except (KeyError, TypeError):
            ok = False
        checks.check(ok, "report.balance", f"{where}: read != written + merged + rejected ({c})")

    totals = report["totals"]
    balanced(totals, "totals")
    inputs = report.get("inputs") or []
    for i, entry in enumerate(inputs):
        if isinstance(entry, dict) and isinstance(entry.get("counts"), dict):
            balanced(entry["counts"], f"inputs.{i} ({entry.get('file')})")
    for key in ("read", "written", "merged", "rejected"):
        try:
            total = sum(e["counts"][key] for e in inputs)
        except (KeyError, TypeError):
            total = None
        checks.check(total == totals.get(key), "report.totals",
                     f"totals.{key} = {totals.get(key)} but the inputs add up to {total}")
    for out in report.get("outputs") or []:
        if not isinstance(out, dict) or not isinstance(out.get("file"), str):
            continue
        p = os.path.join(archive, out["file"])
        if not checks.check(os.path.isfile(p), "report.outputs", f"{out['file']} is listed but missing"):
            continue
        checks.check(os.path.getsize(p) == out.get("bytes"), "report.outputs",
                     f"{out['file']}: {os.path.getsize(p)} bytes, report says {out.get('bytes')}")
        checks.check(sha256_of(p) == out.get("sha256"), "report.outputs", f"{out['file']}: SHA-256 differs from the report")
    return report


LIST_FIELDS = {"groups", "sites", "wishlist", "addresses", "notes", "totals", "sources"}
BOOLEAN_FIELDS = {"passwordResetRequired", "acceptsMarketing", "defaultBilling", "defaultShipping"}
INTEGER_FIELDS = {"count", "line"}


def unflatten(header, row):
    """A customers.csv row as the nested record (Schemas/customer-columns.md): dotted names nest,
    list indices become list positions, empty cells are absent, booleans and counts get their types."""
    root = {}
    for column, cell in zip(header, row):
        if cell == "":
            continue
        parts = column.split(".")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        leaf = parts[-1]
        value = cell
        if leaf in BOOLEAN_FIELDS and cell in ("true", "false"):
            value = cell == "true"
        elif leaf in INTEGER_FIELDS and parts[0] in ("orders", "sources") and cell.isdigit():
            value = int(cell)
        node[leaf] = value

    def lists(node, name):
        if not isinstance(node, dict):
            return node
        node = {k: lists(v, k) for k, v in node.items()}
        if name in LIST_FIELDS and node and all(k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
        return node

    return lists(root, "")


def column_sort_key(column):
    """The canonical position of a CSV column: SPEC §2 order within each object, indices numerically."""
    key = []
    order = CUSTOMER_ORDER
    parent = ""
    for part in column.split("."):
        if part.isdigit() and parent in LIST_FIELDS:
            key.append((0, int(part), ""))
            continue
        if parent == "attributes":
            key.append((1, 0, part))
        elif part in order:
            key.append((0, order.index(part), ""))
        else:
            key.append((2, 0, part))
        order = NESTED_ORDER.get(part, order if part.isdigit() else [])
        parent = part
    return key


def customer_records(path, checks):
    """Yields (line, record) from customers.jsonl(.gz) or customers.csv(.gz)."""
    if ".csv" not in os.path.basename(path):
        yield from json_lines(path, checks, "customers")
        return
    with open_text(path) as f:
        reader = csv.reader(f)
        header = next(reader, [])
        expected = sorted(header, key=column_sort_key)
        first_wrong = next((i for i, (a, b) in enumerate(zip(header, expected)) if a != b), None)
        checks.check(first_wrong is None, "customers.header",
                     "columns not in canonical order: at position %s %r where %r belongs" % (
                         first_wrong, header[first_wrong] if first_wrong is not None else "",
                         expected[first_wrong] if first_wrong is not None else ""))
        checks.check(len(set(header)) == len(header), "customers.header", "a column appears twice")
        for row in reader:
            if len(row) != len(header):
                checks.check(False, "customers", f"line {reader.line_num}: {len(row)} cells, header has {len(header)}")
                yield reader.line_num, None
                continue
            yield reader.line_num, unflatten(header, row)


def check_customers(archive, validator, report, checks, every=1):
    """Validates the customers file; returns the set of refs (or None when there is none)."""
    names = ("customers.jsonl", "customers.jsonl.gz", "customers.csv", "customers.csv.gz")
    path = next((os.path.join(archive, n) for n in names if os.path.isfile(os.path.join(archive, n))), None)
    if path is None:
        others = [n for n in os.listdir(archive) if n.startswith("customers.")]
        checks.check(False, "customers", "no customers.jsonl or customers.csv (.gz)" + (f"; found {others}" if others else ""))
        return None
    is_csv = ".csv" in os.path.basename(path)
    refs = set()
    previous = None
    count = 0
    for n, customer in customer_records(path, checks):
        count += 1
        if customer is None:
            continue
        errors = schema_errors(validator, customer) if count % every == 1 % every else []
        if isinstance(customer, dict):
            if not is_csv:  # a CSV row's member order is the header's, checked once
                errors += order_errors(customer)
            ref = customer.get("ref")
            if isinstance(ref, str):
                if ref in refs:
                    errors.append(f"ref {ref} appears twice")
                elif previous is not None and ref < previous:
                    errors.append(f"ref {ref} is not in ascending order (after {previous})")
                refs.add(ref)
                previous = ref
        checks.check(not errors, "customers.line", f"{os.path.basename(path)}:{n}: " + "; ".join(errors))
    if report is not None:
        written = report.get("totals", {}).get("written")
        checks.check(count == written, "customers.count", f"{count} customers, report says written = {written}")
    return refs


def check_rejects(archive, validator, report, checks, every=1):
    path = os.path.join(archive, "rejects.jsonl")
    if not checks.check(os.path.isfile(path), "rejects", "rejects.jsonl is missing"):
        return
    csv_inputs = {e.get("file") for e in (report or {}).get("inputs") or [] if isinstance(e, dict) and e.get("format") == "csv"}
    input_order = {e.get("file"): i for i, e in enumerate((report or {}).get("inputs") or []) if isinstance(e, dict)}
    lines = 0
    from_csv = 0
    previous = None
    for n, entry in json_lines(path, checks, "rejects"):
        lines += 1
        if entry is None:
            continue
        errors = schema_errors(validator, entry) if lines % every == 1 % every else []
        source = entry.get("source") if isinstance(entry, dict) else None
        if isinstance(source, dict):
            if source.get("file") in csv_inputs:
                from_csv += 1
            key = (input_order.get(source.get("file"), -1), source.get("record") or 0)
            if previous is not None and key <= previous:
                errors.append(f"not in input order (file {source.get('file')}, record {source.get('record')})")
            previous = key
        checks.check(not errors, "rejects.line", f"rejects.jsonl:{n}: " + "; ".join(errors))
    if report is not None:
        rejected = report.get("totals", {}).get("rejected")
        checks.check(lines == rejected, "rejects.count", f"{lines} rejects, report says rejected = {rejected}")
    csv_path = os.path.join(archive, "rejects.csv")
    if csv_inputs:
        if checks.check(os.path.isfile(csv_path), "rejects.csv", "a CSV input was read but rejects.csv is missing"):
            with open(csv_path, encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            header = rows[0] if rows else []
            checks.check(header[-2:] == ["error_codes", "error_messages"], "rejects.csv",
                         f"header does not end with error_codes,error_messages: {header[-2:]}")
            widths = {len(r) for r in rows}
            checks.check(len(widths) <= 1, "rejects.csv", f"rows of different widths {sorted(widths)}")
            checks.check(len(rows) - 1 == from_csv, "rejects.csv",
                         f"{len(rows) - 1} rows, but {from_csv} rejects came from CSV inputs")


def check_crosswalk(archive, report, refs, checks):
    path = os.path.join(archive, "crosswalk.csv")
    if not checks.check(os.path.isfile(path), "crosswalk", "crosswalk.csv is missing"):
        return
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        checks.check(header == CROSSWALK_HEADER, "crosswalk.header", f"{header} != {CROSSWALK_HEADER}")
        rows = 0
        by_disposition = {"written": 0, "merged": 0}
        written_refs = {}
        bad = []
        previous_ref = None
        for n, row in enumerate(reader, 2):
            rows += 1
            if len(row) != 6:
                bad.append(f"row {n}: {len(row)} cells")
                continue
            system, source_id, file, line, ref, disposition = row
            if disposition not in by_disposition:
                bad.append(f"row {n}: disposition {disposition!r}")
                continue
            by_disposition[disposition] += 1
            if not system or not source_id or not file or not line.isdigit() or int(line) < 1:
                bad.append(f"row {n}: empty system/source_id/file or bad line {line!r}")
            if refs is not None and ref not in refs:
                bad.append(f"row {n}: ref {ref} is no customer")
            if disposition == "written":
                written_refs[ref] = written_refs.get(ref, 0) + 1
            # Grouped by customer in ref order, the written row first.
            if previous_ref is not None and (ref < previous_ref or (ref == previous_ref and disposition == "written")):
                bad.append(f"row {n}: not in ref order with the written row first (ref {ref}, {disposition})")
            previous_ref = ref
        for message in bad:
            checks.check(False, "crosswalk.row", message)
        checks.check(not bad, "crosswalk.rows", f"{len(bad)} bad rows")
    if refs is not None:
        twice = [r for r, k in written_refs.items() if k > 1]
        missing = [r for r in refs if r not in written_refs]
        checks.check(not twice and not missing, "crosswalk.written",
                     f"customers without a written row: {missing[:5]}; with several: {twice[:5]}")
    if report is not None:
        t = report.get("totals", {})
        expected = (t.get("written") or 0) + (t.get("merged") or 0)
        checks.check(rows == expected, "crosswalk.count", f"{rows} rows, report says written + merged = {expected}")
        checks.check(by_disposition["written"] == t.get("written") and by_disposition["merged"] == t.get("merged"),
                     "crosswalk.count", f"dispositions {by_disposition}, report says written = {t.get('written')}, merged = {t.get('merged')}")


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Validate a Clientele archive against Schemas/.")
    parser.add_argument("archive", metavar="ARCHIVE_DIR")
    parser.add_argument("--schemas", default=os.path.join(here, "..", "Schemas"), help="the schema directory (default: ../Schemas)")
    parser.add_argument("--max-shown", type=int, default=10, help="failures shown per kind of check (default 10)")
    parser.add_argument("--every", type=int, default=1, metavar="N",
                        help="validate every Nth customer and reject against its schema (default 1: all)")
    args = parser.parse_args(argv)
    if args.every < 1:
        parser.error("--every needs a positive number")
    if not os.path.isdir(args.archive):
        parser.error(f"{args.archive} is not a directory")
    missing = [f for f in ("date-time", "date", "idn-email") if f not in Draft202012Validator.FORMAT_CHECKER.checkers]
    if missing:
        print(f"validate-archive: warning: no format checker for {missing} (pip install rfc3339-validator)", file=sys.stderr)

    customer = load_validator(args.schemas, "customer.schema.json")
    reject = load_validator(args.schemas, "reject.schema.json")
    report_v = load_validator(args.schemas, "report.schema.json")

    checks = Checks(args.max_shown)
    report = check_report(args.archive, report_v, checks)
    refs = check_customers(args.archive, customer, report, checks, args.every)
    check_rejects(args.archive, reject, report, checks, args.every)
    check_crosswalk(args.archive, report, refs, checks)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
