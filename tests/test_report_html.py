"""report.html: the numbers it states are the run's numbers, table by table and in total; it
holds no personal data and no network reference; it survives missing parts (dry run, rollback);
and a real browser draws it.

The page is read back with html.parser: every figure the template prints carries a data-col,
data-term or data-figure attribute, so the test reads what a person sees, not the renderer's
intermediate values."""
from __future__ import annotations

import copy
import csv
import json
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from driver import reports
from driver.report_html import data_from_output_dir, exceptions_sample, render

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "report-example.json"
VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "source"}
OUTCOME = {"loaded": "v2_rows", "rejected": "rejected_rows", "changed": "changed_rows", "moved": "moved_rows",
           "added": "added_rows", "not_carried": "not_carried_rows"}
PLAN = {"plan_load": "rows_to_load", "plan_rejected": "rows_rejected", "plan_changed": "rows_loaded_with_changes"}


class Page(HTMLParser):
    """Every element with data-col, data-term or data-figure, with its text, the id of the
    table it is in and the row (data-table, data-run or data-phase) it belongs to."""

    def __init__(self, html: str):
        super().__init__()
        self.stack: list[tuple[str, dict | None]] = []
        self.table_id: list[str | None] = []
        self.row: list[str | None] = []
        self.found: list[dict] = []
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in VOID:
            return
        if tag == "table":
            self.table_id.append(a.get("id"))
        row = a.get("data-table", a.get("data-run", a.get("data-phase")))
        if tag in ("tr", "g"):
            self.row.append(row)
        capture = None
        for kind in ("data-col", "data-term", "data-figure"):
            if kind in a:
                capture = {"kind": kind[5:], "name": a[kind], "text": "",
                           "table": self.table_id[-1] if self.table_id else None,
                           "row": self.row[-1] if self.row else None}
                self.found.append(capture)
        self.stack.append((tag, capture))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == "table":
                self.table_id.pop()
            if open_tag in ("tr", "g"):
                self.row.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, capture in self.stack:
            if capture is not None:
                capture["text"] += data

    def items(self, kind: str, table: str | None = None) -> list[tuple[str | None, str, object]]:
        """[(row, name, number)] for one kind of figure, optionally in one table, in page order."""
        return [(f["row"], f["name"], number(f["text"])) for f in self.found
                if f["kind"] == kind and (table is None or f["table"] == table)]

    def values(self, kind: str, table: str | None = None) -> dict:
        """{(row, name): number}, where each row states each figure once."""
        return {(row, name): value for row, name, value in self.items(kind, table)}


def number(text: str):
    text = " ".join(text.split()).replace(" MB", "")
    if text in ("—", ""):
        return None
    if re.fullmatch(r"-?[\d,]+", text):
        return int(text.replace(",", ""))
    if re.fullmatch(r"-?[\d,]+\.\d+", text):
        return float(text.replace(",", ""))
    return text


@pytest.fixture(scope="module")
def example() -> dict:
    return json.loads(EXAMPLE.read_text("utf-8"))


@pytest.fixture(scope="module")
def page(example) -> tuple[str, Page]:
    html = render(example)
    return html, Page(html)


# --- the numbers -------------------------------------------------------------------------------------

def test_every_table_states_the_plan_and_the_outcome_it_was_given(example, page):
    _, parsed = page
    cells = parsed.values("col", "table-rows")
    outcome = {t["table_name"]: t for t in example["validation"]["tables"]}
    plan = example["plan"]["tables"]
    assert set(outcome) == set(plan) and len(outcome) == 63
    for table, o in outcome.items():
        carried = o["disposition"] == "migrated"
        assert cells[(table, "v1_rows")] == o["v1_rows"], table
        for col, key in OUTCOME.items():
            expected = o[key] if carried or col != "loaded" else 0  # a table not carried loads nothing
            assert cells[(table, col)] == expected, (table, col)
        for col, key in PLAN.items():
            assert cells[(table, col)] == (plan[table][key] if carried else None), (table, col)
        if not carried:  # what v2 holds of its own is stated beside the disposition
            assert cells[(table, "v2_kept")] == o["v2_rows"], table


