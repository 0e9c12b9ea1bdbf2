"""report.html: one invocation of moh-migrate for a person to read and sign off.

`render(data) -> str` is pure: it reads nothing and writes nothing. `data` is what the run
knows; every part may be missing (a dry run has a plan and no outcome, a rollback neither):

    kind          "run", "dry run", "rollback" or "incremental" (guessed from what is there)
    run_id, generated_at, status ("passed", "failed", "rolled_back", ...), message (one line)
    plan          reports/migration_plan.json as driver/plan.py writes it
    validation    validation_report.json as the driver writes it (tables = the work schema's
                  migration_reconciliation, tests, exceptions_by_reason, timings, memory)
    phases        {name: seconds} or [{name, seconds, start?}]: when there is no validation
                  report (dry run, rollback), or to give the phases' real start offsets
    exceptions    a few exception rows {table, key, reason} per reason, for example keys
                  (exceptions_sample() picks them from reports/exceptions.csv)
    root_causes   [{root_table, root_key, root_reason, takes: {"table (action)": rows}}] as the
                  plan and the validation report give them (plan.cascades)
    history       the run record, newest first or last: [{run_id, kind, started_at,
                  finished_at, status, rows_loaded, rows_rejected, message}]
    peak_memory_mb, elapsed_seconds   when not in the validation report

The page is one file: CSS and SVG inline, no script, no font or image from anywhere. Charts
are hand-written SVG from geometry computed here (see the commit that added this module for
why no chart library). Keys and reasons are shown as ids and codes only: a key that does not
look like one is withheld, ids inside reasons are replaced by "…".
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

import jinja2

from driver.plan import reason_kind

EXAMPLES_PER_REASON = 3
MESSAGE_CHARS = 300
NOT_CARRIED = ("transient", "v2_owned")
ACTIONS = ("rejected", "changed")
# one key part: a column name and an id-like value (digits, letters, UUID, App\Models\User)
KEY_PART = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=[A-Za-z0-9_.:\\-]{1,64}")
# columns whose values are personal even when they look like ids
PERSONAL_COLUMN = re.compile(r"mail|phone|name|national|address|birth|password|token_value", re.I)
QUOTED = re.compile(r"'[^']+'")


# --- making inputs safe to show ------------------------------------------------------------------

def safe_key(key) -> str | None:
    """The key if it is made of id-like parts ("id=42", "role_id=2,model_id=41"), else None."""
    if key is None:
        return None
    parts = str(key).split(",")
    for part in parts:
        if not KEY_PART.fullmatch(part.strip()) or PERSONAL_COLUMN.search(part.split("=", 1)[0]):
            return None
    return ",".join(p.strip() for p in parts)


def safe_reason(reason) -> str:
    """A reason with its ids replaced by "…" and quoted values withheld: the kind of problem,
    never a value from a row."""
    return QUOTED.sub("'…'", reason_kind(str(reason or "")))


def split_action(reason: str) -> tuple[str | None, str]:
    for action in ACTIONS:
        if reason.startswith(action + ": "):
            return action, reason[len(action) + 2:]
    return None, reason


# --- reading a run's output directory --------------------------------------------------------------

def exceptions_sample(path: Path, per_reason: int = EXAMPLES_PER_REASON) -> list[dict]:
    """A few rows of reports/exceptions.csv per (table, reason kind), read as a stream: memory
    grows with the number of reason kinds, not with the file."""
    kept: dict[tuple[str, str], int] = {}
    sample = []
    with Path(path).open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            group = (row["table"], reason_kind(row["reason"]))
            if kept.get(group, 0) < per_reason:
                kept[group] = kept.get(group, 0) + 1
                sample.append({"table": row["table"], "key": row["key"], "reason": row["reason"]})
    return sample


def data_from_output_dir(out: Path, **extra) -> dict:
    """What an output directory holds, as render() takes it; `extra` adds what only the
    database knows (history, root_causes, kind, ...)."""
    out = Path(out)
    data: dict = {}
    for key, path in (("plan", out / "reports" / "migration_plan.json"),
                      ("validation", out / "validation_report.json")):
        if path.exists():
            data[key] = json.loads(path.read_text("utf-8"))
    exceptions = out / "reports" / "exceptions.csv"
    if exceptions.exists():
        data["exceptions"] = exceptions_sample(exceptions)
    data.update(extra)
    return data


# --- the page's content ------------------------------------------------------------------------------

def _int(value) -> int | None:
    return None if value is None else int(value)


def table_rows(plan: dict | None, validation: dict | None) -> list[dict]:
    """Per v2 table: the plan beside the outcome. `loaded` counts rows this run put into v2; a
    table that is not carried loads nothing, and `v2_kept` says what v2 holds of its own."""
    planned = (plan or {}).get("tables") or {}
    outcome = {t["table_name"]: t for t in (validation or {}).get("tables") or []}
    rows = []
    for name in sorted(set(planned) | set(outcome)):
        p, o = planned.get(name), outcome.get(name)
        disposition = (o or p or {}).get("disposition", "migrated")
        carried = disposition not in NOT_CARRIED
        row = {
            "table": name,
            "disposition": disposition,
            "carried": carried,
            "v1_rows": _int((o or p)["v1_rows"]),
            "plan_load": _int(p.get("rows_to_load")) if p and carried else None,
            "plan_rejected": _int(p.get("rows_rejected", 0)) if p and carried else None,
            "plan_changed": _int(p.get("rows_loaded_with_changes", 0)) if p and carried else None,
            "loaded": None, "rejected": None, "changed": None, "moved": None, "added": None,
            "not_carried": None, "v2_kept": None, "reconciles": None, "as_planned": None,
        }
        if o:
            row.update(
                loaded=_int(o["v2_rows"]) if carried else 0,
                v2_kept=None if carried else _int(o["v2_rows"]),
                rejected=_int(o["rejected_rows"]), changed=_int(o["changed_rows"]),
                moved=_int(o["moved_rows"]), added=_int(o["added_rows"]),
                not_carried=_int(o["not_carried_rows"]), reconciles=bool(o["reconciles"]))
            if p and carried:
                row["as_planned"] = row["plan_load"] == row["loaded"] and row["plan_rejected"] == row["rejected"]
        elif p and not carried:
            row["not_carried"] = row["v1_rows"]
        rows.append(row)
    return rows


SUMMED = ("v1_rows", "plan_load", "plan_rejected", "plan_changed", "loaded", "rejected", "changed", "moved",
          "added", "not_carried")


def totals(rows: list[dict]) -> dict:
    """Column sums (None where no table has the column) and the balance of the outcome:
    v1 + added = loaded + rejected + moved + not carried."""
    result = {}
    for column in SUMMED:
        values = [r[column] for r in rows if r[column] is not None]
        result[column] = sum(values) if values else None
    have_outcome = result["loaded"] is not None
    result["left"] = result["v1_rows"] + result["added"] if have_outcome else None
    result["right"] = (result["loaded"] + result["rejected"] + result["moved"] + result["not_carried"]
                       if have_outcome else None)
    result["balances"] = have_outcome and result["left"] == result["right"]
    result["tables_reconciled"] = sum(1 for r in rows if r["reconciles"])
    result["tables_checked"] = sum(1 for r in rows if r["reconciles"] is not None)
    result["tables_as_planned"] = sum(1 for r in rows if r["as_planned"])
    result["tables_compared"] = sum(1 for r in rows if r["as_planned"] is not None)
    return result


def exception_groups(plan: dict | None, validation: dict | None, sample: list[dict]) -> list[dict]:
    """Exceptions by table and reason kind, with their counts (the outcome's, else the plan's)
    and a few example keys from `sample`."""
    counts: dict[tuple[str, str, str], int] = {}
    by_reason = (validation or {}).get("exceptions_by_reason")
    if by_reason:
        for label, rows in by_reason.items():
            table, _, rest = label.partition(": ")
            action, reason = split_action(rest)
            counts[(table, action or "", safe_reason(reason))] = counts.get(
                (table, action or "", safe_reason(reason)), 0) + int(rows)
    elif plan:
        for table, p in (plan.get("tables") or {}).items():
            for label, rows in (p.get("exceptions_by_reason") or {}).items():
                action, reason = split_action(label)
                key = (table, action or "", safe_reason(reason))
                counts[key] = counts.get(key, 0) + int(rows)
    examples: dict[tuple[str, str, str], list[str]] = {}
    withheld: dict[tuple[str, str, str], int] = {}
    for row in sample or []:
        action, reason = split_action(str(row.get("reason") or ""))
        group = (row.get("table"), action or "", safe_reason(reason))
        key = safe_key(row.get("key"))
        if key is None:
            withheld[group] = withheld.get(group, 0) + 1
        elif len(examples.setdefault(group, [])) < EXAMPLES_PER_REASON and key not in examples[group]:
            examples[group].append(key)
    return [{"table": t, "action": a, "reason": r, "rows": n, "examples": examples.get((t, a, r), []),
             "withheld": withheld.get((t, a, r), 0)}
            for (t, a, r), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def root_cause_groups(root_causes: list[dict] | None) -> list[dict]:
    """Root exceptions grouped by table and reason kind: how many roots, the rows they took
    with them per table, a few example root keys."""
    groups: dict[tuple[str, str], dict] = {}
    for root in root_causes or []:
        label = (str(root.get("root_table")), safe_reason(root.get("root_reason")))
        g = groups.setdefault(label, {"root_table": label[0], "root_reason": label[1], "roots": 0,
                                      "affected": {}, "examples": [], "withheld": 0})
        g["roots"] += 1
        for table, rows in (root.get("takes") or root.get("affected") or {}).items():
            g["affected"][table] = g["affected"].get(table, 0) + int(rows)
        key = safe_key(root.get("root_key"))
        if key is None:
            g["withheld"] += 1
        elif len(g["examples"]) < EXAMPLES_PER_REASON:
            g["examples"].append(key)
    for g in groups.values():
        g["affected_rows"] = sum(g["affected"].values())
        g["affected"] = sorted(g["affected"].items(), key=lambda kv: (-kv[1], kv[0]))
    return sorted(groups.values(), key=lambda g: (-g["affected_rows"], -g["roots"], g["root_table"]))


PASSING = ("pass", "success")


def dbt_tests(validation: dict | None) -> dict:
    """dbt's tests, failures (fail, error, warn, skipped) first."""
    results = [r for r in ((validation or {}).get("tests") or {}).get("results") or []
               if str(r.get("node", "")).startswith("test.")]
    tests = [{"name": r["node"].split(".")[2] if r["node"].count(".") >= 2 else r["node"],
              "status": r.get("status"), "failing_rows": r.get("failing_rows"), "seconds": r.get("seconds")}
             for r in results]
    failed = sorted((t for t in tests if t["status"] not in PASSING), key=lambda t: (str(t["status"]), t["name"]))
    passed = sorted((t for t in tests if t["status"] in PASSING), key=lambda t: t["name"])
    summary = ((validation or {}).get("tests") or {}).get("summary") or {}
    if not summary and tests:
        for t in tests:
            summary[t["status"]] = summary.get(t["status"], 0) + 1
    passing = sum(n for status, n in summary.items() if status in PASSING)
    return {"failed": failed, "passed": passed, "summary": summary, "known": bool(tests or summary),
            "passing": passing, "total": sum(summary.values())}


