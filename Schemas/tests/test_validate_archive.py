"""Tests of scripts/validate-archive.py and the schemas it applies.

Starts from Schemas/examples/archive (real output of `clientele import`), breaks one thing at a
time in a copy, brings report.json's output hashes back in step (so only the intended check can
fail), and expects the validator to fail for the right reason. Run:

    python3 -m pytest Schemas/tests        (or: python3 -m unittest discover Schemas/tests)
"""
import csv
import glob
import gzip
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "validate-archive.py")
EXAMPLE = os.path.join(ROOT, "Schemas", "examples", "archive")

_spec = importlib.util.spec_from_file_location("validate_archive", SCRIPT)
VALIDATOR = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(VALIDATOR)


class Archive:
    """A scratch copy of the example archive with helpers to edit it."""

    def __init__(self, directory):
        self.dir = directory
        shutil.copytree(EXAMPLE, directory, dirs_exist_ok=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def lines(self, name):
        with open(self.path(name), encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    def write_lines(self, name, values):
        with open(self.path(name), "w", encoding="utf-8") as f:
            for v in values:
                f.write(json.dumps(v, ensure_ascii=False, separators=(",", ":")) + "\n")

    def edit_customer(self, edit, where=lambda c: True):
        """Applies `edit` to the first customer for which `where` holds."""
        customers = self.lines("customers.jsonl")
        index = next(i for i, c in enumerate(customers) if where(c))
        result = edit(customers[index])
        if result is not None:
            customers[index] = result
        self.write_lines("customers.jsonl", customers)
        return customers[index]

    def report(self):
        with open(self.path("report.json"), encoding="utf-8") as f:
            return json.load(f)

    def write_report(self, report):
        with open(self.path("report.json"), "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)

    def refresh_outputs(self):
        """Puts the files' real sizes and hashes into report.json."""
        report = self.report()
        for out in report["outputs"]:
            p = self.path(out["file"])
            with open(p, "rb") as f:
                data = f.read()
            out["bytes"] = len(data)
            out["sha256"] = hashlib.sha256(data).hexdigest()
        self.write_report(report)

    def to_csv(self, order=None):
        """Replaces customers.jsonl by customers.csv, flattened as Schemas/customer-columns.md says."""
        rows = []
        for customer in self.lines("customers.jsonl"):
            flat = {}

            def walk(value, prefix):
                if isinstance(value, dict):
                    for k, v in value.items():
                        walk(v, f"{prefix}.{k}" if prefix else k)
                elif isinstance(value, list):
                    for i, v in enumerate(value):
                        walk(v, f"{prefix}.{i}")
                elif isinstance(value, bool):
                    flat[prefix] = "true" if value else "false"
                else:
                    flat[prefix] = str(value)

            walk(customer, "")
            rows.append(flat)
        columns = sorted({c for r in rows for c in r}, key=order or VALIDATOR.column_sort_key)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([r.get(c, "") for c in columns])
        os.remove(self.path("customers.jsonl"))
        with open(self.path("customers.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(out.getvalue())
        report = self.report()
        for o in report["outputs"]:
            if o["file"] == "customers.jsonl":
                o["file"] = "customers.csv"
        report["options"]["format"] = "csv"
        self.write_report(report)
        return columns

    def validate(self):
        self.refresh_outputs()
        r = subprocess.run([sys.executable, SCRIPT, self.dir], capture_output=True, text=True)
        return r.returncode, r.stdout, r.stderr


class ValidateArchiveTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.archive = Archive(os.path.join(self.tmp.name, "archive"))

    def tearDown(self):
        self.tmp.cleanup()

    def assertPasses(self):
        code, out, err = self.archive.validate()
        self.assertEqual(code, 0, err)
        self.assertRegex(out.strip(), r"^[1-9][0-9]* passed, 0 failed$")

    def assertFails(self, kind, text=None):
        code, out, err = self.archive.validate()
        self.assertEqual(code, 1, out + err)
        self.assertRegex(out.strip().splitlines()[-1], r"^[0-9]+ passed, [1-9][0-9]* failed$")
        messages = [line[len(f"FAIL {kind}: "):] for line in err.splitlines() if line.startswith(f"FAIL {kind}: ")]
        self.assertTrue(messages, err)
        if text:
            self.assertTrue(any(text in m for m in messages), f"{text!r} not in {messages}")

    # The real output passes, before and after the hash refresh the other tests rely on.

    def test_example_archive_passes(self):
        self.assertPasses()

    def test_example_archive_covers_merges_and_rejects(self):
        t = self.archive.report()["totals"]
        self.assertGreater(t["merged"], 0)
        self.assertGreater(t["rejected"], 0)

    # Customers: one field broken at a time.

    def test_upper_case_email_fails(self):
        self.archive.edit_customer(lambda c: c.update(email=c["email"].capitalize()), lambda c: "email" in c)
        self.assertFails("customers.line", "email")

    def test_bad_ref_fails(self):
        self.archive.edit_customer(lambda c: c.update(ref=c["ref"][:-1] + "I"))
        self.assertFails("customers.line", ": ref: ")

    def test_unknown_field_fails(self):
        self.archive.edit_customer(lambda c: c.update(nickname="Annie"))
        self.assertFails("customers.line", "nickname")

    def test_unknown_address_field_fails(self):
        self.archive.edit_customer(lambda c: c["addresses"][0].update(floor="3"), lambda c: "addresses" in c)
        self.assertFails("customers.line", "floor")

    def test_null_value_fails(self):
        self.archive.edit_customer(lambda c: c.update(company=None))
        self.assertFails("customers.line", "company")

    def test_empty_list_fails(self):
        self.archive.edit_customer(lambda c: c.update(groups=[]))
        self.assertFails("customers.line", "groups")

    def test_untrimmed_text_fails(self):
        self.archive.edit_customer(lambda c: c.update(firstName=" Ann"))
        self.assertFails("customers.line", "firstName")

    def test_guest_with_status_fails(self):
        self.archive.edit_customer(lambda c: c.update(status="active"), lambda c: c["kind"] == "guest")
        self.assertFails("customers.line", "status")

    def test_registered_without_status_fails(self):
        self.archive.edit_customer(lambda c: c.pop("status") and None, lambda c: c["kind"] == "registered")
        self.assertFails("customers.line", "'status' is a required property")

    def test_weak_hash_without_reset_fails(self):
        def edit(c):
            c["passwordHash"]["algorithm"] = "md5"
            c["passwordResetRequired"] = False
        self.archive.edit_customer(edit, lambda c: c.get("passwordHash", {}).get("algorithm") == "bcrypt")
        self.assertFails("customers.line", "passwordResetRequired")

    def test_unknown_algorithm_fails(self):
        self.archive.edit_customer(lambda c: c["passwordHash"].update(algorithm="rot13"), lambda c: "passwordHash" in c)
        self.assertFails("customers.line", "rot13")

    def test_amount_as_number_or_exponent_fails(self):
        for amount in (100.5, "1e3", "-0.00", "007.5"):
            with self.subTest(amount=amount):
                archive = Archive(os.path.join(self.tmp.name, f"a-{amount}"))
                archive.edit_customer(lambda c: c["orders"]["totals"][0].update(amount=amount),
                                      lambda c: c.get("orders", {}).get("totals"))
                code, _, err = archive.validate()
                self.assertEqual(code, 1)
                self.assertIn("orders.totals.0.amount", err)

    def test_timestamps_must_be_canonical_utc(self):
        for value in ("2024-03-01T10:30:00+01:00", "2024-03-01 09:30:00Z", "2024-03-01T09:30:00.500Z", "2024-02-30T09:30:00Z"):
            with self.subTest(value=value):
                archive = Archive(os.path.join(self.tmp.name, f"t-{len(value)}-{value[-6:]}"))
                archive.edit_customer(lambda c: c.update(createdAt=value), lambda c: "createdAt" in c)
                code, _, err = archive.validate()
                self.assertEqual(code, 1)
                self.assertIn("createdAt", err)

    def test_fractional_timestamp_passes(self):
        self.archive.edit_customer(lambda c: c.update(createdAt="2024-03-01T09:30:00.125Z"), lambda c: "createdAt" in c)
        self.assertPasses()

    def test_impossible_birth_date_fails(self):
        self.archive.edit_customer(lambda c: c.update(dateOfBirth="2023-02-29"))
        self.assertFails("customers.line", "dateOfBirth")

    def test_unassigned_country_fails(self):
        self.archive.edit_customer(lambda c: c["addresses"][0].update(country="XX"), lambda c: "addresses" in c)
        self.assertFails("customers.line", "country")

    def test_bad_locale_fails(self):
        self.archive.edit_customer(lambda c: c.update(locale="de_DE"))
        self.assertFails("customers.line", "locale")

    def test_source_without_line_fails(self):
        self.archive.edit_customer(lambda c: c["sources"][0].pop("line") and None)
        self.assertFails("customers.line", "'line' is a required property")

    def test_members_out_of_order_fail(self):
        def edit(c):
            ref = c.pop("ref")
            c["ref"] = ref
        self.archive.edit_customer(edit)
        self.assertFails("customers.line", "order")

    def test_attribute_name_with_dot_fails(self):
        self.archive.edit_customer(lambda c: c.update(attributes={"a.b": "1"}))
        self.assertFails("customers.line", "attributes")

    def test_attributes_unsorted_fail(self):
        self.archive.edit_customer(lambda c: c.update(attributes={"zeta": "1", "alpha": "2"}))
        self.assertFails("customers.line", "attributes")

    def test_refs_out_of_order_fail(self):
        customers = self.archive.lines("customers.jsonl")
        customers[0], customers[1] = customers[1], customers[0]
        self.archive.write_lines("customers.jsonl", customers)
        self.assertFails("customers.line", "ascending")

    def test_optional_fields_pass(self):
        def edit(c):
            c.update(storeCredit={"currency": "EUR", "amount": "20.00"}, wishlist=["SKU-1"], anonymizedAt="2026-01-02T03:04:05Z")
            order = ["ref", "kind", "email", "username", "passwordHash", "passwordResetRequired", "status", "salutation",
                     "firstName", "middleName", "lastName", "gender", "dateOfBirth", "phone", "company", "taxVat", "locale",
                     "groups", "sites", "acceptsMarketing", "addresses", "notes", "orders", "storeCredit", "wishlist",
                     "attributes", "createdAt", "updatedAt", "sources", "anonymizedAt"]
            return {k: c[k] for k in order if k in c}
        self.archive.edit_customer(edit)
        self.assertPasses()

    def test_gzipped_customers_pass(self):
        p = self.archive.path("customers.jsonl")
        with open(p, "rb") as f, gzip.open(p + ".gz", "wb") as g:
            g.write(f.read())
        os.remove(p)
        report = self.archive.report()
        for out in report["outputs"]:
            if out["file"] == "customers.jsonl":
                out["file"] = "customers.jsonl.gz"
        report["options"]["gzip"] = True
        self.archive.write_report(report)
        self.assertPasses()

    # A CSV archive is read back per Schemas/customer-columns.md.

    def test_csv_archive_passes(self):
        columns = self.archive.to_csv()
        self.assertIn("addresses.1.defaultShipping", columns)
        self.assertLess(columns.index("addresses.0.country"), columns.index("addresses.0.phone"))
        self.assertEqual(columns[:2], ["ref", "kind"])
        self.assertPasses()

    def test_csv_columns_out_of_order_fail(self):
        self.archive.to_csv(order=lambda c: (c != "email", c != "ref", VALIDATOR.column_sort_key(c)))
        self.assertFails("customers.header", "'email'")

    def test_csv_boolean_spelling_fails(self):
        self.archive.to_csv()
        p = self.archive.path("customers.csv")
        with open(p, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        column = rows[0].index("acceptsMarketing")
        row = next(r for r in rows[1:] if r[column])
        row[column] = "TRUE"
        with open(p, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        self.assertFails("customers.line", "acceptsMarketing")

    def test_column_sort_key_orders_indices_numerically_and_attributes_last(self):
        columns = ["attributes.b", "sources.0.line", "groups.10", "attributes.a", "groups.2", "ref",
                   "orders.totals.0.amount", "orders.count", "addresses.0.phone", "addresses.0.company"]
        self.assertEqual(sorted(columns, key=VALIDATOR.column_sort_key),
                         ["ref", "groups.2", "groups.10", "addresses.0.company", "addresses.0.phone", "orders.count",
                          "orders.totals.0.amount", "attributes.a", "attributes.b", "sources.0.line"])

    # Counts and cross-file checks.

    def test_missing_customer_line_fails(self):
        customers = self.archive.lines("customers.jsonl")
        self.archive.write_lines("customers.jsonl", customers[1:])
        self.assertFails("customers.count")

    def test_unbalanced_report_fails(self):
        report = self.archive.report()
        report["totals"]["read"] += 1
        self.archive.write_report(report)
        self.assertFails("report.balance")

    def test_totals_not_sum_of_inputs_fail(self):
        report = self.archive.report()
        report["inputs"][0]["counts"]["read"] += 1
        report["inputs"][0]["counts"]["rejected"] += 1
        self.archive.write_report(report)
        self.assertFails("report.totals")

    def test_report_without_timing_fails(self):
        report = self.archive.report()
        del report["timing"]
        self.archive.write_report(report)
        self.assertFails("report.schema", "timing")

    def test_stale_output_hash_fails(self):
        self.archive.refresh_outputs()
        with open(self.archive.path("crosswalk.csv"), "a", encoding="utf-8") as f:
            f.write("x\n")
        r = subprocess.run([sys.executable, SCRIPT, self.archive.dir], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("FAIL report.outputs", r.stderr)

    def test_missing_crosswalk_row_fails(self):
        with open(self.archive.path("crosswalk.csv"), encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        merged = next(i for i, r in enumerate(rows) if r[-1] == "merged")
        del rows[merged]
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        with open(self.archive.path("crosswalk.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(out.getvalue())
        self.assertFails("crosswalk.count")

    def test_crosswalk_to_unknown_ref_fails(self):
        with open(self.archive.path("crosswalk.csv"), encoding="utf-8") as f:
            text = f.read()
        lines = text.split("\n")
        cells = lines[1].split(",")
        cells[4] = "C" + "0" * 20
        lines[1] = ",".join(cells)
        with open(self.archive.path("crosswalk.csv"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        self.assertFails("crosswalk.row", "no customer")

    def test_crosswalk_out_of_ref_order_fails(self):
        with open(self.archive.path("crosswalk.csv"), encoding="utf-8") as f:
            lines = f.read().split("\n")
        lines[1], lines[2] = lines[2], lines[1]
        with open(self.archive.path("crosswalk.csv"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        self.assertFails("crosswalk.row", "ref order")

    # Rejects.

    def test_reject_with_warning_code_fails(self):
        rejects = self.archive.lines("rejects.jsonl")
        rejects[0]["errors"][0]["code"] = "phone.not-e164"
        self.archive.write_lines("rejects.jsonl", rejects)
        self.assertFails("rejects.line", "phone.not-e164")

    def test_reject_without_errors_fails(self):
        rejects = self.archive.lines("rejects.jsonl")
        rejects[0]["errors"] = []
        self.archive.write_lines("rejects.jsonl", rejects)
        self.assertFails("rejects.line", "errors")

    def test_missing_reject_line_fails(self):
        rejects = self.archive.lines("rejects.jsonl")
        self.archive.write_lines("rejects.jsonl", rejects[1:])
        self.assertFails("rejects.count")


@unittest.skipUnless(shutil.which("xmllint"), "xmllint (libxml2-utils) is not installed")
class CustomersXSDTests(unittest.TestCase):
    """Schemas/customers.xsd accepts the example that uses every element and rejects each broken variant."""

    XSD = os.path.join(ROOT, "Schemas", "customers.xsd")
    EXAMPLES = os.path.join(ROOT, "Schemas", "examples")

    def xmllint(self, path):
        return subprocess.run(["xmllint", "--noout", "--schema", self.XSD, path], capture_output=True, text=True)

    def test_example_validates(self):
        r = self.xmllint(os.path.join(self.EXAMPLES, "customers.xml"))
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_example_uses_every_element(self):
        with open(self.XSD, encoding="utf-8") as f:
            declared = set(re.findall(r'<xs:element name="([A-Za-z0-9]+)"', f.read()))
        with open(os.path.join(self.EXAMPLES, "customers.xml"), encoding="utf-8") as f:
            used = set(re.findall(r"<([A-Za-z0-9]+)[ >]", f.read()))
        self.assertEqual(declared - used, set())

    def test_invalid_variants_fail(self):
        invalid = sorted(glob.glob(os.path.join(self.EXAMPLES, "invalid", "*.xml")))
        self.assertGreaterEqual(len(invalid), 10)
        for path in invalid:
            with self.subTest(file=os.path.basename(path)):
                r = self.xmllint(path)
                self.assertNotEqual(r.returncode, 0, "validates but should not")
                self.assertIn("validity error", r.stderr)


if __name__ == "__main__":
    unittest.main()
