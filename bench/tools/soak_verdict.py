#!/usr/bin/env python3
"""Verdict of a bench/soak.sh run: are RSS and open connections stable?

  soak_verdict.py SAMPLES.csv [--tolerance PCT]

Compares the average of the last quarter of the samples with the average of the second quarter
(the first quarter is warm-up: JIT, pools, heap sizing) for RSS, open file descriptors and open
connections (client + upstream). Each must be within PCT % (default 10) or, for small counts,
within 8 connections / fds. Connections stuck in CLOSE-WAIT must not grow. Prints one line
starting with "SOAK PASS" or "SOAK FAIL"; exits 0 or 1.
"""
import csv
import sys


def avg(rows, key):
    return sum(float(r[key]) for r in rows) / len(rows)


def main():
    path = sys.argv[1]
    tol = float(sys.argv[sys.argv.index("--tolerance") + 1]) if "--tolerance" in sys.argv else 10.0
    rows = [r for r in csv.DictReader(open(path)) if r.get("phase") == "load"]
    if len(rows) < 8:
        print("SOAK FAIL: only %d samples under load (need >= 8)" % len(rows))
        return 1
    q = len(rows) // 4
    second, last = rows[q:2 * q], rows[len(rows) - q:]
    for r in rows:
        r["conns"] = int(r["client_conns"]) + int(r["upstream_conns"])
    checks = []
    for key, label, slack in (("rss_kib", "RSS", 0), ("fds", "fds", 8), ("conns", "connections", 8),
                              ("close_wait", "CLOSE-WAIT", 4)):
        a, b = avg(second, key), avg(last, key)
        change = 100.0 * (b - a) / a if a else (0.0 if b == 0 else float("inf"))
        ok = abs(b - a) <= slack or abs(change) <= tol
        if key == "close_wait":
            ok = b <= a + slack
            checks.append((ok, "%s %.1f -> %.1f" % (label, a, b)))
            continue
        checks.append((ok, "%s %.0f -> %.0f (%+.1f%%)" % (label, a, b, change)))
    if "old_gen_bytes" in rows[0]:
        # Informational: the old generation's lowest point in a quarter approximates its size after
        # collection; with a pre-sized heap, RSS alone would not show a slow heap leak.
        low = lambda part: min(float(r["old_gen_bytes"]) for r in part) / 2**20
        print("old generation, lowest sample: %.1f MiB in the second quarter, %.1f MiB in the last" % (low(second), low(last)))
    bad = [text for ok, text in checks if not ok]
    verdict = "SOAK PASS" if not bad else "SOAK FAIL"
    print("%s: last quarter vs second quarter of %d samples, tolerance %.0f%%: %s" % (
        verdict, len(rows), tol, "; ".join(text for _, text in checks)))
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