def phases(data: dict) -> list[dict]:
    """The phases in order, each with its start offset: given, or one after the other."""
    raw = data.get("phases")
    if raw is None:
        raw = (((data.get("validation") or {}).get("timings_seconds") or {}).get("phases")) or {}
    items = [{"name": k, "seconds": v} for k, v in raw.items()] if isinstance(raw, dict) else list(raw)
    result, clock = [], 0.0
    for item in items:
        seconds = float(item.get("seconds") or 0)
        start = float(item["start"]) if item.get("start") is not None else clock
        result.append({"name": item["name"], "start": start, "seconds": seconds})
        clock = max(clock, start + seconds)
    return result


def slowest_models(validation: dict | None, n: int = 8) -> list[tuple[str, float]]:
    models = (((validation or {}).get("timings_seconds") or {}).get("models")) or {}
    ranked = sorted(models.items(), key=lambda kv: -kv[1])[:n]
    return [(uid.split(".")[-1], seconds) for uid, seconds in ranked]


def _when(value) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    # the run record gives naive UTC, the JSON reports aware UTC: compare them as naive UTC
    return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value


def history_rows(history: list[dict] | None) -> list[dict]:
    """The run record, newest first, with each run's duration."""
    rows = []
    for h in history or []:
        started, finished = _when(h.get("started_at")), _when(h.get("finished_at"))
        seconds = (finished - started).total_seconds() if started and finished else None
        message = " ".join(str(h.get("message") or "").split())
        rows.append({**h, "seconds": seconds, "started": started, "finished": finished,
                     "message": message[:MESSAGE_CHARS] + ("…" if len(message) > MESSAGE_CHARS else "")})
    return sorted(rows, key=lambda r: (r["started"] is not None, r["started"] or datetime.min,
                                       r.get("run_id") or 0), reverse=True)


