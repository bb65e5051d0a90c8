#!/usr/bin/env python3
"""Checks what promtool does not: the alerting rules against CONTRACT.md §7 and the team's conventions.

  - exactly the alert names CONTRACT.md §7 fixes (and, when ../shared/CONTRACT.md is beside the
    repository, that it still names the same ones);
  - every alert has a severity (critical or warning), `tenant` in its labels where it applies
    (aggregated `by (tenant, ...)`), a summary, a description and a runbook_url whose anchor is a
    section of docs/runbooks.md;
  - TollgateBudgetExceeded waits at most 30s (`for`);
  - every alert has a promtool unit test in dashboards/tests/ where it fires and one where it does
    not, and every recording rule is exercised by a test.

Needs PyYAML (Debian: python3-yaml).
"""
import glob
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("check_rules: PyYAML is missing (Debian: apt-get install python3-yaml)", file=sys.stderr)
    sys.exit(1)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONTRACT_ALERTS = {
    "TollgateBudgetExceeded", "TollgateBudgetNearlyExhausted", "TollgateBudgetBurnRateHigh",
    "TollgateUnpricedModelTraffic", "TollgateEstimatedTokensHigh", "TollgateLedgerErrors",
    "TollgateUpstreamErrorRatioHigh", "TollgateProxyOverheadHigh",
}
PER_TENANT = {"TollgateBudgetExceeded", "TollgateBudgetNearlyExhausted", "TollgateBudgetBurnRateHigh"}
SEVERITIES = {"critical", "warning"}


def main():
    errors = []
    alerts, records = load_rules(errors)
    check_contract_file(errors)

    names = set(alerts)
    for missing in sorted(CONTRACT_ALERTS - names):
        errors.append(f"alert {missing} (CONTRACT.md §7) is not defined")
    for extra in sorted(names - CONTRACT_ALERTS):
        errors.append(f"alert {extra} is not one CONTRACT.md §7 names (add it there first)")

    anchors = runbook_anchors(errors)
    for name, rule in sorted(alerts.items()):
        labels = rule.get("labels") or {}
        ann = rule.get("annotations") or {}
        if labels.get("severity") not in SEVERITIES:
            errors.append(f"{name}: severity {labels.get('severity')!r} (expected: one of {sorted(SEVERITIES)})")
        for key in ("summary", "description", "runbook_url"):
            if not str(ann.get(key, "")).strip():
                errors.append(f"{name}: no {key} annotation")
        url = str(ann.get("runbook_url", ""))
        m = re.match(r"^(?:.*/)?docs/runbooks\.md#([\w-]+)$", url)
        if not m:
            errors.append(f"{name}: runbook_url {url!r} (expected: docs/runbooks.md#<section>)")
        elif m.group(1) not in anchors:
            errors.append(f"{name}: runbook_url anchor #{m.group(1)} is not a section of docs/runbooks.md")
        if name in PER_TENANT and not re.search(r"by \(tenant\b|^tenant_window:", rule["expr"], re.M):
            errors.append(f"{name}: does not keep the tenant label (expected: aggregated by (tenant, window))")
    exceeded = alerts.get("TollgateBudgetExceeded")
    if exceeded and duration_seconds(exceeded.get("for", "0s")) > 30:
        errors.append(f"TollgateBudgetExceeded: for {exceeded.get('for')} (expected: at most 30s)")

    check_tests(alerts, records, errors)
    for e in errors:
        print("ERROR " + e, file=sys.stderr)
    print(f"check_rules: {len(alerts)} alerts, {len(records)} recording rules, {len(errors)} errors")
    return 1 if errors else 0


def load_rules(errors):
    alerts, records = {}, {}
    for path in sorted(glob.glob(os.path.join(ROOT, "dashboards", "prometheus", "rules", "*.yml"))):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
        for group in doc.get("groups", []):
            for rule in group.get("rules", []):
                if "alert" in rule:
                    if rule["alert"] in alerts:
                        errors.append(f"alert {rule['alert']} defined twice")
                    alerts[rule["alert"]] = rule
                elif "record" in rule:
                    records[rule["record"]] = rule
    return alerts, records


def check_contract_file(errors):
    path = os.path.join(os.path.dirname(ROOT), "shared", "CONTRACT.md")
    if not os.path.exists(path):
        return      # a clone without the shared folder beside it: the list above is the contract
    with open(path, encoding="utf-8") as f:
        named = set(re.findall(r"`(Tollgate[A-Za-z]+)`", f.read()))
    if named and named != CONTRACT_ALERTS:
        errors.append(f"CONTRACT.md names alerts {sorted(named)}, this check knows {sorted(CONTRACT_ALERTS)}")


def runbook_anchors(errors):
    path = os.path.join(ROOT, "docs", "runbooks.md")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        errors.append("docs/runbooks.md is missing")
        return set()
    anchors = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", text, re.M):
        # GitHub's anchors: lower case, punctuation dropped, spaces to hyphens.
        anchors.add(re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", heading.lower())))
    return anchors


def check_tests(alerts, records, errors):
    fires, quiet, exprs = set(), set(), []
    for path in sorted(glob.glob(os.path.join(ROOT, "dashboards", "tests", "*.yml"))):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
        for test in doc.get("tests", []):
            for art in test.get("alert_rule_test", []) or []:
                (fires if art.get("exp_alerts") else quiet).add(art.get("alertname"))
            for pet in test.get("promql_expr_test", []) or []:
                exprs.append(pet.get("expr", ""))
    for name in sorted(alerts):
        if name not in fires:
            errors.append(f"{name}: no unit test in dashboards/tests where it fires")
        if name not in quiet:
            errors.append(f"{name}: no unit test in dashboards/tests where it does not fire")
    tested_text = "\n".join(exprs) + "\n" + "\n".join(r["expr"] for r in alerts.values())
    for record in sorted(records):
        if not re.search(r"(?<![\w:])" + re.escape(record) + r"(?![\w:])", tested_text):
            errors.append(f"recording rule {record}: not exercised by any test")


def duration_seconds(text):
    total = 0
    for number, unit in re.findall(r"(\d+)(ms|s|m|h|d|w|y)", str(text)):
        total += int(number) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}[unit]
    return total


if __name__ == "__main__":
    sys.exit(main())
