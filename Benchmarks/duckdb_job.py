#!/usr/bin/env python3
"""The peer we must beat: Clientele's import job (SPEC §3) written for DuckDB, as a data engineer would.

    python duckdb_job.py --input customers.csv --format csv --out DIR [--gzip]

Reads the generated customer export (CSV with flattened columns, all VARCHAR; or JSON Lines with
nested addresses and orders), normalizes and validates it, rejects duplicate registered emails (all
but the first in input order), folds guests into the registered account with their email or else
into the earliest guest (createdAt, then input order), and writes

    DIR/customers.jsonl[.gz]   one customer a line, nested addresses/orders (COPY ... FORMAT JSON)
    DIR/errors.jsonl           every rejected record: its record number, id, error codes, its values

and prints one JSON line of counts (read, written, merged, rejected) on standard output.

The rules are a documented subset of Clientele's (Benchmarks/README.md, "The DuckDB job") that
decides the same on every defect the generator makes. DuckDB runs with its defaults (all cores,
default memory limit, insertion order preserved).

Shape of the job: one pass turns the file into a table of normalized, validated records with the
generator's layout kept flat (two address slots, as the CSV has them); the duplicate and merge
decisions are made on a slim table of keys; the output joins the two and builds nested JSON only
for the records written. Records are numbered from 1 by the table's rowid (input order).
"""
import argparse
import csv
import json
import os
import sys

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))

ADDRESS_FIELDS = ["firstName", "lastName", "street1", "street2", "city", "region", "postalCode", "country",
                  "phone", "defaultBilling", "defaultShipping"]
# The generator's layout: the CSV header, and the flat names the JSON Lines input is mapped to.
TOP_FIELDS = ["id", "kind", "email", "username", "passwordHash", "password", "status", "firstName", "lastName",
              "gender", "dateOfBirth", "phone", "company", "locale"]
TAIL_FIELDS = ["notes.0.text", "notes.0.createdAt", "orders.count", "orders.totals.0.currency",
               "orders.totals.0.amount", "orders.lastOrderAt", "attributes.loyaltyTier", "createdAt", "updatedAt"]
FLAT_COLUMNS = (TOP_FIELDS + ["groups.0", "groups.1", "acceptsMarketing"]
                + [f"addresses.{i}.{f}" for i in (0, 1) for f in ADDRESS_FIELDS] + TAIL_FIELDS)
SLOTS = (0, 1)


