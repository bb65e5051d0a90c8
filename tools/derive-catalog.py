#!/usr/bin/env python3
"""Derive Tollgate's builtin price catalog from the genai-prices database.

Tollgate never reads the price database at build, test or run time: this is a manual tool, and
its output, proxy-core/src/main/resources/dev/tollgate/core/pricing/catalog.yaml, is committed.

Re-run it (python3, standard library only) when a newer database is taken:

    python3 tools/derive-catalog.py path/to/genai-prices.json --as-of 2026-11-27 \
        [--source "@pydantic/genai-prices 0.1.8"] [--out proxy-core/src/main/resources/dev/tollgate/core/pricing/catalog.yaml]

then review the diff, run `./mvnw -pl proxy-core verify` (CatalogTest spot-checks prices) and
commit the script's output together with the new `--as-of` date.

What is taken, and how the database's shapes map onto the catalog (see CONTRACT.md §4 and §5):

- Providers: openai, anthropic, google, mistral, deepseek, x-ai, cohere. Google's listing of
  Claude models (Vertex AI resale) is left out: the anthropic entries price those names.
- Models without any per-token text price (input_mtok/output_mtok) are skipped: audio-hour,
  OCR-page and free `{}` entries. Other modalities' prices (audio, image tokens, searches) are
  not carried over; Tollgate's token types are text input, cached input, cache writes, output.
- Prices are exact decimal strings copied from the JSON text (never through a binary float).
  input_mtok -> input, cache_read_mtok -> cached_input, cache_write_mtok -> cache_write (5 min),
  cache_write_1h_mtok -> cache_write_1h, output_mtok -> output. Missing cached_input/cache_write/
  cache_write_1h stay missing: the loader defaults them (CONTRACT §4). A missing input or output
  (embeddings have no output) is written as "0", which is what genai-prices charges for it.
- Tiers: genai-prices applies a tier when total input tokens > start; Tollgate's
  `from_input_tokens` applies when total input >= it, so from_input_tokens = start + 1. A tier
  lists only the prices that differ from the base prices at that size.
- Match rules: `equals` -> aliases; `starts_with` -> prefixes; `contains X` -> prefix X (names
  are matched from their start only); `ends_with X` -> alias X; `regex` matching a name or alias
  plus a date suffix (-YYYYMMDD, -YYYY-MM-DD) is dropped because Tollgate removes dated suffixes
  itself; any other regex contributes its leading literal text as a prefix. An `and` of a
  starts_with with an exclusion regex (Gemini's "not -tts") becomes the starts_with prefix; the
  -tts models have their own exact names, which win over any prefix.
- Conditional prices: genai-prices evaluates its `prices` list last to first and uses the last
  entry whose constraint holds (start_date: request date >= date; time_of_date: start <= UTC time
  < end). Each start_date becomes a dated `changes:` entry holding the complete prices from that
  day on; each time_of_date becomes an `hours:` window (UTC) of the price period it is listed
  after. That is genai-prices' order except in one case it cannot express (a date and a daily
  window on one entry): windows listed after a start_date apply from that date on, not before.
  DeepSeek V4's price_comments describe exactly this intent (genai-prices issue 582).
"""

import argparse
import datetime
import json
import os
import re
import sys
from decimal import Decimal

PROVIDERS = ["openai", "anthropic", "google", "mistral", "deepseek", "x-ai", "cohere"]

# Database price field -> catalog field, in the order they are written.
FIELDS = [
    ("input_mtok", "input"),
    ("cache_read_mtok", "cached_input"),
    ("cache_write_mtok", "cache_write"),
    ("cache_write_1h_mtok", "cache_write_1h"),
    ("output_mtok", "output"),
]
TEXT_FIELDS = ("input_mtok", "output_mtok")

DATE_REGEX_TAILS = (r"\d{8}$", r"\d{4}-\d{2}-\d{2}$")
REGEX_META = set(".^$*+?{}[]\\|()")

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), os.pardir,
    "proxy-core", "src", "main", "resources", "dev", "tollgate", "core", "pricing", "catalog.yaml")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="path to genai-prices.json")
    parser.add_argument("--as-of", required=True, help="the date the database was taken, YYYY-MM-DD")
    parser.add_argument("--source", default="@pydantic/genai-prices 0.1.8",
                        help="package and version the database comes from")
    parser.add_argument("--out", default=DEFAULT_OUT, help="catalog file to write")
    args = parser.parse_args()
    datetime.date.fromisoformat(args.as_of)

    with open(args.database, encoding="utf-8") as f:
        # Decimal keeps every price exactly as the JSON text spells it.
        database = json.load(f, parse_float=Decimal, parse_int=Decimal)
    by_id = {p["id"]: p for p in database}

    models = []
    skipped = {}
    for provider in PROVIDERS:
        for model in by_id[provider]["models"]:
            reason = skip_reason(provider, model)
            if reason:
                skipped.setdefault(provider, []).append(f"{model['id']} ({reason})")
                continue
            models.append(derive_model(provider, model))

    check_unique(models)
    text = render(models, args)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)

    print(f"wrote {os.path.normpath(args.out)}: {len(models)} models, as of {args.as_of}")
    for provider in PROVIDERS:
        count = sum(1 for m in models if m["provider"] == provider)
        print(f"  {provider:10} {count:4} models, {len(skipped.get(provider, [])):3} skipped")
    for provider, names in skipped.items():
        print(f"  skipped {provider}: {', '.join(names)}", file=sys.stderr)