# --- charts: geometry for hand-written SVG ----------------------------------------------------------

BAR_CHART = {"width": 1000, "label": 230, "bar": 440, "row": 18, "top": 8}
SEGMENTS = (("unchanged", "loaded as it was"), ("changed", "loaded with a change"), ("rejected", "rejected"),
            ("moved", "moved to another table"), ("not_carried", "not carried"))
MIN_SEGMENT = 2.0  # px: a non-zero count is never drawn invisible


def table_bars(rows: list[dict]) -> dict | None:
    """A bar per table with rows: length on a log scale (tables run from 5 rows to tens of
    millions), split into what became of them. Needs the outcome."""
    drawn = [r for r in rows if r["loaded"] is not None and (r["v1_rows"] or r["added"])]
    if not drawn:
        return None
    drawn.sort(key=lambda r: (-(r["v1_rows"] + r["added"]), r["table"]))
    largest = max(r["v1_rows"] + r["added"] for r in drawn)
    c = BAR_CHART
    bars = []
    for i, r in enumerate(drawn):
        total = r["v1_rows"] + r["added"]
        length = c["bar"] * math.log10(1 + total) / math.log10(1 + largest) if largest else 0
        counts = {"unchanged": max(r["loaded"] - r["changed"], 0), "changed": r["changed"],
                  "rejected": r["rejected"], "moved": r["moved"], "not_carried": r["not_carried"]}
        widths = {k: length * v / total if total else 0 for k, v in counts.items()}
        for k, v in counts.items():  # widen tiny segments, taking the room from the largest
            if v and widths[k] < MIN_SEGMENT:
                biggest = max(widths, key=widths.get)
                grow = min(MIN_SEGMENT - widths[k], max(widths[biggest] - MIN_SEGMENT, 0))
                widths[k] += grow
                widths[biggest] -= grow
        x, segments = float(c["label"]), []
        for k, _ in SEGMENTS:
            if counts[k]:
                segments.append({"kind": k, "x": round(x, 1), "width": round(widths[k], 1), "rows": counts[k]})
                x += widths[k]
        if r["carried"]:
            label = f"{number(r['loaded'])} of {number(total)} loaded"
            label += "".join(f" · {number(counts[k])} {k}" for k in ("rejected", "moved", "changed") if counts[k])
        else:
            label = f"{number(r['not_carried'])} not carried ({r['disposition'].replace('_', ' ')})"
        bars.append({"table": r["table"], "y": c["top"] + i * c["row"], "segments": segments,
                     "end": round(x, 1), "label": label})
    return {**c, "bars": bars, "height": c["top"] + len(bars) * c["row"] + 34,
            "legend_y": c["top"] + len(bars) * c["row"] + 18, "legend": SEGMENTS, "largest": largest}