def q(s):
    """A SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


def ident(s):
    return '"' + s + '"'


def country_literals():
    """ISO 3166-1 alpha-2 codes with calling code and trunk prefix (Benchmarks/countries.csv, from
    Clientele's own country table) as a SQL MAP literal: the lookup table of a careful engineer."""
    with open(os.path.join(HERE, "countries.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    entries = ", ".join(f"{q(r['alpha2'])}: {{c: {q(r['calling_code'])}, t: {q(r['trunk_prefix'])}}}" for r in rows)
    return "MAP {" + entries + "}"


def source_select(fmt, path):
    """One row per input record, in input order, with the flat columns of FLAT_COLUMNS and `unsupported`
    (a JSON record with more list items than the flat layout has room for: rejected, never cut)."""
    if fmt == "csv":
        return (f"SELECT *, false AS unsupported FROM read_csv({q(path)}, header = true, all_varchar = true, "
                f"delim = ',', quote = '\"', escape = '\"')")
    address = "STRUCT(" + ", ".join(f'"{f}" VARCHAR' for f in ADDRESS_FIELDS) + ")"
    columns = {f: "VARCHAR" for f in TOP_FIELDS + ["acceptsMarketing", "createdAt", "updatedAt"]}
    columns.update({
        "groups": "VARCHAR[]", "addresses": address + "[]",
        "notes": 'STRUCT("text" VARCHAR, "createdAt" VARCHAR)[]',
        "orders": 'STRUCT("count" VARCHAR, "totals" STRUCT("currency" VARCHAR, "amount" VARCHAR)[], "lastOrderAt" VARCHAR)',
        "attributes": 'STRUCT("loyaltyTier" VARCHAR)',
    })
    spec = "{" + ", ".join(f"{q(k)}: {q(v)}" for k, v in columns.items()) + "}"
    picks = [ident(f) for f in TOP_FIELDS]
    picks += ['"groups"[1] AS "groups.0"', '"groups"[2] AS "groups.1"', '"acceptsMarketing"']
    picks += [f'"addresses"[{i + 1}]."{f}" AS "addresses.{i}.{f}"' for i in SLOTS for f in ADDRESS_FIELDS]
    picks += ['"notes"[1]."text" AS "notes.0.text"', '"notes"[1]."createdAt" AS "notes.0.createdAt"',
              '"orders"."count" AS "orders.count"', '"orders"."totals"[1]."currency" AS "orders.totals.0.currency"',
              '"orders"."totals"[1]."amount" AS "orders.totals.0.amount"',
              '"orders"."lastOrderAt" AS "orders.lastOrderAt"', '"attributes"."loyaltyTier" AS "attributes.loyaltyTier"',
              '"createdAt"', '"updatedAt"',
              'coalesce(len("groups") > 2 OR len("addresses") > 2 OR len("notes") > 1 OR len("orders"."totals") > 1,'
              ' false) AS unsupported']
    return (f"SELECT {', '.join(picks)} "
            f"FROM read_json({q(path)}, format = 'newline_delimited', columns = {spec})")


def macros():
    """Small helpers; the country table is a session variable, so each lookup is one function call."""
    return """
    CREATE TEMP MACRO country(c) AS getvariable('countries')[c];
    CREATE TEMP MACRO clean(s) AS nullif(trim(s), '');
    -- A list without repeats, first occurrences in order (list_distinct does not keep the order).
    CREATE TEMP MACRO unique_in_order(l) AS list_filter(l, lambda x, i: list_position(l, x) = i);
    CREATE TEMP MACRO ts(s) AS strftime(TRY_CAST(clean(s) AS TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%SZ');
    CREATE TEMP MACRO bad_ts(s) AS clean(s) IS NOT NULL AND TRY_CAST(clean(s) AS TIMESTAMPTZ) IS NULL;
    CREATE TEMP MACRO boolv(s) AS CASE WHEN lower(clean(s)) IN ('true', '1', 'yes', 'y') THEN true
                                       WHEN lower(clean(s)) IN ('false', '0', 'no', 'n') THEN false END;
    CREATE TEMP MACRO bad_bool(s) AS clean(s) IS NOT NULL AND boolv(s) IS NULL;
    CREATE TEMP MACRO country_ok(c) AS c IS NULL OR country(c) IS NOT NULL;
    -- local@domain.tld: no spaces or specials in the local part, no empty labels, a TLD not all digits.
    CREATE TEMP MACRO email_ok(e) AS
        regexp_full_match(e, '[^\\s@()<>\\[\\]\\\\,;:"]{1,64}@[^\\s@.]+(\\.[^\\s@.]+)+')
        AND NOT regexp_full_match(e, '.*\\.[0-9]+') AND NOT contains(e, '..')
        AND NOT starts_with(e, '.') AND NOT contains(e, '.@');
    -- BCP 47 language[-REGION], `_` read as `-`; the region must be a country.
    CREATE TEMP MACRO locale_parts(s) AS string_split(replace(clean(s), '_', '-'), '-');
    CREATE TEMP MACRO locale_norm(s) AS CASE
        WHEN regexp_full_match(replace(clean(s), '_', '-'), '[A-Za-z]{2,3}(-[A-Za-z]{2})?')
             AND (len(locale_parts(s)) = 1 OR country(upper(locale_parts(s)[2])) IS NOT NULL)
        THEN lower(locale_parts(s)[1]) || CASE WHEN len(locale_parts(s)) = 1 THEN '' ELSE '-' || upper(locale_parts(s)[2]) END
        END;
    -- Phones to E.164 with the country's calling code and trunk prefix; anything else kept as given.
    -- ph_intl takes the cleaned number (ph_clean), e164 the international digits (ph_intl).
    CREATE TEMP MACRO ph_clean(p) AS regexp_replace(replace(clean(p), '(0)', ''), '[ \\t\\-.()/'']', '', 'g');
    CREATE TEMP MACRO ph_intl(pc, cc) AS CASE
        WHEN NOT regexp_full_match(pc, '\\+?[0-9]+') THEN NULL
        WHEN starts_with(pc, '+') THEN substr(pc, 2)
        WHEN starts_with(pc, '00') THEN substr(pc, 3)
        WHEN cc IS NULL OR country(cc) IS NULL OR country(cc).c = '0' THEN NULL
        WHEN country(cc).c = '1' THEN CASE
            WHEN length(pc) = 11 AND starts_with(pc, '1') THEN pc
            WHEN length(pc) = 10 THEN '1' || pc END
        WHEN country(cc).t <> '' AND starts_with(pc, country(cc).t)
            THEN country(cc).c || substr(pc, length(country(cc).t) + 1)
        ELSE country(cc).c || pc END;
    CREATE TEMP MACRO e164(pi, raw) AS CASE
        WHEN length(pi) BETWEEN 8 AND 15 AND NOT starts_with(pi, '0') THEN '+' || pi ELSE clean(raw) END;
    CREATE TEMP MACRO hash_algorithm(h) AS CASE
        WHEN regexp_matches(h, '^\\$2[aby]?\\$') THEN 'bcrypt'
        WHEN starts_with(h, '$argon2') THEN 'argon2'
        WHEN starts_with(h, '$7$') OR starts_with(h, '$scrypt') THEN 'scrypt'
        WHEN starts_with(h, '$pbkdf2') OR starts_with(h, 'pbkdf2') THEN 'pbkdf2'
        WHEN regexp_full_match(h, '[0-9a-fA-F]{64}:[^:]+(:\\d+)?') THEN 'magento2-sha256'
        WHEN regexp_full_match(h, '[0-9a-fA-F]{32}') THEN 'md5'
        WHEN regexp_full_match(h, '[0-9a-fA-F]{40}') THEN 'sha1'
        ELSE 'unknown' END;
    """


def slot_columns(i, kind):
    """The SQL of one address slot in one layer of NORMALIZE."""
    a = f"a{i}_"
    col = lambda f: ident(f"addresses.{i}.{f}")
    if kind == "cleaned":
        return f"""
        clean({col('firstName')}) AS {a}first_name, clean({col('lastName')}) AS {a}last_name,
        clean({col('street1')}) AS {a}street1, clean({col('street2')}) AS {a}street2, clean({col('city')}) AS {a}city,
        clean({col('region')}) AS {a}region, clean({col('postalCode')}) AS {a}postal_code,
        upper(clean({col('country')})) AS {a}country,
        clean({col('phone')}) AS {a}phone_given, ph_clean({col('phone')}) AS {a}phone_clean,
        clean({col('defaultBilling')}) AS {a}billing_given, clean({col('defaultShipping')}) AS {a}shipping_given,"""
    if kind == "typed":
        return f"""
        coalesce({a}street1, {a}city, {a}postal_code, {a}country) IS NOT NULL AS {a}present,
        ph_intl({a}phone_clean, {a}country) AS {a}phone_intl,
        coalesce(boolv({a}billing_given), false) AS {a}billing,
        coalesce(boolv({a}shipping_given), false) AS {a}shipping,"""
    if kind == "final":
        return f"""
        {a}present, {a}first_name, {a}last_name, {a}street1, {a}street2, {a}city, {a}region, {a}postal_code, {a}country,
        e164({a}phone_intl, {a}phone_given) AS {a}phone, {a}billing, {a}shipping,"""
    if kind == "errors":
        return f"""
        CASE WHEN {a}present AND NOT country_ok({a}country) THEN 'country.invalid:addresses.{i}.country' END,
        CASE WHEN {a}present AND (bad_bool({a}billing_given) OR bad_bool({a}shipping_given))
             THEN 'boolean.invalid:addresses.{i}' END,"""
    raise ValueError(kind)


def address_struct(i):
    a = f"a{i}_"
    return (f"{{'firstName': {a}first_name, 'lastName': {a}last_name, 'street1': {a}street1, 'street2': {a}street2, "
            f"'city': {a}city, 'region': {a}region, 'postalCode': {a}postal_code, 'country': {a}country, "
            f"'phone': {a}phone, 'defaultBilling': {a}billing, 'defaultShipping': {a}shipping}}")


# Normalization and validation, in layers: each layer refers to the one before by column, so no
# expression is copied into another (DuckDB expands a reference to an alias of the same SELECT).
# Error codes are collected as 'code:field' text, split into a list only for the records rejected.
def normalize(source):
    slots = lambda kind: "".join(slot_columns(i, kind) for i in SLOTS)
    # The input's own values ride along untouched (as "in:<column>") and become JSON only for the rejected.
    carried = ", ".join(f'{ident(c)} AS {ident("in:" + c)}' for c in FLAT_COLUMNS)
    raw_json = "to_json({" + ", ".join(f"{q(c)}: {ident('in:' + c)}" for c in FLAT_COLUMNS) + "})"
    return f"""
CREATE TEMP TABLE n AS
WITH r AS ({source}),
cleaned AS (
    SELECT
        clean("id") AS id,
        lower(clean("email")) AS email,
        lower(clean("kind")) AS kind_given,
        coalesce(clean("username"), clean("passwordHash"), clean("password")) IS NOT NULL AS has_login,
        clean("username") AS username_given,
        clean("passwordHash") AS hash_given,
        clean("password") IS NOT NULL AS had_password,
        lower(clean("status")) AS status_given,
        clean("firstName") AS first_name, clean("lastName") AS last_name, clean("gender") AS gender,
        clean("dateOfBirth") AS dob_given,
        clean("company") AS company,
        clean("locale") AS locale_given,
        clean("groups.0") AS group0, clean("groups.1") AS group1,
        clean("acceptsMarketing") AS accepts_marketing_given,
        {slots("cleaned")}
        clean("phone") AS phone_given, ph_clean("phone") AS phone_clean,
        clean("notes.0.text") AS note_text, clean("notes.0.createdAt") AS note_created_given,
        clean("orders.count") AS orders_count_given,
        upper(clean("orders.totals.0.currency")) AS currency,
        clean("orders.totals.0.amount") AS amount_given,
        clean("orders.lastOrderAt") AS last_order_given,
        clean("attributes.loyaltyTier") AS loyalty_tier,
        clean("createdAt") AS created_given,
        clean("updatedAt") AS updated_given,
        unsupported,
        {carried}
    FROM r
),
typed AS (
    SELECT *,
        coalesce(kind_given, CASE WHEN has_login THEN 'registered' ELSE 'guest' END) AS kind,
        TRY_CAST(dob_given AS DATE) AS dob,
        locale_norm(locale_given) AS locale,
        boolv(accepts_marketing_given) AS accepts_marketing,
        {slots("typed")}
        ts(note_created_given) AS note_created_at,
        TRY_CAST(orders_count_given AS BIGINT) AS orders_count,
        TRY_CAST(amount_given AS DECIMAL(18, 2)) AS amount,
        ts(last_order_given) AS last_order_at,
        ts(created_given) AS created_at,
        ts(updated_given) AS updated_at
    FROM cleaned
),
finished AS (
    SELECT *,
        kind = 'registered' AS is_registered,
        CASE WHEN a0_present AND a0_billing THEN a0_country WHEN a1_present AND a1_billing THEN a1_country
             WHEN a0_present THEN a0_country WHEN a1_present THEN a1_country
             ELSE nullif(split_part(locale, '-', 2), '') END AS home_country,
        CASE WHEN hash_given IS NOT NULL THEN hash_algorithm(hash_given) END AS hash_algorithm
    FROM typed
),
checked AS (
    SELECT *,
        concat_ws(',',
            CASE WHEN id IS NULL THEN 'required:id' END,
            CASE WHEN kind_given IS NOT NULL AND kind_given NOT IN ('registered', 'guest') THEN 'kind.invalid:kind' END,
            CASE WHEN email IS NOT NULL AND NOT email_ok(email) THEN 'email.invalid:email' END,
            CASE WHEN is_registered AND email IS NULL THEN 'required:email' END,
            CASE WHEN is_registered AND status_given NOT IN ('active', 'disabled', 'locked') THEN 'status.invalid:status' END,
            CASE WHEN dob_given IS NOT NULL AND (dob IS NULL OR NOT regexp_full_match(dob_given, '\\d{{4}}-\\d{{2}}-\\d{{2}}'))
                 THEN 'date.invalid:dateOfBirth' END,
            CASE WHEN locale_given IS NOT NULL AND locale IS NULL THEN 'locale.invalid:locale' END,
            {slots("errors")}
            CASE WHEN accepts_marketing_given IS NOT NULL AND accepts_marketing IS NULL
                 THEN 'boolean.invalid:acceptsMarketing' END,
            CASE WHEN created_given IS NOT NULL AND created_at IS NULL THEN 'date.invalid:createdAt' END,
            CASE WHEN updated_given IS NOT NULL AND updated_at IS NULL THEN 'date.invalid:updatedAt' END,
            CASE WHEN note_created_given IS NOT NULL AND note_created_at IS NULL THEN 'date.invalid:notes.0.createdAt' END,
            CASE WHEN last_order_given IS NOT NULL AND last_order_at IS NULL THEN 'date.invalid:orders.lastOrderAt' END,
            CASE WHEN orders_count_given IS NOT NULL AND coalesce(orders_count < 0, true)
                 THEN 'number.invalid:orders.count' END,
            CASE WHEN amount_given IS NOT NULL AND NOT regexp_full_match(amount_given, '-?[0-9]{{1,16}}(\\.[0-9]{{1,2}})?')
                 THEN 'amount.invalid:orders.totals.0.amount' END,
            CASE WHEN amount_given IS NOT NULL AND NOT regexp_full_match(coalesce(currency, ''), '[A-Z]{{3}}')
                 THEN 'currency.invalid:orders.totals.0.currency' END,
            CASE WHEN unsupported THEN 'record.unsupported:' END
        ) AS error_codes
    FROM finished
)
SELECT
    id, email, kind, is_registered,
    CASE WHEN is_registered THEN coalesce(username_given, email) END AS username,
    CASE WHEN is_registered AND hash_given IS NOT NULL THEN {{'algorithm': hash_algorithm, 'value': hash_given}} END
        AS password_hash,
    CASE WHEN is_registered THEN had_password OR coalesce(hash_algorithm, 'unknown') NOT IN ('bcrypt', 'argon2', 'scrypt', 'pbkdf2')
         END AS password_reset_required,
    CASE WHEN is_registered THEN coalesce(status_given, 'active') END AS status,
    first_name, last_name, gender, CAST(dob AS VARCHAR) AS dob,
    e164(ph_intl(phone_clean, home_country), phone_given) AS phone,
    company, locale, group0, group1, accepts_marketing,
    {slots("final")}
    note_text, note_created_at, orders_count, currency, amount, last_order_at, loyalty_tier, created_at, updated_at,
    error_codes,
    CASE WHEN error_codes <> '' THEN {raw_json} END AS raw
FROM checked
"""


# Decisions on a slim table of keys (rowid = input order): a second use of an id, then a second
# registered account with an email, is rejected; the rest are grouped by email (records without
# one stand alone). The survivor is the registered account, else the earliest guest by createdAt
# (missing last), then input order.
DECIDE = """
CREATE TEMP TABLE d AS
WITH accepted AS (
    SELECT rowid + 1 AS seq, id, email, is_registered, created_at FROM n WHERE error_codes = ''
),
by_id AS (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY seq) AS id_rank FROM accepted
),
duplicates AS (
    SELECT *,
           CASE WHEN id_rank > 1 THEN 'id.duplicate:id'
                WHEN is_registered AND row_number() OVER (PARTITION BY is_registered AND id_rank = 1, email ORDER BY seq) > 1
                THEN 'email.duplicate:email' END AS duplicate
    FROM by_id
),
grouped AS (
    SELECT seq, coalesce(email, '#' || seq) AS grp,
           row_number() OVER (PARTITION BY grp ORDER BY is_registered DESC, created_at ASC NULLS LAST, seq) = 1 AS survivor,
           count(*) OVER (PARTITION BY grp) AS group_size
    FROM duplicates WHERE duplicate IS NULL
)
SELECT seq, duplicate, grp, survivor, group_size FROM duplicates LEFT JOIN grouped USING (seq)
"""


def customer_struct(system, ref_key, addresses, groups, notes, totals, sources):
    return f"""
        {{'ref': 'C' || upper(substr(sha256({q(ref_key)} || {q(system)} || ':' || id), 1, 20)),
          'kind': kind, 'email': email, 'username': username, 'passwordHash': password_hash,
          'passwordResetRequired': password_reset_required, 'status': status,
          'firstName': first_name, 'lastName': last_name, 'gender': gender, 'dateOfBirth': dob,
          'phone': phone, 'company': company, 'locale': locale, 'groups': {groups},
          'acceptsMarketing': accepts_marketing, 'addresses': {addresses}, 'notes': {notes},
          'orders': CASE WHEN orders_count IS NOT NULL OR len({totals}) > 0 OR last_order_at IS NOT NULL THEN
                        {{'count': orders_count, 'totals': {totals}, 'lastOrderAt': last_order_at}} END,
          'attributes': CASE WHEN loyalty_tier IS NOT NULL THEN {{'loyaltyTier': loyalty_tier}} END,
          'createdAt': created_at, 'updatedAt': updated_at, 'sources': {sources}}}"""


def output_select(system, ref_key):
    fill = ["first_name", "last_name", "gender", "dob", "phone", "company", "locale", "loyalty_tier",
            "created_at", "updated_at"]
    fills = ",\n".join(
        f"coalesce(first({c}) FILTER (WHERE survivor), "
        f"first({c} ORDER BY coalesce(updated_at, created_at) DESC NULLS LAST, seq DESC) "
        f"FILTER (WHERE NOT survivor AND {c} IS NOT NULL)) AS {c}"
        for c in fill)
    a0, a1 = address_struct(0), address_struct(1)
    row_groups = ("CASE WHEN group0 IS NOT NULL AND group1 IS NOT NULL AND group0 <> group1 THEN [group0, group1] "
                  "WHEN group0 IS NOT NULL THEN [group0] WHEN group1 IS NOT NULL THEN [group1] ELSE [] END")
    single = customer_struct(
        system, ref_key,
        addresses=f"CASE WHEN a0_present AND a1_present THEN [{a0}, {a1}] WHEN a0_present THEN [{a0}] "
                  f"WHEN a1_present THEN [{a1}] ELSE [] END",
        groups=row_groups,
        notes="CASE WHEN note_text IS NOT NULL THEN [{'text': note_text, 'createdAt': note_created_at}] ELSE [] END",
        totals="CASE WHEN amount IS NOT NULL THEN [{'currency': currency, 'amount': CAST(amount AS VARCHAR)}] ELSE [] END",
        sources=f"[{{'system': {q(system)}, 'id': id, 'record': seq}}]")
    merged = customer_struct(system, ref_key, "addresses", "groups", "notes", "totals", "sources")
    return f"""
    WITH k AS (
        SELECT * FROM (SELECT rowid + 1 AS seq, * FROM n) JOIN d USING (seq) WHERE d.grp IS NOT NULL
    ),
    multi AS (
        SELECT *, row_number() OVER (PARTITION BY grp ORDER BY survivor DESC,
                                     coalesce(updated_at, created_at) DESC NULLS LAST, seq DESC) AS newest,
               {row_groups} AS row_groups
        FROM k WHERE group_size > 1
    ),
    -- Totals add up per currency, exactly (DECIMAL), in the order the currencies first appear.
    money AS (
        SELECT grp, list({{'currency': currency, 'amount': CAST(amount AS VARCHAR)}} ORDER BY first_seen) AS totals
        FROM (SELECT grp, currency, sum(amount) AS amount, min(CASE WHEN survivor THEN 0 ELSE seq END) AS first_seen
              FROM multi WHERE amount IS NOT NULL GROUP BY grp, currency)
        GROUP BY grp
    ),
    -- Addresses unioned without duplicates: the survivor's first, then newest first; one default of each kind.
    addr_items AS (
        SELECT grp, newest * 10 AS k, {a0} AS a FROM multi WHERE a0_present
        UNION ALL
        SELECT grp, newest * 10 + 1 AS k, {a1} AS a FROM multi WHERE a1_present
    ),
    addr_unique AS (
        SELECT grp, struct_update(a, defaultBilling := false, defaultShipping := false) AS place,
               bool_or(a.defaultBilling) AS billing, bool_or(a.defaultShipping) AS shipping, min(k) AS k
        FROM addr_items GROUP BY grp, place
    ),
    addr AS (
        SELECT grp, list(struct_update(place, defaultBilling := billing AND k = first_billing,
                                              defaultShipping := shipping AND k = first_shipping) ORDER BY k) AS addresses
        FROM (SELECT *, min(CASE WHEN billing THEN k END) OVER (PARTITION BY grp) AS first_billing,
                        min(CASE WHEN shipping THEN k END) OVER (PARTITION BY grp) AS first_shipping
              FROM addr_unique)
        GROUP BY grp
    ),
    folded AS (
        SELECT grp,
               first(id) FILTER (WHERE survivor) AS id,
               first(kind) FILTER (WHERE survivor) AS kind,
               first(email) FILTER (WHERE survivor) AS email,
               first(username) FILTER (WHERE survivor) AS username,
               first(password_hash) FILTER (WHERE survivor) AS password_hash,
               first(password_reset_required) FILTER (WHERE survivor) AS password_reset_required,
               first(status) FILTER (WHERE survivor) AS status,
               first(accepts_marketing) FILTER (WHERE survivor) AS accepts_marketing,
               {fills},
               unique_in_order(flatten(list(row_groups ORDER BY survivor DESC, seq))) AS groups,
               unique_in_order(list({{'text': note_text, 'createdAt': note_created_at}} ORDER BY survivor DESC, seq)
                               FILTER (WHERE note_text IS NOT NULL)) AS notes,
               sum(orders_count) AS orders_count,
               max(last_order_at) AS last_order_at,
               list({{'system': {q(system)}, 'id': id, 'record': seq}} ORDER BY survivor DESC, seq) AS sources
        FROM multi GROUP BY grp
    ),
    merged AS (
        SELECT f.*, coalesce(m.totals, []) AS totals, coalesce(a.addresses, []) AS addresses
        FROM folded f LEFT JOIN money m USING (grp) LEFT JOIN addr a USING (grp)
    )
    SELECT {single} AS c FROM k WHERE group_size = 1
    UNION ALL
    SELECT {merged} AS c FROM merged
    """


ERRORS = """
    SELECT n.rowid + 1 AS record, id,
           list_transform(string_split(error_codes, ','),
                          lambda e: {'code': split_part(e, ':', 1), 'field': split_part(e, ':', 2)}) AS errors,
           raw AS "values"
    FROM n WHERE error_codes <> ''
    UNION ALL
    SELECT d.seq, n.id, [{'code': split_part(d.duplicate, ':', 1), 'field': split_part(d.duplicate, ':', 2)}],
           to_json({'id': n.id, 'kind': n.kind, 'email': n.email, 'firstName': n.first_name, 'lastName': n.last_name,
                    'createdAt': n.created_at})
    FROM d JOIN n ON n.rowid + 1 = d.seq WHERE d.duplicate IS NOT NULL
    ORDER BY record
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True)
    ap.add_argument("--format", choices=["csv", "jsonl"], required=True)
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--gzip", action="store_true")
    ap.add_argument("--system", default="canonical")
    ap.add_argument("--ref-key", default="clientele-benchmark")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    con = duckdb.connect()  # in memory; spills to a temp directory when it must
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET VARIABLE countries = " + country_literals())
    for statement in macros().split(";\n"):
        if statement.strip():
            con.execute(statement)
    con.execute(normalize(source_select(args.format, os.path.abspath(args.input))))
    con.execute(DECIDE)

    customers = os.path.join(args.out, "customers.jsonl" + (".gz" if args.gzip else ""))
    compression = "GZIP" if args.gzip else "UNCOMPRESSED"
    # SELECT c.* unnests the struct into top-level JSON keys; nested structs and lists stay nested.
    con.execute(f"COPY (SELECT c.* FROM ({output_select(args.system, args.ref_key)})) TO {q(customers)} "
                f"(FORMAT JSON, COMPRESSION {compression})")
    con.execute(f"COPY ({ERRORS}) TO {q(os.path.join(args.out, 'errors.jsonl'))} (FORMAT JSON)")

    read, rejected = con.execute("SELECT count(*), count(*) FILTER (WHERE error_codes <> '') FROM n").fetchone()
    duplicates, written = con.execute("SELECT count(duplicate), count(DISTINCT grp) FROM d").fetchone()
    rejected += duplicates
    print(json.dumps({"read": read, "written": written, "merged": read - written - rejected, "rejected": rejected}))


if __name__ == "__main__":
    sys.exit(main())