def skip_reason(provider, model):
    if provider == "google" and model["id"].startswith("claude-"):
        return "Vertex listing of an Anthropic model"
    variants = model["prices"] if isinstance(model["prices"], list) else [{"prices": model["prices"]}]
    if not any(field in v["prices"] for v in variants for field in TEXT_FIELDS):
        return "no per-token text price"
    return None


def derive_model(provider, model):
    name = model["id"]
    aliases, matches = [], []
    collect_match(model["match"], aliases, matches, name)
    names = {name} | set(aliases)
    prefixes = []
    for match in matches:
        if isinstance(match, str):
            prefixes.append(match)
        else:
            prefix = regex_prefix(name, match[1], names)
            if prefix:
                prefixes.append(prefix)
    entry = {
        "name": name,
        "provider": provider,
        "aliases": dedupe(a for a in aliases if a != name),
        "prefixes": dedupe(prefixes),
    }
    entry.update(derive_prices(name, model["prices"]))
    return entry


def collect_match(clause, aliases, prefixes, name):
    """Flattens a match clause into aliases and prefixes; a regex is kept as ('regex', r)."""
    if "or" in clause:
        for sub in clause["or"]:
            collect_match(sub, aliases, prefixes, name)
    elif "and" in clause:
        positive = [c for c in clause["and"] if not is_exclusion_regex(c)]
        if len(positive) != 1:
            sys.exit(f"{name}: cannot express match {json.dumps(clause)}")
        collect_match(positive[0], aliases, prefixes, name)
    elif "equals" in clause:
        aliases.append(clause["equals"])
    elif "ends_with" in clause:
        aliases.append(clause["ends_with"])
    elif "starts_with" in clause:
        prefixes.append(clause["starts_with"])
    elif "contains" in clause:
        prefixes.append(clause["contains"])
    elif "regex" in clause:
        prefixes.append(("regex", clause["regex"]))
    else:
        sys.exit(f"{name}: unknown match clause {json.dumps(clause)}")


def is_exclusion_regex(clause):
    return "regex" in clause and clause["regex"].startswith("^(?!")


def regex_prefix(name, regex, names):
    """None for '^<own name>-\\d{8}$'-style regexes (dated suffixes are removed at lookup),
    else the regex's leading literal text."""
    literal, rest = regex_literal_prefix(regex)
    if literal.endswith("-") and literal[:-1] in names and rest in DATE_REGEX_TAILS:
        return None
    if not literal:
        sys.exit(f"{name}: regex {regex} has no literal start to use as a prefix")
    return literal


def regex_literal_prefix(regex):
    """Splits '^gemini-3\\.5-flash-\\d' into ('gemini-3.5-flash-', '\\d')."""
    if not regex.startswith("^"):
        return "", regex
    out, i = [], 1
    while i < len(regex):
        c = regex[i]
        if c == "\\" and i + 1 < len(regex) and regex[i + 1] in REGEX_META:
            out.append(regex[i + 1])
            i += 2
        elif c in REGEX_META:
            break
        else:
            out.append(c)
            i += 1
    return "".join(out), regex[i:]


def derive_prices(name, prices):
    """The base price set, dated changes and hour windows of one model."""
    if not isinstance(prices, list):
        return price_set(name, prices)
    variants = []
    for i, v in enumerate(prices):
        c = v.get("constraint")
        kind = c["type"] if c else None
        if kind not in (None, "start_date", "time_of_date"):
            sys.exit(f"{name}: unknown constraint {json.dumps(c)}")
        variants.append((i, kind, c, v["prices"]))

    # Price periods start at -inf and at every start_date; the main entry of a period is the last
    # listed unconstrained or start_date entry active on its first day (genai-prices' order).
    boundaries = sorted({c["start_date"] for _, kind, c, _ in variants if kind == "start_date"})
    periods = []
    for start in [None] + boundaries:
        main = None
        for i, kind, c, p in variants:
            if kind is None or (kind == "start_date" and start is not None and c["start_date"] <= start):
                main = i
        if main is None:  # only dated entries, none active yet: genai-prices uses the first one
            main = 0
        if periods and periods[-1][1] == main:
            continue
        periods.append((start, main))

    def period_body(main):
        body = price_set(name, variants[main][3])
        # Windows listed after the main entry and before the next non-window entry belong to it.
        windows = []
        for i, kind, c, p in variants[main + 1:]:
            if kind != "time_of_date":
                break
            windows.append(dict({"from": hhmm(c["start_time"]), "to": hhmm(c["end_time"])},
                                **price_set(name, p)))
        if windows:
            body["hours"] = windows
        return body

    result = period_body(periods[0][1])
    changes = [dict({"from": start}, **period_body(main)) for start, main in periods[1:]]
    if changes:
        result["changes"] = changes
    return result


