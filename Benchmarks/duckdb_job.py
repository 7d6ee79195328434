#!/usr/bin/env python3
"""The peer we must beat: Clientele's import job (SPEC §3) written for DuckDB, as a data engineer would.

    python duckdb_job.py --input customers.csv --format csv --out DIR [--gzip]

Reads the generated customer export (CSV with flattened columns, all VARCHAR; or JSON Lines with
nested addresses/orders), normalizes and validates it, rejects duplicate registered emails (all but
the first in input order), folds guests into the registered account with their email or else into
the earliest guest (createdAt, then input order), and writes

    DIR/customers.jsonl[.gz]   one customer a line, nested addresses/orders (COPY ... FORMAT JSON)
    DIR/errors.jsonl           every rejected record: its record number, id, errors, raw fields

and prints one JSON line of counts (read, written, merged, rejected) on standard output.

The rules are a documented subset of Clientele's (Benchmarks/README.md, "The DuckDB job"); they
decide the same on every defect the generator makes. DuckDB runs with its default settings (all
cores, default memory limit, insertion order preserved).
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
ADDRESS_TYPE = "STRUCT(" + ", ".join(f'"{f}" VARCHAR' for f in ADDRESS_FIELDS) + ")"


def q(s):
    """A SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


def country_literals():
    """ISO 3166-1 alpha-2 codes with calling code and trunk prefix (Benchmarks/countries.csv, from
    Clientele's own country table) as a SQL MAP literal: the lookup table of a careful engineer."""
    with open(os.path.join(HERE, "countries.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    entries = ", ".join(f"{q(r['alpha2'])}: {{c: {q(r['calling_code'])}, t: {q(r['trunk_prefix'])}}}" for r in rows)
    return "MAP {" + entries + "}"


def raw_select(fmt, path):
    """One row per input record in input order, in one shape for both input formats."""
    if fmt == "csv":
        scan = f"read_csv({q(path)}, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"
        addresses = "[" + ", ".join(
            "{" + ", ".join(f'"{f}": "addresses.{i}.{f}"' for f in ADDRESS_FIELDS) + "}" for i in (0, 1)) + "]"
        return f"""
            SELECT row_number() OVER () AS seq,
                   "id", "kind", "email", "username", "passwordHash", "password", "status", "firstName",
                   "lastName", "gender", "dateOfBirth", "phone", "company", "locale",
                   ["groups.0", "groups.1"] AS "groups", "acceptsMarketing",
                   {addresses} AS "addresses",
                   [{{"text": "notes.0.text", "createdAt": "notes.0.createdAt"}}] AS "notes",
                   "orders.count" AS orders_count,
                   [{{"currency": "orders.totals.0.currency", "amount": "orders.totals.0.amount"}}] AS totals,
                   "orders.lastOrderAt" AS last_order_at,
                   "attributes.loyaltyTier" AS loyalty_tier,
                   "createdAt", "updatedAt"
            FROM {scan}"""
    columns = {
        "id": "VARCHAR", "kind": "VARCHAR", "email": "VARCHAR", "username": "VARCHAR", "passwordHash": "VARCHAR",
        "password": "VARCHAR", "status": "VARCHAR", "firstName": "VARCHAR", "lastName": "VARCHAR",
        "gender": "VARCHAR", "dateOfBirth": "VARCHAR", "phone": "VARCHAR", "company": "VARCHAR", "locale": "VARCHAR",
        "groups": "VARCHAR[]", "acceptsMarketing": "VARCHAR", "addresses": ADDRESS_TYPE + "[]",
        "notes": 'STRUCT("text" VARCHAR, "createdAt" VARCHAR)[]',
        "orders": 'STRUCT("count" VARCHAR, "totals" STRUCT("currency" VARCHAR, "amount" VARCHAR)[], "lastOrderAt" VARCHAR)',
        "attributes": 'STRUCT("loyaltyTier" VARCHAR)', "createdAt": "VARCHAR", "updatedAt": "VARCHAR",
    }
    spec = "{" + ", ".join(f"{q(k)}: {q(v)}" for k, v in columns.items()) + "}"
    scan = f"read_json({q(path)}, format = 'newline_delimited', columns = {spec})"
    return f"""
        SELECT row_number() OVER () AS seq,
               "id", "kind", "email", "username", "passwordHash", "password", "status", "firstName", "lastName",
               "gender", "dateOfBirth", "phone", "company", "locale", "groups", "acceptsMarketing", "addresses",
               "notes", "orders"."count" AS orders_count, "orders"."totals" AS totals,
               "orders"."lastOrderAt" AS last_order_at, "attributes"."loyaltyTier" AS loyalty_tier,
               "createdAt", "updatedAt"
        FROM {scan}"""


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


# Normalization and validation, in layers: each layer refers to the one before by column, so no
# expression is copied into another (DuckDB expands a reference to an alias of the same SELECT).
NORMALIZE = """
CREATE TEMP TABLE n AS
WITH r AS (
    SELECT seq, "id" AS in_id, "kind" AS in_kind, "email" AS in_email, "username" AS in_username, "passwordHash" AS in_passwordHash, "password" AS in_password, "status" AS in_status, "firstName" AS in_firstName, "lastName" AS in_lastName, "gender" AS in_gender, "dateOfBirth" AS in_dateOfBirth, "phone" AS in_phone, "company" AS in_company, "locale" AS in_locale, coalesce("groups", []) AS in_groups, "acceptsMarketing" AS in_acceptsMarketing, coalesce("addresses", []) AS in_addresses, coalesce("notes", []) AS in_notes, "createdAt" AS in_createdAt, "updatedAt" AS in_updatedAt,
           orders_count AS in_orders_count, coalesce(totals, []) AS in_totals, last_order_at AS in_last_order_at,
           loyalty_tier AS in_loyalty_tier
    FROM raw
),
cleaned AS (
    SELECT seq,
        clean(in_id) AS id,
        lower(clean(in_email)) AS email,
        lower(clean(in_kind)) AS kind_given,
        coalesce(clean(in_username), clean(in_passwordHash), clean(in_password)) IS NOT NULL AS has_login,
        clean(in_username) AS username_given,
        clean(in_passwordHash) AS hash_given,
        clean(in_password) IS NOT NULL AS had_password,
        lower(clean(in_status)) AS status_given,
        clean(in_firstName) AS first_name, clean(in_lastName) AS last_name, clean(in_gender) AS gender,
        clean(in_dateOfBirth) AS dob_given,
        clean(in_company) AS company,
        clean(in_locale) AS locale_given,
        unique_in_order(list_filter(list_transform(in_groups, lambda g: clean(g)), lambda g: g IS NOT NULL)) AS groups,
        clean(in_acceptsMarketing) AS accepts_marketing_given,
        list_transform(
            list_filter(in_addresses, lambda a: coalesce(clean(a.street1), clean(a.city), clean(a.postalCode),
                                                         clean(a.country)) IS NOT NULL),
            lambda a: {'firstName': clean(a.firstName), 'lastName': clean(a.lastName), 'street1': clean(a.street1),
                       'street2': clean(a.street2), 'city': clean(a.city), 'region': clean(a.region),
                       'postalCode': clean(a.postalCode), 'country': upper(clean(a.country)),
                       'phoneGiven': clean(a.phone), 'phoneClean': ph_clean(a.phone),
                       'billingGiven': clean(a.defaultBilling), 'shippingGiven': clean(a.defaultShipping)})
            AS addresses_clean,
        clean(in_phone) AS phone_given, ph_clean(in_phone) AS phone_clean,
        list_filter(in_notes, lambda x: clean(x."text") IS NOT NULL) AS notes_given,
        clean(in_orders_count) AS orders_count_given,
        list_filter(in_totals, lambda t: clean(t.amount) IS NOT NULL) AS totals_given,
        clean(in_last_order_at) AS last_order_given,
        clean(in_loyalty_tier) AS loyalty_tier,
        clean(in_createdAt) AS created_given,
        clean(in_updatedAt) AS updated_given
    FROM r
),
typed AS (
    SELECT *,
        coalesce(kind_given, CASE WHEN has_login THEN 'registered' ELSE 'guest' END) AS kind,
        TRY_CAST(dob_given AS DATE) AS dob,
        locale_norm(locale_given) AS locale,
        CASE WHEN lower(accepts_marketing_given) IN ('true', '1', 'yes', 'y') THEN true
             WHEN lower(accepts_marketing_given) IN ('false', '0', 'no', 'n') THEN false END AS accepts_marketing,
        list_transform(addresses_clean, lambda a: {
            'firstName': a.firstName, 'lastName': a.lastName, 'street1': a.street1, 'street2': a.street2,
            'city': a.city, 'region': a.region, 'postalCode': a.postalCode, 'country': a.country,
            'phone': ph_intl(a.phoneClean, a.country), 'phoneGiven': a.phoneGiven,
            'defaultBilling': coalesce(boolv(a.billingGiven), false),
            'defaultShipping': coalesce(boolv(a.shippingGiven), false),
            'badFlag': bad_bool(a.billingGiven) OR bad_bool(a.shippingGiven)}) AS addresses_intl,
        list_transform(notes_given, lambda x: {'text': clean(x."text"), 'createdAt': ts(x."createdAt"),
                                               'bad': bad_ts(x."createdAt")}) AS notes_typed,
        TRY_CAST(orders_count_given AS BIGINT) AS orders_count,
        list_transform(totals_given, lambda t: {
            'currency': upper(clean(t.currency)), 'amount': TRY_CAST(clean(t.amount) AS DECIMAL(18, 2)),
            'ok': regexp_full_match(clean(t.amount), '-?[0-9]{1,16}(\\.[0-9]{1,2})?')
                  AND regexp_full_match(upper(coalesce(clean(t.currency), '')), '[A-Z]{3}')}) AS totals_typed,
        ts(last_order_given) AS last_order_at,
        ts(created_given) AS created_at,
        ts(updated_given) AS updated_at
    FROM cleaned
),
finished AS (
    SELECT *,
        kind = 'registered' AS is_registered,
        coalesce(list_filter(addresses_intl, lambda a: a.defaultBilling)[1]['country'], addresses_intl[1]['country'],
                 nullif(split_part(locale, '-', 2), '')) AS home_country
    FROM typed
)
SELECT
    seq, id, email, kind, is_registered,
    CASE WHEN is_registered THEN coalesce(username_given, email) END AS username,
    CASE WHEN is_registered AND hash_given IS NOT NULL
         THEN {'algorithm': hash_algorithm(hash_given), 'value': hash_given} END AS password_hash,
    CASE WHEN is_registered
         THEN had_password OR hash_given IS NULL OR hash_algorithm(hash_given) NOT IN ('bcrypt', 'argon2', 'scrypt', 'pbkdf2')
         END AS password_reset_required,
    CASE WHEN is_registered THEN coalesce(status_given, 'active') END AS status,
    first_name, last_name, gender, dob,
    e164(ph_intl(phone_clean, home_country), phone_given) AS phone,
    company, locale, groups, accepts_marketing,
    list_transform(addresses_intl, lambda a: {
        'firstName': a.firstName, 'lastName': a.lastName, 'street1': a.street1, 'street2': a.street2,
        'city': a.city, 'region': a.region, 'postalCode': a.postalCode, 'country': a.country,
        'phone': e164(a.phone, a.phoneGiven), 'defaultBilling': a.defaultBilling,
        'defaultShipping': a.defaultShipping}) AS addresses,
    list_transform(notes_typed, lambda x: {'text': x."text", 'createdAt': x.createdAt}) AS notes,
    orders_count,
    list_transform(totals_typed, lambda t: {'currency': t.currency, 'amount': t.amount}) AS totals,
    last_order_at, loyalty_tier, created_at, updated_at,
    list_filter([
        CASE WHEN id IS NULL THEN {'code': 'required', 'field': 'id'} END,
        CASE WHEN kind_given IS NOT NULL AND kind_given NOT IN ('registered', 'guest')
             THEN {'code': 'kind.invalid', 'field': 'kind'} END,
        CASE WHEN email IS NOT NULL AND NOT email_ok(email) THEN {'code': 'email.invalid', 'field': 'email'} END,
        CASE WHEN is_registered AND email IS NULL THEN {'code': 'required', 'field': 'email'} END,
        CASE WHEN is_registered AND status_given NOT IN ('active', 'disabled', 'locked')
             THEN {'code': 'status.invalid', 'field': 'status'} END,
        CASE WHEN dob_given IS NOT NULL AND (dob IS NULL OR NOT regexp_full_match(dob_given, '\\d{4}-\\d{2}-\\d{2}'))
             THEN {'code': 'date.invalid', 'field': 'dateOfBirth'} END,
        CASE WHEN locale_given IS NOT NULL AND locale IS NULL THEN {'code': 'locale.invalid', 'field': 'locale'} END,
        CASE WHEN list_bool_or(list_transform(addresses_intl, lambda a: NOT country_ok(a.country)))
             THEN {'code': 'country.invalid', 'field': 'addresses'} END,
        CASE WHEN list_bool_or(list_transform(addresses_intl, lambda a: a.badFlag))
             THEN {'code': 'boolean.invalid', 'field': 'addresses'} END,
        CASE WHEN created_given IS NOT NULL AND created_at IS NULL THEN {'code': 'date.invalid', 'field': 'createdAt'} END,
        CASE WHEN updated_given IS NOT NULL AND updated_at IS NULL THEN {'code': 'date.invalid', 'field': 'updatedAt'} END,
        CASE WHEN last_order_given IS NOT NULL AND last_order_at IS NULL
             THEN {'code': 'date.invalid', 'field': 'orders.lastOrderAt'} END,
        CASE WHEN list_bool_or(list_transform(notes_typed, lambda x: x.bad)) THEN {'code': 'date.invalid', 'field': 'notes'} END,
        CASE WHEN orders_count_given IS NOT NULL AND coalesce(orders_count < 0, true)
             THEN {'code': 'number.invalid', 'field': 'orders.count'} END,
        CASE WHEN NOT list_bool_and(list_transform(totals_typed, lambda t: t.ok))
             THEN {'code': 'amount.invalid', 'field': 'orders.totals'} END,
        CASE WHEN accepts_marketing_given IS NOT NULL AND accepts_marketing IS NULL
             THEN {'code': 'boolean.invalid', 'field': 'acceptsMarketing'} END
    ], lambda e: e IS NOT NULL) AS errors
FROM finished
"""

# Accepted records: a second use of an id, then a second registered account with an email, is rejected.
RANKED = """
CREATE TEMP TABLE ranked AS
SELECT *,
       CASE WHEN id_rank > 1 THEN 'id.duplicate'
            WHEN is_registered AND row_number() OVER (PARTITION BY is_registered AND id_rank = 1, email ORDER BY seq) > 1
            THEN 'email.duplicate' END AS duplicate
FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY seq) AS id_rank FROM n WHERE len(errors) = 0)
"""

# Merge groups: one per email (records without email stand alone). The survivor is the registered
# account, else the earliest guest by createdAt (missing last), then input order.
KEPT = """
CREATE TEMP TABLE kept AS
SELECT *,
       coalesce(email, '#' || seq) AS grp,
       row_number() OVER (PARTITION BY grp ORDER BY is_registered DESC, created_at ASC NULLS LAST, seq) = 1 AS survivor,
       count(*) OVER (PARTITION BY grp) AS group_size
FROM ranked WHERE duplicate IS NULL
"""


def output_select(system, ref_key):
    fill = ["first_name", "last_name", "gender", "dob", "phone", "company", "locale", "loyalty_tier",
            "created_at", "updated_at"]
    fills = ",\n".join(
        f"coalesce(first({c}) FILTER (WHERE survivor), "
        f"first({c} ORDER BY coalesce(updated_at, created_at) DESC NULLS LAST, seq DESC) FILTER (WHERE NOT survivor AND {c} IS NOT NULL)) AS {c}"
        for c in fill)
    # Every single-record group is its own customer; groups of several are folded in SQL.
    customer = f"""
        {{'ref': 'C' || upper(substr(sha256({q(ref_key)} || {q(system)} || ':' || id), 1, 20)),
          'kind': kind, 'email': email, 'username': username, 'passwordHash': password_hash,
          'passwordResetRequired': password_reset_required, 'status': status,
          'firstName': first_name, 'lastName': last_name, 'gender': gender, 'dateOfBirth': CAST(dob AS VARCHAR),
          'phone': phone, 'company': company, 'locale': locale, 'groups': groups,
          'acceptsMarketing': accepts_marketing, 'addresses': addresses, 'notes': notes,
          'orders': CASE WHEN orders_count IS NOT NULL OR len(totals) > 0 OR last_order_at IS NOT NULL THEN
                        {{'count': orders_count,
                          'totals': list_transform(totals, lambda t: {{'currency': t.currency, 'amount': CAST(t.amount AS VARCHAR)}}),
                          'lastOrderAt': last_order_at}} END,
          'attributes': CASE WHEN loyalty_tier IS NOT NULL THEN {{'loyaltyTier': loyalty_tier}} END,
          'createdAt': created_at, 'updatedAt': updated_at, 'sources': sources}}"""
    return f"""
    WITH singles AS (
        SELECT *, [{{'system': {q(system)}, 'id': id, 'record': seq}}] AS sources FROM kept WHERE group_size = 1
    ),
    multi AS (SELECT * FROM kept WHERE group_size > 1),
    -- Order counts add up; totals add up per currency, exactly (DECIMAL).
    money AS (
        SELECT grp, list({{'currency': currency, 'amount': amount}} ORDER BY first_seen) AS totals
        FROM (SELECT grp, t.currency AS currency, sum(t.amount) AS amount, min(pos) AS first_seen
              FROM (SELECT grp, unnest(totals) AS t, CASE WHEN survivor THEN 0 ELSE seq END AS pos FROM multi)
              GROUP BY grp, t.currency)
        GROUP BY grp
    ),
    -- Addresses unioned without duplicates: the survivor's first, then newest first; one default of each kind.
    addr_items AS (
        SELECT grp, struct_update(a, defaultBilling := false, defaultShipping := false) AS place,
               a.defaultBilling AS billing, a.defaultShipping AS shipping, key * 1000 + i AS k
        FROM (SELECT grp, unnest(addresses) AS a, generate_subscripts(addresses, 1) AS i,
                     row_number() OVER (PARTITION BY grp ORDER BY survivor DESC,
                                        coalesce(updated_at, created_at) DESC NULLS LAST, seq DESC) AS key
              FROM multi)
    ),
    addr_unique AS (
        SELECT grp, place, bool_or(billing) AS billing, bool_or(shipping) AS shipping, min(k) AS k
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
               unique_in_order(flatten(list(groups ORDER BY survivor DESC, seq))) AS groups,
               unique_in_order(flatten(list(notes ORDER BY survivor DESC, seq))) AS notes,
               sum(orders_count) AS orders_count,
               max(last_order_at) AS last_order_at,
               list({{'system': {q(system)}, 'id': id, 'record': seq}} ORDER BY survivor DESC, seq) AS sources
        FROM multi GROUP BY grp
    ),
    merged AS (
        SELECT f.*, coalesce(m.totals, []) AS totals, coalesce(a.addresses, []) AS addresses
        FROM folded f LEFT JOIN money m USING (grp) LEFT JOIN addr a USING (grp)
    )
    SELECT {customer} AS c FROM singles
    UNION ALL
    SELECT {customer} AS c FROM merged
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
    con.execute("CREATE TEMP TABLE raw AS " + raw_select(args.format, args.input))
    con.execute(NORMALIZE)
    con.execute(RANKED)
    con.execute(KEPT)

    customers = os.path.join(args.out, "customers.jsonl" + (".gz" if args.gzip else ""))
    compression = "GZIP" if args.gzip else "UNCOMPRESSED"
    # SELECT c.* unnests the struct into top-level JSON keys; nested structs and lists stay nested.
    con.execute(f"COPY (SELECT c.* FROM ({output_select(args.system, args.ref_key)})) TO {q(customers)} "
                f"(FORMAT JSON, COMPRESSION {compression})")
    errors = os.path.join(args.out, "errors.jsonl")
    con.execute(f"""
        COPY (
            SELECT n.seq AS record, n.id, n.errors, raw AS raw FROM n JOIN raw USING (seq) WHERE len(n.errors) > 0
            UNION ALL
            SELECT r.seq, r.id, [{{'code': r.duplicate, 'field': CASE WHEN r.duplicate = 'id.duplicate' THEN 'id' ELSE 'email' END}}],
                   raw AS raw
            FROM ranked r JOIN raw USING (seq) WHERE r.duplicate IS NOT NULL
            ORDER BY record
        ) TO {q(errors)} (FORMAT JSON)""")

    read, = con.execute("SELECT count(*) FROM raw").fetchone()
    rejected, = con.execute("SELECT (SELECT count(*) FROM n WHERE len(errors) > 0)"
                            " + (SELECT count(*) FROM ranked WHERE duplicate IS NOT NULL)").fetchone()
    written, = con.execute("SELECT count(DISTINCT grp) FROM kept").fetchone()
    print(json.dumps({"read": read, "written": written, "merged": read - written - rejected, "rejected": rejected}))


if __name__ == "__main__":
    sys.exit(main())
