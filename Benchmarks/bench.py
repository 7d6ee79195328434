#!/usr/bin/env python3
"""Clientele's import against a hand-written DuckDB job (issue 7), alternating runs.

Normally started by Benchmarks/run.sh, which sets up the virtual environment and builds
`clientele` in release first. See Benchmarks/README.md for what each case measures.

    Benchmarks/run.sh [--count N] [--seed S] [--pairs P] [--cases a,b,c,d] [--no-record]
    Benchmarks/run.sh --scale [--count N]        # our import at N and 10 N: peak RSS ratio

Every run is timed by `/usr/bin/time -v` (wall clock and maximum resident set size). Ours and the
peer alternate (A B A B ...), so drift on a shared machine hits both alike; the medians, the ratio
ours/peer, and the ratio of each pair are printed. Counts are checked after every run, outside the
timed part. Unless --no-record is given, a dated section is appended to BENCHMARKS.md.
"""
import argparse
import datetime
import glob
import gzip
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, "data")
WORK = os.path.join(HERE, "work")
RSS_TARGET_MIB = 256
SCALE_TARGET = 1.3


class Case:
    def __init__(self, key, title, source, gzip_out, target, peer):
        self.key, self.title, self.source, self.gzip_out, self.target, self.peer = key, title, source, gzip_out, target, peer


CASES = [
    Case("a", "CSV → gzipped JSON Lines", "csv", True, 0.25, "duckdb"),
    Case("b", "CSV → plain JSON Lines", "csv", False, 0.5, "duckdb"),
    Case("c", "JSON Lines → gzipped JSON Lines", "jsonl", True, 0.25, "duckdb"),
    Case("d", "XML → gzipped JSON Lines", "xml", True, 1.0, "xmllint"),
]


# MARK: - Running and measuring

class Run:
    """One timed command: wall seconds and peak RSS from /usr/bin/time -v."""

    def __init__(self, wall, rss_kib, code, stdout):
        self.wall, self.rss_kib, self.code, self.stdout = wall, rss_kib, code, stdout

    @property
    def rss_mib(self):
        return self.rss_kib / 1024