def test_totals_and_the_balance_line_add_up(example, page):
    _, parsed = page
    tables = example["validation"]["tables"]
    migrated = [t for t in tables if t["disposition"] == "migrated"]
    cells = parsed.values("col", "table-rows")
    sums = {col: sum(t[key] for t in (migrated if col == "loaded" else tables)) for col, key in OUTCOME.items()}
    sums["v1_rows"] = sum(t["v1_rows"] for t in tables)
    for col, value in sums.items():
        assert cells[("(total)", col)] == value, col
    for col, key in PLAN.items():
        assert cells[("(total)", col)] == sum(p.get(key, 0) for p in example["plan"]["tables"].values()
                                              if p["disposition"] == "migrated"), col
    terms = {name: v for (_, name), v in parsed.values("term").items()}
    assert terms == {k: sums[k] for k in ("v1_rows", "added", "loaded", "rejected", "moved", "not_carried")}
    assert terms["v1_rows"] + terms["added"] == (terms["loaded"] + terms["rejected"] + terms["moved"]
                                                 + terms["not_carried"])
    figures = {name: v for (_, name), v in parsed.values("figure").items()}
    assert figures["loaded"] == sums["loaded"] == example["validation"]["rows_loaded"]
    assert figures["rejected"] == sums["rejected"] and figures["changed"] == sums["changed"]
    assert figures["reconciled"] == "63 / 63" and figures["tests"] == "304 / 304"
    assert figures["rows_per_second"] == example["validation"]["rows_per_second"]
    assert figures["peak_memory_mb"] == example["validation"]["driver_peak_rss_mb"]


def test_exceptions_by_reason_and_root_cause_state_the_counts_given(example, page):
    _, parsed = page
    stated: dict[str, int] = {}
    for table, _, rows in parsed.items("col", "exception-reasons"):
        stated[table] = stated.get(table, 0) + rows
    given: dict[str, int] = {}
    for label, rows in example["validation"]["exceptions_by_reason"].items():
        table = label.split(": ")[0]
        given[table] = given.get(table, 0) + rows
    assert stated == given
    assert sum(stated.values()) == sum(t["rejected_rows"] + t["changed_rows"] for t in example["validation"]["tables"])
    roots = parsed.items("col", "root-cause-table")
    assert sum(v for _, name, v in roots if name == "roots") == len(example["root_causes"])
    assert sum(v for _, name, v in roots if name == "affected_rows") == sum(
        sum(r["affected"].values()) for r in example["root_causes"])


def test_history_phases_and_example_keys(example, page):
    html, parsed = page
    history = parsed.values("col", "history-table")
    for run in example["history"]:
        if run["run_id"] is not None:
            assert history[(str(run["run_id"]), "rows_loaded")] == run["rows_loaded"]
            assert history[(str(run["run_id"]), "rows_rejected")] == run["rows_rejected"]
    phases = parsed.values("col", "phase-table")
    for name, seconds in example["validation"]["timings_seconds"]["phases"].items():
        assert phases[(name, "seconds")] == pytest.approx(seconds, abs=0.001)
    # keys of the exceptions sample are ids, and a few of them are shown
    for row in example["exceptions"][:5]:
        assert row["key"] in html, row


def test_failed_tests_come_first(example):
    data = copy.deepcopy(example)
    results = data["validation"]["tests"]["results"]
    results[-1] = {**results[-1], "status": "fail", "failing_rows": 3}
    data["validation"]["tests"]["summary"] = {"pass": len(results) - 1, "fail": 1}
    html = render(data)
    assert html.index('id="failed-tests"') < html.index('id="passed-tests"')
    failed = Page(html).values("col", "failed-tests")
    assert list(failed.values()) == [3]
    assert {n: v for (_, n), v in Page(html).values("figure").items()}["tests"] == f"{len(results) - 1} / {len(results)}"


# --- missing parts ------------------------------------------------------------------------------------

def test_a_dry_run_has_a_plan_and_no_outcome(example):
    html = render({"kind": "dry run", "plan": example["plan"], "phases": {"connect": 0.1, "plan": 30.2}})
    cells = Page(html).values("col", "table-rows")
    assert cells[("appointments", "plan_load")] == example["plan"]["tables"]["appointments"]["rows_to_load"]
    assert cells[("appointments", "loaded")] is None and cells[("(total)", "loaded")] is None
    assert 'id="balance"' not in html and "nothing was written" in html
    # the plan's exception counts stand in for the outcome's
    stated = sum(v for _, _, v in Page(html).items("col", "exception-reasons"))
    assert stated == sum(sum(p.get("exceptions_by_reason", {}).values()) for p in example["plan"]["tables"].values())


def test_a_rollback_and_an_empty_run_render(example):
    html = render({"kind": "rollback", "status": "rolled_back", "history": example["history"]})
    assert "rolled back" in html and 'id="history-table"' in html and 'id="table-rows"' not in html
    assert "<html" in render({})
    failed = copy.deepcopy(example["validation"])
    failed.update(status="failed", tables=[], exceptions_by_reason={})
    html = render({"validation": failed, "message": "migration failed: model patients failed"})
    assert "stopped before the reconciliation was built" in html and "No exceptions" not in html


