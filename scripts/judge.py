#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one guest console log.

Counts KUnit cases (through kunit.py parse) and selftest cases (TAP between
VTCP-TAP-BEGIN/END markers), fails on any sanitizer, lockdep, WARN, BUG or
Oops line and on a non-empty kmemleak report, and prints one line:

    <log>: N passed, N failed, N skipped

Exit status 0 only when nothing failed and the guest finished its job.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

KSRC = os.environ.get("KSRC") or os.path.join(
    os.environ.get("VTCP_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "vtcp"),
    "linux-source-6.12")

# Any of these in the console fails the run, whatever the tests said.
BAD = re.compile(
    r"BUG: |WARNING: |UBSAN: |KASAN: |KCSAN: |Oops|kernel BUG|"
    r"general protection fault|Kernel panic|"
    r"possible (recursive|circular) locking|inconsistent lock state|"
    r"suspicious RCU usage|lock held when returning|"
    r"unreferenced object|ODEBUG: |Call Trace:|VTCP-TIMEOUT|VTCP-HARNESS-ERROR")
TAP_RESULT = re.compile(r"^(ok|not ok) \d+( |$)")


def kunit_counts(lines):
    """Leaf KUnit cases of the log, as (passed, failed, skipped)."""
    # The kernel prints an empty KTAP document for its built-in suites at
    # boot: parse only what the job printed after its marker.
    start = lines.index("VTCP-KUNIT")
    with tempfile.NamedTemporaryFile(suffix=".json") as out, \
            tempfile.NamedTemporaryFile("w", suffix=".log") as ktap:
        ktap.write("\n".join(lines[start + 1:]) + "\n")
        ktap.flush()
        proc = subprocess.run(
            [sys.executable, os.path.join(KSRC, "tools/testing/kunit/kunit.py"),
             "parse", "--json=" + out.name, ktap.name],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        print(proc.stdout, end="")
        try:
            tree = json.load(open(out.name))
        except ValueError:
            return 0, 1, 0
    counts = [0, 0, 0]

    def walk(group):
        for case in group.get("test_cases", []):
            idx = {"PASS": 0, "SKIP": 2}.get(case["status"], 1)
            counts[idx] += 1
        for sub in group.get("sub_groups", []):
            walk(sub)
    walk(tree)
    if proc.returncode != 0 and counts[1] == 0:
        counts[1] = 1
    return tuple(counts)


def tap_counts(lines):
    """Selftest cases between VTCP-TAP-BEGIN <name> and VTCP-TAP-END <name> <rc>."""
    passed = failed = skipped = 0
    name, seen, bad = None, 0, 0
    for line in lines:
        if line.startswith("VTCP-TAP-BEGIN "):
            name, seen, bad = line.split()[1], 0, 0
        elif line.startswith("VTCP-TAP-END ") and name:
            rc = int(line.split()[2])
            # A binary that died, or failed without saying which case did,
            # is one failure of its own.
            if (rc not in (0, 4) and bad == 0) or (rc == 0 and seen == 0):
                print(f"selftest {name}: exit status {rc} after {seen} results")
                failed += 1
            name = None
        elif name and TAP_RESULT.match(line):
            seen += 1
            if line.startswith("not ok"):
                failed += 1
                bad += 1
                print(f"selftest {name}: {line}")
            elif "# SKIP" in line:
                skipped += 1
            else:
                passed += 1
    if name:
        print(f"selftest {name}: output ends before it finished")
        failed += 1
    return passed, failed, skipped


def main():
    log = sys.argv[1]
    lines = open(log, errors="replace").read().splitlines()
    # kmemleak's report sits between markers; any object in it matches BAD.
    problems = [line for line in lines if BAD.search(line)]
    if not any(l.startswith("VTCP-GUEST-DONE") for l in lines):
        problems.append("the guest did not finish its job")

    if "VTCP-KUNIT" in lines:
        passed, failed, skipped = kunit_counts(lines)
    else:
        passed, failed, skipped = tap_counts(lines)

    if not passed and not failed and not skipped:
        problems.append("no test result at all")
    for p in problems[:40]:
        print(f"{log}: problem: {p}")
    if problems:
        failed += 1
    print(f"{log}: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