def timed(cmd, ok_codes=(0,)):
    os.makedirs(WORK, exist_ok=True)
    timefile = os.path.join(WORK, "time.txt")
    errfile = os.path.join(WORK, "stderr.txt")
    with open(errfile, "wb") as err:
        # Run inside work/, so anything a tool spills beside itself (DuckDB's .tmp/) stays there.
        p = subprocess.run(["/usr/bin/time", "-v", "-o", timefile] + cmd, stdout=subprocess.PIPE, stderr=err, cwd=WORK)
    text = open(timefile).read()
    wall = parse_elapsed(re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    if p.returncode not in ok_codes:
        sys.stderr.write(open(errfile, errors="replace").read()[-4000:])
        sys.exit(f"error: {shlex.join(cmd)} exited with {p.returncode}")
    return Run(wall, rss, p.returncode, p.stdout.decode(errors="replace"))


def parse_elapsed(s):
    seconds = 0.0
    for part in s.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def count_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    n = 0
    with opener(path, "rb") as f:
        while chunk := f.read(1 << 22):
            n += chunk.count(b"\n")
    return n


def capture(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


# MARK: - Data

def data_path(count, seed, fmt):
    return os.path.join(DATA, f"customers-{count}-s{seed}.{fmt}")


def generate(binary, count, seed, fmt):
    """Generates the input once; a finished file is reused by later runs."""
    path = data_path(count, seed, fmt)
    if os.path.exists(path):
        return path
    os.makedirs(DATA, exist_ok=True)
    partial = path + ".partial"
    print(f"generating {os.path.relpath(path, ROOT)} ...", flush=True)
    subprocess.run([binary, "generate", "--count", str(count), "--seed", str(seed), "--format", fmt,
                    "--out", partial], check=True)
    os.rename(partial, path)
    return path


def xml_supported(binary):
    """Whether this build's `generate` writes XML (the XML issue may not have landed yet)."""
    os.makedirs(WORK, exist_ok=True)
    probe = os.path.join(WORK, "probe.xml")
    p = subprocess.run([binary, "generate", "--count", "2", "--seed", "1", "--format", "xml", "--out", probe],
                       capture_output=True)
    ok = p.returncode == 0 and os.path.exists(probe)
    if os.path.exists(probe):
        os.remove(probe)
    return ok


def warm(path):
    """Reads the input once so the first run does not pay for the disk alone."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


# MARK: - The two sides

def run_ours(binary, case, path, out, keep=False):
    shutil.rmtree(out, ignore_errors=True)
    cmd = [binary, "import", path, "--out", out, "--quiet"] + (["--gzip"] if case.gzip_out else [])
    run = timed(cmd, ok_codes=(0, 1))  # 1: finished, some records rejected (the data is messy on purpose)
    report = json.load(open(os.path.join(out, "report.json")))
    totals = report["totals"]
    customers = glob.glob(os.path.join(out, "customers.*"))[0]
    lines = count_lines(customers)
    counts = {k: totals[k] for k in ("read", "written", "merged", "rejected")}
    counts["lines"] = lines
    problems = []
    if totals["read"] != totals["written"] + totals["merged"] + totals["rejected"]:
        problems.append(f"ours: read {totals['read']} != written + merged + rejected")
    if lines != totals["written"]:
        problems.append(f"ours: {lines} customer lines but written = {totals['written']}")
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return run, counts, problems


def run_duckdb(python, case, path, out, keep=False):
    shutil.rmtree(out, ignore_errors=True)
    cmd = [python, os.path.join(HERE, "duckdb_job.py"), "--input", path, "--format", case.source, "--out", out]
    cmd += ["--gzip"] if case.gzip_out else []
    run = timed(cmd)
    stated = json.loads(run.stdout.strip().splitlines()[-1])
    customers = glob.glob(os.path.join(out, "customers.*"))[0]
    counts = dict(stated)
    counts["lines"] = count_lines(customers)
    counts["error_lines"] = count_lines(os.path.join(out, "errors.jsonl"))
    problems = []
    if counts["lines"] != stated["written"]:
        problems.append(f"duckdb: {counts['lines']} customer lines but it stated written = {stated['written']}")
    if counts["error_lines"] != stated["rejected"]:
        problems.append(f"duckdb: {counts['error_lines']} error lines but it stated rejected = {stated['rejected']}")
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return run, counts, problems


def run_xmllint(case, path, out):
    return timed(["xmllint", "--stream", "--noout", path]), {}, []


# MARK: - Cases

def run_case(case, args, paths, python):
    path = paths[case.source]
    warm(path)
    ours_runs, peer_runs, ratios, all_problems = [], [], [], []
    ours_counts = peer_counts = None
    for pair in range(1, args.pairs + 1):
        keep = args.compare and pair == args.pairs and case.peer == "duckdb"
        o, ours_counts, problems = run_ours(args.bin, case, path, os.path.join(WORK, "ours"), keep)
        all_problems += problems
        if case.peer == "duckdb":
            p, peer_counts, problems = run_duckdb(python, case, path, os.path.join(WORK, "duckdb"), keep)
        else:
            p, peer_counts, problems = run_xmllint(case, path, None)
        all_problems += problems
        ours_runs.append(o)
        peer_runs.append(p)
        ratios.append(o.wall / p.wall if p.wall > 0 else float("inf"))
        print(f"  {case.key} pair {pair}: ours {o.wall:6.2f} s {o.rss_mib:7.1f} MiB | {case.peer} {p.wall:6.2f} s "
              f"{p.rss_mib:7.1f} MiB | ratio {ratios[-1]:.3f}", flush=True)
    if ours_counts["read"] != args.count:
        all_problems.append(f"ours: read {ours_counts['read']} records of the {args.count} generated")
    if peer_counts and peer_counts["read"] != args.count:
        all_problems.append(f"duckdb: read {peer_counts['read']} records of the {args.count} generated")
    if args.compare and case.peer == "duckdb":
        all_problems += compare_outputs(os.path.join(WORK, "ours"), os.path.join(WORK, "duckdb"))
    ours_med = statistics.median(r.wall for r in ours_runs)
    peer_med = statistics.median(r.wall for r in peer_runs)
    result = {
        "case": case, "ours": ours_med, "peer": peer_med,
        "ratio": ours_med / peer_med if peer_med > 0 else float("inf"),
        "pair_ratios": ratios,
        "ours_rss": max(r.rss_mib for r in ours_runs), "peer_rss": max(r.rss_mib for r in peer_runs),
        "ours_counts": ours_counts, "peer_counts": peer_counts, "problems": all_problems,
    }
    time_met = result["ratio"] <= case.target
    rss_met = result["ours_rss"] <= RSS_TARGET_MIB
    result["met"] = "yes" if time_met and rss_met else "no (" + ", ".join(
        ([] if time_met else ["time"]) + ([] if rss_met else ["RSS"])) + ")"
    result["agreement"] = agreement(ours_counts, peer_counts) if case.peer == "duckdb" else ""
    print(f"  {case.key}: counts ours {fmt_counts(ours_counts)}", flush=True)
    if peer_counts:
        print(f"  {case.key}: counts {case.peer} {fmt_counts(peer_counts)}", flush=True)
    if result["agreement"]:
        print(f"  {case.key}: ours vs DuckDB: {result['agreement']}", flush=True)
    for problem in all_problems:
        print(f"  {case.key}: COUNT CHECK FAILED: {problem}", flush=True)
    return result


def agreement(ours, peer):
    """Whether both sides put the same number of records in each place (they should be close)."""
    differences = [f"{k} {ours[k] - peer[k]:+d}" for k in ("read", "written", "merged", "rejected") if ours[k] != peer[k]]
    return "identical counts" if not differences else "ours minus DuckDB: " + ", ".join(differences)


def compare_outputs(ours, theirs):
    """Field-by-field comparison of the last pair's customers (compare_outputs.py), then cleans up."""
    p = subprocess.run([sys.executable, os.path.join(HERE, "compare_outputs.py"),
                        glob.glob(os.path.join(ours, "customers.*"))[0], glob.glob(os.path.join(theirs, "customers.*"))[0]],
                       capture_output=True, text=True)
    print("  compare: " + p.stdout.strip().replace("\n", "\n  "), flush=True)
    shutil.rmtree(ours, ignore_errors=True)
    shutil.rmtree(theirs, ignore_errors=True)
    return [] if p.returncode == 0 else ["the customers differ field by field (compare_outputs.py)"]


def fmt_counts(c):
    if not c:
        return "-"
    return ", ".join(f"{k} {v}" for k, v in c.items())


def table(results):
    rows = ["| case | ours median s | DuckDB (d: xmllint) median s | ratio | target | met? | our peak RSS MiB "
            "| DuckDB (d: xmllint) peak RSS MiB |",
            "|---|---:|---:|---:|---:|---|---:|---:|"]
    for r in results:
        if isinstance(r, str):
            rows.append(r)
            continue
        c = r["case"]
        rows.append(f"| {c.key}. {c.title} | {r['ours']:.2f} | {r['peer']:.2f} | {r['ratio']:.3f} | ≤ {c.target:g} "
                    f"| {r['met']} | {r['ours_rss']:.0f} | {r['peer_rss']:.0f} |")
    return "\n".join(rows)


# MARK: - The record in BENCHMARKS.md

def machine():
    model = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem_kib = int(line.split()[1])
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores (nproc {capture(['nproc'])}), {model}, "
            f"{mem_kib / 1024 / 1024:.1f} GiB RAM, {platform.system()} {platform.release()}; load average at start {load}")


def versions(python):
    swift = capture(["swift", "--version"]).splitlines()
    duck = capture([python, "-c", "import duckdb; print(duckdb.__version__)"])
    xml = subprocess.run(["xmllint", "--version"], capture_output=True, text=True).stderr.splitlines()
    commit = capture(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    sources = capture(["git", "-C", ROOT, "log", "-1", "--format=%h", "--", "Sources", "Package.swift"])
    dirty = capture(["git", "-C", ROOT, "status", "--porcelain", "--", "Sources", "Package.swift"])
    return (f"{swift[0] if swift else 'swift ?'}; DuckDB {duck} (Python {platform.python_version()}); "
            f"{xml[0] if xml else 'xmllint ?'}; clientele at {commit} (Sources last changed in {sources}"
            f"{', plus uncommitted changes' if dirty else ''})")


def record(text):
    path = os.path.join(ROOT, "BENCHMARKS.md")
    new = not os.path.exists(path)
    with open(path, "a") as f:
        if new:
            f.write("# Benchmarks\n\nClientele's import against a hand-written DuckDB job (issue 7). "
                    "Each section below was appended by `Benchmarks/run.sh`; Benchmarks/README.md explains the "
                    "cases and how to read the table.\n")
        f.write("\n" + text + "\n")
    print(f"appended to {os.path.relpath(path, ROOT)}")


def command_line():
    return os.environ.get("BENCH_COMMAND") or shlex.join(["python3", "Benchmarks/bench.py"] + sys.argv[1:])


# MARK: - Main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1_000_000, help="records to generate (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--pairs", type=int, default=3, help="alternated ours/peer pairs per case (default 3)")
    ap.add_argument("--cases", default="a,b,c,d", help="which cases, e.g. a,c (default all)")
    ap.add_argument("--scale", action="store_true",
                    help="instead of the cases: our CSV → gzipped JSONL import at N and 10 N, peak RSS ratio")
    ap.add_argument("--no-record", action="store_true", help="do not append to BENCHMARKS.md")
    ap.add_argument("--compare", action="store_true",
                    help="also compare both sides' customers field by field after the last pair (slow, memory-hungry at 1M)")
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "clientele"))
    ap.add_argument("--python", default=sys.executable, help="the Python that has duckdb (the venv's)")
    args = ap.parse_args()
    args.bin, args.python = os.path.abspath(args.bin), os.path.abspath(args.python)  # runs happen in work/
    if not os.path.exists(args.bin):
        sys.exit(f"error: {args.bin} not found; build with `swift build -c release --product clientele` "
                 "or use Benchmarks/run.sh")
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    # Taken before the runs: the sources may change while a long run goes on.
    args.machine_line, args.versions_line = machine(), versions(args.python)
    if args.scale:
        return scale(args, today)

    wanted = [c for c in CASES if c.key in args.cases.split(",")]
    paths = {}
    for fmt in sorted({c.source for c in wanted if c.source != "xml"}):
        paths[fmt] = generate(args.bin, args.count, args.seed, fmt)
    xml_ok = any(c.source == "xml" for c in wanted) and xml_supported(args.bin)
    if xml_ok:
        paths["xml"] = generate(args.bin, args.count, args.seed, "xml")
    startup = timed([args.python, "-c", "import duckdb"]).wall
    print(f"DuckDB side: Python + `import duckdb` alone takes {startup:.2f} s (included in its times)")

    results = []
    for case in wanted:
        print(f"case {case.key}: {case.title} ({args.pairs} pair{'s' if args.pairs != 1 else ''})", flush=True)
        if case.source == "xml" and not xml_ok:
            print("  skipped: no XML support yet")
            results.append(f"| d. {case.title} | – | – | – | ≤ 1 | skipped: no XML support yet | – | – |")
            continue
        results.append(run_case(case, args, paths, args.python))

    print()
    print(table(results))
    problems = [p for r in results if not isinstance(r, str) for p in r["problems"]]
    if problems:
        print(f"\n{len(problems)} count check(s) failed")

    inputs = ", ".join(f"{os.path.relpath(p, ROOT)} ({os.path.getsize(p) / 1e6:.0f} MB)" for p in paths.values())
    lines = [f"## {today}: {args.count:,} records, {args.pairs} pair{'s' if args.pairs != 1 else ''}", "",
             f"- Machine: {args.machine_line}", f"- Versions: {args.versions_line}",
             f"- Command: `{command_line()}`", f"- Inputs: {inputs}",
             f"- DuckDB side includes Python start-up and `import duckdb`: {startup:.2f} s", "",
             table(results), ""]
    for r in results:
        if isinstance(r, str):
            continue
        c = r["case"]
        lines.append(f"- {c.key}: pair ratios {', '.join(f'{x:.3f}' for x in r['pair_ratios'])}; "
                     f"ours {fmt_counts(r['ours_counts'])}"
                     + (f"; DuckDB {fmt_counts(r['peer_counts'])} ({r['agreement']})" if r["peer_counts"] else ""))
        for p in r["problems"]:
            lines.append(f"  - COUNT CHECK FAILED: {p}")
    if not args.no_record:
        record("\n".join(lines))
    return 1 if problems else 0