def test_an_output_directory_becomes_report_data(example, tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "migration_plan.json").write_text(json.dumps(example["plan"]))
    (tmp_path / "validation_report.json").write_text(json.dumps(example["validation"]))
    with (tmp_path / "reports" / "exceptions.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["table", "key", "reason"])
        for i in range(1000):  # one reason kind: three examples are kept, not a thousand
            writer.writerow(["visits", f"id={i}", f"changed: set NULL: doctor_id={i} not in doctors"])
        writer.writerow(["users", "id=7", "rejected: unclassifiable user"])
    sample = exceptions_sample(tmp_path / "reports" / "exceptions.csv")
    assert [r["key"] for r in sample] == ["id=0", "id=1", "id=2", "id=7"]
    data = data_from_output_dir(tmp_path, kind="run")
    assert data["plan"] == example["plan"] and data["exceptions"] == sample
    assert Page(render(data)).values("col", "table-rows")[("visits", "loaded")] is not None


# --- what the page must never hold -----------------------------------------------------------------

PHI = ["ali.hassan@example.sy", "+963944123456", "0944123456", "محمد", "Khatib", "01010101010"]


def test_no_personal_data_even_when_the_inputs_carry_some(example, page):
    html, _ = page
    assert not re.search(r"[\u0600-\u06FF]", html), "Arabic script on the page"
    assert "@" not in re.sub(r"@media print", "", html)
    assert "+963" not in html
    data = copy.deepcopy(example)
    data["exceptions"] += [
        {"table": "password_reset_tokens", "key": "email=ali.hassan@example.sy", "reason": "rejected: user gone"},
        {"table": "users", "key": "id=9", "reason": "changed: phone_number=+963944123456 rewritten"},
        {"table": "users", "key": "phone_number=0944123456", "reason": "changed: first_name 'محمد' trimmed"},
        {"table": "users", "key": "last_name=Khatib", "reason": "changed: name 'Khatib' title-cased"},
    ]
    data["root_causes"].append({"root_table": "patients", "root_key": "national_number=01010101010",
                                "root_reason": "national_number '01010101010' repeats", "affected": {"visits": 2}})
    data["validation"]["exceptions_by_reason"]["users: changed: first_name 'محمد' trimmed"] = 1
    html = render(data)
    for value in PHI:
        assert value not in html, value
    assert "key(s) withheld" in html


def test_no_network_reference_and_no_script(page):
    html, parsed = page
    lowered = html.lower()
    for pattern in ("http://", "https://", "//cdn", "<script", "@import", "<iframe", "<object", "<embed"):
        assert pattern not in lowered, pattern
    assert not re.search(r"url\((?!\s*['\"]?data:)", lowered), "url() to something other than data:"
    for tag, attrs in parsed.tags:
        assert tag != "link", attrs
        for name in ("src", "href", "xlink:href", "srcset", "action", "background"):
            assert name not in attrs or str(attrs[name]).startswith(("#", "data:")), (tag, attrs)


# --- a real browser ---------------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_screenshot(page: Path, tmp_path: Path) -> Path:
    """report.html as headless Chromium draws it (Debian's chromium), 1280x2400; skips the test
    where chromium is not there."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed and `make chromium` could not install it "
                    "(Debian package chromium, as root)")
    profile = tmp_path / "profile"
    profile.mkdir()
    shot = tmp_path / "report.png"
    done = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
                           "--window-size=1280,2400", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1280, 2400)
    return shot


def test_chromium_draws_it(page, tmp_path):
    html, _ = page
    (tmp_path / "report.html").write_text(html, encoding="utf-8")
    shot = chromium_screenshot(tmp_path / "report.html", tmp_path)
    # a blank page compresses to a few kilobytes; text, tables and charts do not
    assert shot.stat().st_size > 50_000, shot.stat().st_size


# --- against a real migration --------------------------------------------------------------------------

@pytest.mark.xdist_group("migrated")  # on the worker that builds that session environment
def test_after_a_real_build_the_page_states_v2s_counts(migrated):
    """The renderer fed from the work schema of a real `dbt build` states, for every migrated
    table, the rows v2 really holds."""
    env, result = migrated
    assert result.ok, result.output[-2000:]
    conn = env.server.connect()
    try:
        data = {"validation": {"status": "passed", "tables": reports.reconciliation(conn, env.work),
                               "exceptions_by_reason": reports.exceptions_by_reason(conn, env.work)}}
    finally:
        conn.close()
    cells = Page(render(data)).values("col", "table-rows")
    for t in data["validation"]["tables"]:
        if t["disposition"] == "migrated":
            assert cells[(t["table_name"], "loaded")] == env.scalar(
                f"select count(*) from `{env.v2}`.`{t['table_name']}`"), t["table_name"]
    exceptions = sum(v for _, _, v in Page(render(data)).items("col", "exception-reasons"))
    assert exceptions == env.scalar(f"select count(*) from `{env.work}`.migration_exceptions")