def hhmm(value):
    """'00:30:00Z' -> '00:30' (UTC)."""
    m = re.fullmatch(r"(\d{2}):(\d{2})(?::(\d{2}))?(Z|\+00:00)?", value)
    if not m or (m.group(3) or "00") != "00":
        sys.exit(f"unsupported time of day {value!r}")
    return f"{m.group(1)}:{m.group(2)}"


def price_set(name, prices):
    out = {}
    for source_field, field in FIELDS:
        value = prices.get(source_field)
        if value is None:
            if source_field in TEXT_FIELDS:
                out[field] = "0"
            continue
        out[field] = value["base"] if isinstance(value, dict) else value
    tiers = tier_list(name, prices)
    out = {k: dec(name, v) for k, v in out.items()}
    if tiers:
        out["tiers"] = tiers
    return out


def tier_list(name, prices):
    starts = sorted({t["start"] for f, _ in FIELDS if isinstance(prices.get(f), dict)
                     for t in prices[f]["tiers"]})
    tiers = []
    for start in starts:
        tier = {"from_input_tokens": int(start) + 1}
        for source_field, field in FIELDS:
            value = prices.get(source_field)
            if not isinstance(value, dict):
                continue
            at = value["base"]
            for t in sorted(value["tiers"], key=lambda t: t["start"]):
                if t["start"] <= start:
                    at = t["price"]
            if at != value["base"]:
                tier[field] = dec(name, at)
        tiers.append(tier)
    return tiers


def dec(name, value):
    """An exact decimal string with at most 9 decimal places (1e-15 USD per token)."""
    d = Decimal(value)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if d < 0 or (("." in text) and len(text.split(".")[1]) > 9):
        sys.exit(f"{name}: price {value} is negative or has more than 9 decimal places")
    return text


def dedupe(items):
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def check_unique(models):
    owners = {}
    for m in models:
        for key in [m["name"]] + m["aliases"]:
            if key in owners:
                sys.exit(f"name {key!r} is used by both {owners[key]} and {m['name']}")
            owners[key] = m["name"]
    prefix_owners = {}
    for m in models:
        for p in m["prefixes"]:
            if p in prefix_owners and prefix_owners[p] != m["name"]:
                sys.exit(f"prefix {p!r} is declared by both {prefix_owners[p]} and {m['name']}")
            prefix_owners[p] = m["name"]


def render(models, args):
    lines = [
        "# Tollgate builtin price catalog. GENERATED by tools/derive-catalog.py: do not edit by hand;",
        "# re-run the script (its header says how) and commit the result.",
        "#",
        f"# Facts from {args.source} (https://github.com/pydantic/genai-prices),",
        "# Copyright (c) 2025 Pydantic Services Inc., MIT license.",
        "# Prices: USD per 1M tokens, exact decimal strings. Missing cached_input, cache_write and",
        "# cache_write_1h default at load time to input, input and cache_write (CONTRACT.md §4).",
        "# tiers: from this many total input tokens (uncached + cached + cache writes), the listed",
        "# prices replace the base ones for the whole request. changes: complete prices from that",
        "# UTC date on. hours: UTC daily windows [from, to) with their own complete prices.",
        f"as_of: {args.as_of}",
        f"source: {json.dumps(args.source + ' (genai-prices.json)')}",
        'license: "MIT (genai-prices, Copyright (c) 2025 Pydantic Services Inc.)"',
        "models:",
    ]
    for m in models:
        lines.append(f"  - name: {q(m['name'])}")
        lines.append(f"    provider: {q(m['provider'])}")
        if m["aliases"]:
            lines.append(f"    aliases: [{', '.join(q(a) for a in m['aliases'])}]")
        if m["prefixes"]:
            lines.append(f"    prefixes: [{', '.join(q(p) for p in m['prefixes'])}]")
        render_period(lines, m, "    ")
    return "\n".join(lines) + "\n"


def render_period(lines, body, indent):
    for _, field in FIELDS:
        if field in body:
            lines.append(f"{indent}{field}: {q(body[field])}")
    if "tiers" in body:
        lines.append(f"{indent}tiers:")
        for t in body["tiers"]:
            lines.append(f"{indent}  - from_input_tokens: {t['from_input_tokens']}")
            for _, field in FIELDS:
                if field in t:
                    lines.append(f"{indent}    {field}: {q(t[field])}")
    if "hours" in body:
        lines.append(f"{indent}hours:")
        for w in body["hours"]:
            lines.append(f"{indent}  - from: {q(w['from'])}")
            lines.append(f"{indent}    to: {q(w['to'])}")
            render_period(lines, w, indent + "    ")
    if "changes" in body:
        lines.append(f"{indent}changes:")
        for c in body["changes"]:
            lines.append(f"{indent}  - from: {q(c['from'])}")
            render_period(lines, c, indent + "    ")


def q(text):
    return json.dumps(str(text))  # a JSON string is a valid YAML double-quoted scalar


if __name__ == "__main__":
    main()