TIMELINE = {"width": 1000, "label": 330, "plot": 560, "row": 22, "top": 26}


def _tick_step(total: float) -> float:
    """A round step that gives four to ten ticks over `total` seconds."""
    for step in (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200):
        if total / step <= 10:
            return step
    return 3600 * math.ceil(total / 36000)


def phase_timeline(items: list[dict]) -> dict | None:
    if not items:
        return None
    c = TIMELINE
    end = max(p["start"] + p["seconds"] for p in items) or 1.0
    scale = c["plot"] / end
    step = _tick_step(end)
    ticks = [{"x": round(c["label"] + t * step * scale, 1),
              "label": f"{t * step:g} s" if t * step < 120 else seconds_text(t * step)}
             for t in range(int(end / step) + 1)]
    bars = [{"name": p["name"], "y": c["top"] + i * c["row"], "x": round(c["label"] + p["start"] * scale, 1),
             "width": round(max(p["seconds"] * scale, 1.5), 1), "seconds": p["seconds"],
             "share": p["seconds"] / end} for i, p in enumerate(items)]
    return {**c, "bars": bars, "ticks": ticks, "end": end, "height": c["top"] + len(items) * c["row"] + 10,
            "axis_end": c["label"] + c["plot"]}


# --- formatting --------------------------------------------------------------------------------------