def scale(args, today):
    """Memory flat in N: our CSV → gzipped JSONL import at N and 10 N, peak RSS ratio (target ≤ 1.3)."""
    small, large = args.count, args.count * 10
    rows = []
    for n in (small, large):
        path = generate(args.bin, n, args.seed, "csv")
        warm(path)
        case = CASES[0]
        run, counts, problems = run_ours(args.bin, case, path, os.path.join(WORK, "ours"))
        for p in problems:
            print(f"  COUNT CHECK FAILED: {p}")
        if counts["read"] != n:
            problems.append(f"ours: read {counts['read']} records of the {n} generated")
            print(f"  COUNT CHECK FAILED: {problems[-1]}")
        print(f"  {n:,} records: {run.wall:.2f} s, peak RSS {run.rss_mib:.1f} MiB; {fmt_counts(counts)}", flush=True)
        rows.append((n, run, counts, problems))
    ratio = rows[1][1].rss_kib / rows[0][1].rss_kib
    met = "yes" if ratio <= SCALE_TARGET and rows[0][1].rss_mib <= RSS_TARGET_MIB else "no"
    text = "\n".join([
        "| records | wall s | peak RSS MiB | records/s |", "|---:|---:|---:|---:|",
        *[f"| {n:,} | {r.wall:.2f} | {r.rss_mib:.1f} | {n / r.wall:,.0f} |" for n, r, _, _ in rows],
        "", f"Peak RSS ratio {large:,} / {small:,}: **{ratio:.2f}** (target ≤ {SCALE_TARGET}): met? {met}"])
    print()
    print(text)
    if not args.no_record:
        record("\n".join([f"## {today}: scale, our CSV → gzipped JSON Lines import at {small:,} and {large:,} records", "",
                          f"- Machine: {args.machine_line}", f"- Versions: {args.versions_line}",
                          f"- Command: `{command_line()}`", "", text]))
    return 1 if any(p for *_, p in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
