#!/usr/bin/env python3
"""Structural check of Tollgate's Grafana dashboards, with every PromQL query parsed by promtool.

Usage: validate_dashboards.py [DASHBOARD.json ...]   (default: dashboards/grafana/*.json)

Grafana is not packaged for Debian, so instead of loading the dashboards into a Grafana this
checks what a broken dashboard would get wrong:
  - the JSON model: current schema (schemaVersion >= 39), no __inputs (provisioned and imported
    as is), unique uids and titles, unique panel ids, sane gridPos;
  - the variables: `datasource` (type datasource, query prometheus), and `tenant`, `provider`,
    `model` as label_values query variables with multi-select and All;
  - every non-row panel: datasource ${datasource}, a description, a unit, targets with an expr
    and unique refIds (on the same datasource);
  - every variable used in a query is defined (or a Grafana built-in), every tollgate_* metric is
    one CONTRACT.md §7 names, every recorded series is recorded by dashboards/prometheus/rules;
  - every expr (and every variable's selector) parses: the Grafana variables are replaced with
    valid values, each query becomes a recording rule, and `promtool check rules` reads them all.

Standard library only. PROMTOOL=/path/to/promtool overrides the promtool on PATH.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RULES_GLOB = os.path.join(ROOT, "dashboards", "prometheus", "rules", "*.yml")

# CONTRACT.md §7, plus what Micrometer adds to a histogram (_bucket/_count/_sum/_max).
CONTRACT_METRICS = {
    "tollgate_requests_total", "tollgate_tokens_total", "tollgate_cost_usd_total",
    "tollgate_unpriced_requests_total", "tollgate_budget_limit_usd", "tollgate_budget_spend_usd",
    "tollgate_requests_rejected_total", "tollgate_ledger_records_total", "tollgate_ledger_errors_total",
    "tollgate_inflight_requests",
}
for _h in ("tollgate_request_duration_seconds", "tollgate_time_to_first_token_seconds",
           "tollgate_proxy_overhead_seconds"):
    CONTRACT_METRICS.update(_h + s for s in ("_bucket", "_count", "_sum", "_max"))

REQUIRED_QUERY_VARS = ("tenant", "provider", "model")
DATASOURCE_UID = "${datasource}"
PANEL_TYPES_WITHOUT_QUERIES = {"row", "text"}
# Grafana's built-in variables, each with a value PromQL accepts where Grafana would put it.
BUILTINS = {
    "__rate_interval": "1m", "__interval": "1m", "__range": "1h",
    "__range_s": "3600", "__range_ms": "3600000", "__interval_ms": "60000",
}
VAR_RE = re.compile(r"\$(?:\{(\w+)(?::[^}]*)?\}|(\w+))")
METRIC_RE = re.compile(r"(?<![\w:])tollgate_[a-z0-9_]+(?![\w:])")
RECORDED_RE = re.compile(r"\b[a-z_]+:[a-z0-9_:]+\b")
LABEL_VALUES_RE = re.compile(r"^label_values\((?:(.+),\s*)?([a-zA-Z_$][a-zA-Z0-9_]*)\)\s*$")
LABEL_NAMES_RE = re.compile(r"^label_names\((.*)\)\s*$")


def main(argv):
    files = argv[1:] or sorted(glob.glob(os.path.join(ROOT, "dashboards", "grafana", "*.json")))
    if not files:
        print("validate_dashboards: no dashboards found", file=sys.stderr)
        return 1
    recorded = recorded_series()
    errors = []
    queries = []            # (where, expr) for promtool
    uids, titles = {}, {}
    for path in files:
        name = os.path.relpath(path, ROOT)
        try:
            with open(path, encoding="utf-8") as f:
                dash = json.load(f)
        except (OSError, ValueError) as e:
            errors.append(f"{name}: not valid JSON: {e}")
            continue
        check_dashboard(name, dash, recorded, errors, queries)
        for key, seen in (("uid", uids), ("title", titles)):
            value = dash.get(key)
            if value in seen:
                errors.append(f"{name}: {key} {value!r} also used by {seen[value]}")
            seen[value] = name
    errors.extend(promtool_parse(queries))
    for e in errors:
        print("ERROR " + e, file=sys.stderr)
    print(f"validate_dashboards: {len(files)} dashboards, {len(queries)} queries checked, "
          f"{len(errors)} errors")
    return 1 if errors else 0


def check_dashboard(name, dash, recorded, errors, queries):
    def err(msg):
        errors.append(f"{name}: {msg}")

    if not isinstance(dash, dict):
        err("top level is not an object")
        return
    if "__inputs" in dash or "__requires" in dash:
        err("has __inputs/__requires (an 'export for sharing externally'); use the plain JSON model")
    if not isinstance(dash.get("schemaVersion"), int) or dash["schemaVersion"] < 39:
        err(f"schemaVersion {dash.get('schemaVersion')!r} (expected: >= 39)")
    for key in ("uid", "title"):
        if not isinstance(dash.get(key), str) or not dash[key]:
            err(f"missing {key}")
    if dash.get("id") is not None:
        err(f"id {dash.get('id')!r} (expected: null, so that Grafana assigns one)")

    variables = check_variables(dash, err)
    defined = set(variables) | set(BUILTINS)
    for var_name, var in variables.items():
        selector = variable_selector(var)
        if selector:
            queries.append((f"{name} variable {var_name}", f"count({selector})", variables))
            check_names(f"variable {var_name}", selector, recorded, err)
        for used in used_variables(query_text(var)):
            if used not in defined:
                err(f"variable {var_name} uses undefined variable ${used}")

    ids = {}
    for panel in all_panels(dash.get("panels", []), err):
        pid = panel.get("id")
        title = panel.get("title") or "(untitled)"
        where = f"panel {pid} {title!r}"
        if not isinstance(pid, int):
            err(f"{where}: id is not an integer")
        elif pid in ids:
            err(f"{where}: id {pid} already used by panel {ids[pid]!r}")
        else:
            ids[pid] = title
        check_grid(where, panel.get("gridPos"), err)
        if not panel.get("title"):
            err(f"{where}: no title")
        if panel.get("type") in PANEL_TYPES_WITHOUT_QUERIES:
            continue
        if panel.get("datasource") != {"type": "prometheus", "uid": DATASOURCE_UID}:
            err(f"{where}: datasource {panel.get('datasource')!r} "
                f"(expected: {{'type': 'prometheus', 'uid': '{DATASOURCE_UID}'}})")
        if not str(panel.get("description", "")).strip():
            err(f"{where}: no description")
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit")
        if not unit:
            err(f"{where}: no unit in fieldConfig.defaults")
        for used in used_variables(title):
            if used not in defined:
                err(f"{where}: title uses undefined variable ${used}")
        targets = panel.get("targets")
        if not isinstance(targets, list) or not targets:
            err(f"{where}: no targets")
            continue
        ref_ids = set()
        for target in targets:
            ref = target.get("refId")
            twhere = f"{where} target {ref}"
            if not ref or ref in ref_ids:
                err(f"{twhere}: missing or duplicate refId")
            ref_ids.add(ref)
            ds = target.get("datasource")
            if ds is not None and ds.get("uid") != DATASOURCE_UID:
                err(f"{twhere}: datasource {ds!r} (expected: uid {DATASOURCE_UID})")
            expr = target.get("expr")
            if not isinstance(expr, str) or not expr.strip():
                err(f"{twhere}: no expr")
                continue
            for used in used_variables(expr):
                if used not in defined:
                    err(f"{twhere}: undefined variable ${used}")
            check_names(twhere, expr, recorded, err)
            queries.append((f"{name} {twhere}", expr, variables))


def check_variables(dash, err):
    variables = {}
    for var in dash.get("templating", {}).get("list", []):
        vname = var.get("name")
        if not vname or vname in variables:
            err(f"variable {vname!r}: missing or duplicate name")
            continue
        variables[vname] = var
    ds = variables.get("datasource")
    if ds is None:
        err("no 'datasource' variable")
    elif ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        err(f"variable datasource: type {ds.get('type')!r}, query {ds.get('query')!r} "
            "(expected: type 'datasource', query 'prometheus')")
    for vname in REQUIRED_QUERY_VARS:
        var = variables.get(vname)
        if var is None:
            err(f"no {vname!r} variable")
            continue
        problems = []
        if var.get("type") != "query":
            problems.append(f"type {var.get('type')!r} (expected: query)")
        if not LABEL_VALUES_RE.match(query_text(var)):
            problems.append(f"query {query_text(var)!r} (expected: label_values(...))")
        if var.get("multi") is not True or var.get("includeAll") is not True:
            problems.append("not multi-select with All")
        if (var.get("datasource") or {}).get("uid") != DATASOURCE_UID:
            problems.append(f"datasource {var.get('datasource')!r} (expected: uid {DATASOURCE_UID})")
        for p in problems:
            err(f"variable {vname}: {p}")
    for vname, var in variables.items():
        if var.get("type") == "query" and (var.get("datasource") or {}).get("uid") != DATASOURCE_UID:
            err(f"variable {vname}: datasource {var.get('datasource')!r} (expected: uid {DATASOURCE_UID})")
    return variables


def all_panels(panels, err):
    for panel in panels:
        if not isinstance(panel, dict):
            err("a panel is not an object")
            continue
        yield panel
        # Collapsed rows keep their panels inside.
        yield from all_panels(panel.get("panels", []), err)


def check_grid(where, grid, err):
    if not isinstance(grid, dict) or not all(isinstance(grid.get(k), int) for k in ("x", "y", "w", "h")):
        err(f"{where}: gridPos missing or not integers")
        return
    if grid["w"] < 1 or grid["h"] < 1 or grid["x"] < 0 or grid["y"] < 0 or grid["x"] + grid["w"] > 24:
        err(f"{where}: gridPos {grid} outside the 24-column grid")


def check_names(where, expr, recorded, err):
    for metric in sorted(set(METRIC_RE.findall(expr))):
        if metric not in CONTRACT_METRICS:
            err(f"{where}: metric {metric} is not in CONTRACT.md §7")
    for series in sorted(set(RECORDED_RE.findall(strip_strings(expr)))):
        if series not in recorded:
            err(f"{where}: {series} is not recorded by dashboards/prometheus/rules")


def strip_strings(expr):
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)


def recorded_series():
    names = set()
    for path in glob.glob(RULES_GLOB):
        with open(path, encoding="utf-8") as f:
            names.update(re.findall(r"^\s*-?\s*record:\s*['\"]?([\w:]+)", f.read(), re.M))
    return names


def query_text(var):
    q = var.get("query", "")
    if isinstance(q, dict):
        q = q.get("query", "")
    return q if isinstance(q, str) else ""


def variable_selector(var):
    if var.get("type") != "query":
        return None
    text = query_text(var)
    m = LABEL_VALUES_RE.match(text)
    if m:
        return m.group(1)
    m = LABEL_NAMES_RE.match(text)
    if m:
        return m.group(1) or None
    return None


def used_variables(text):
    return {a or b for a, b in VAR_RE.findall(text or "")}


def substitutions(variables):
    """Yields {variable: value} maps: values Grafana could put there, every label-name choice tried."""
    base = dict(BUILTINS)
    label_name_vars = []
    for vname, var in variables.items():
        if var.get("type") == "datasource":
            continue
        if var.get("type") == "query" and LABEL_NAMES_RE.match(query_text(var)):
            label_name_vars.append(vname)
        else:
            base[vname] = ".*"              # a regex matcher value, as multi-value variables render
    if not label_name_vars:
        yield base
        return
    # A label name variable with no options (no attribution tags configured) renders empty.
    yield {**base, **{v: "feature" for v in label_name_vars}}
    yield {**base, **{v: "" for v in label_name_vars}}


def substitute(expr, values):
    return VAR_RE.sub(lambda m: values.get(m.group(1) or m.group(2), m.group(0)), expr)


def promtool_parse(queries):
    if not queries:
        return []
    promtool = os.environ.get("PROMTOOL", "promtool")
    lines = ["groups:"]
    where_of = {}
    n = 0
    for where, expr, variables in queries:
        for values in substitutions(variables):
            n += 1
            group = f"q{n}"
            where_of[group] = f"{where} (with {', '.join(f'{k}={v!r}' for k, v in sorted(values.items()) if not k.startswith('__'))})"
            lines.append(f"  - name: {group}")
            lines.append("    rules:")
            lines.append(f"      - record: dashboard_query_{n}")
            lines.append(f"        expr: {json.dumps(substitute(expr, values))}")
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        rule_file = f.name
    try:
        proc = subprocess.run([promtool, "check", "rules", rule_file], capture_output=True, text=True)
    except FileNotFoundError:
        return [f"promtool not found ({promtool}); install Debian's prometheus package"]
    finally:
        os.unlink(rule_file)
    if proc.returncode == 0:
        return []
    errors = []
    for line in (proc.stdout + proc.stderr).splitlines():
        m = re.search(r'group "(q\d+)"', line)
        if m:
            errors.append(f"{where_of[m.group(1)]}: promtool: {line.strip()}")
    return errors or ["promtool check rules failed on the dashboard queries:\n" + proc.stdout + proc.stderr]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