def number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def seconds_text(value) -> str:
    if value is None:
        return "—"
    value = float(value)
    if value == 0:
        return "0 s"
    if value < 1:
        return f"{value:.2f} s"
    if value < 10:
        return f"{value:.1f} s"
    if value < 120:
        return f"{value:.0f} s"
    minutes, seconds = divmod(round(value), 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def when_text(value) -> str:
    moment = _when(value)
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ("—" if not value else str(value))


def _kind(data: dict) -> str:
    if data.get("kind"):
        return str(data["kind"])
    if data.get("validation"):
        return "run"
    return "dry run" if data.get("plan") else "run"


def _status(data: dict, kind: str) -> str:
    if data.get("status"):
        return str(data["status"])
    if data.get("validation"):
        return str(data["validation"].get("status") or "unknown")
    if kind == "dry run" and data.get("plan"):
        return "planned"
    return "unknown"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("driver", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=number, seconds=seconds_text, when=when_text)
    return env


def render(data: dict) -> str:
    """The page for `data` (see the module's docstring); never fails for want of a part."""
    plan, validation = data.get("plan"), data.get("validation")
    kind = _kind(data)
    rows = table_rows(plan, validation)
    items = phases(data)
    elapsed = data.get("elapsed_seconds")
    if elapsed is None and items:
        elapsed = max(p["start"] + p["seconds"] for p in items)
    context = {
        "kind": kind,
        "status": _status(data, kind),
        "message": " ".join(str(data.get("message") or "").split())[:MESSAGE_CHARS],
        "run_id": data.get("run_id") or ((validation or {}).get("run") or {}).get("run_id"),
        "generated_at": data.get("generated_at") or (validation or {}).get("finished_at")
        or (plan or {}).get("generated_at"),
        "source": (validation or plan or {}).get("v1") or data.get("v1"),
        "destination": (validation or plan or {}).get("v2") or data.get("v2"),
        "sample_patients": (validation or plan or {}).get("sample_patients"),
        "plan": plan, "validation": validation,
        "plan_generated_at": (plan or {}).get("generated_at"),
        "rows": rows, "totals": totals(rows),
        "bars": table_bars(rows),
        "exceptions": exception_groups(plan, validation, data.get("exceptions") or []),
        # a failed run writes no exception counts when the exceptions log was not built
        "exceptions_known": bool((validation or {}).get("tables")) or (not validation and bool(plan)),
        "root_causes": root_cause_groups(data.get("root_causes")),
        "root_causes_known": data.get("root_causes") is not None,
        "tests": dbt_tests(validation),
        "phases": items, "timeline": phase_timeline(items), "elapsed": elapsed,
        "slowest_models": slowest_models(validation),
        "rows_loaded": (validation or {}).get("rows_loaded"),
        "rows_per_second": (validation or {}).get("rows_per_second"),
        "peak_memory_mb": data.get("peak_memory_mb", (validation or {}).get("driver_peak_rss_mb")),
        "custom_validation": (validation or {}).get("custom_validation") or [],
        "value_changes": [v for v in (plan or {}).get("value_changes") or [] if v.get("values_changed")],
        "columns_without_v2_home": (plan or {}).get("columns_without_v2_home") or [],
        "history": history_rows(data.get("history")),
        "history_known": data.get("history") is not None,
    }
    return _environment().get_template("report.html.j2").render(**context)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m driver.report_html",
                                     description="Render report.html from a saved run.")
    parser.add_argument("source", type=Path,
                        help="a JSON file holding render()'s data, or a run's --output-dir")
    parser.add_argument("-o", "--output", type=Path, default=Path("report.html"),
                        help="where to write the page (default: %(default)s)")
    args = parser.parse_args(argv)
    data = (data_from_output_dir(args.source) if args.source.is_dir()
            else json.loads(args.source.read_text("utf-8")))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(data), encoding="utf-8")
    print(f"{args.output}: {args.output.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
