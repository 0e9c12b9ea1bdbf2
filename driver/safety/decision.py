"""Start, resume or refuse; roll back or refuse: pure functions of what the run record says,
what v2 holds and what the user asked for. No server here: tests/unit/test_decision.py."""
from __future__ import annotations

from dataclasses import dataclass

UNFINISHED = ("running", "failed")  # a run in one of these did not end: the next one resumes it


@dataclass(frozen=True)
class Policy:
    """What the user asked for, and what this run depends on."""

    inputs: str  # the fingerprint of the project, the vars and the secret (project.fingerprint)
    backup: bool  # backup_before_migration
    replace_existing: bool  # --replace-existing
    kind: str = "full"  # or "incremental": only what changed since the last successful run


@dataclass(frozen=True)
class Decision:
    action: str  # "start", "resume" or "refuse"
    run_id: int | None = None  # resume: the run that goes on
    attempt: int = 1  # resume: which attempt this is
    keep_models: bool = False  # resume: the inputs are unchanged, so its finished models are kept
    take_backup: bool = False  # a backup is taken now (a resumed run keeps its first attempt's)
    replacing: tuple[tuple[str, int], ...] = ()  # start: (table, rows) this tool did not write
    refusal: str | None = None  # refuse: the one line that says why


def resumable(last: dict | None) -> bool:
    """Whether the last run did not end, so that the next one goes on with it."""
    return bool(last) and last["status"] in UNFINISHED


def decide(last: dict | None, foreign: list[tuple[str, int]] | None, policy: Policy,
           base: dict | None = None) -> Decision:
    """`last`: the last run's record (None: none); `foreign`: v2 tables holding rows this tool
    did not write, with their row counts (not looked at, None, when the last run is resumed);
    `base`: for an incremental run, the last run whose result v2 holds (succeeded, not rolled
    back), which it brings up to date.

    An incremental run needs such a base, and resumes only an incremental run: a full run that
    did not end is resumed by the full command (or rolled back) first.

    A run that did not end is resumed: same backup (taken now if it never completed, since v2
    has not been written then), finished models kept if the inputs are unchanged. Otherwise a
    new run starts, unless it would replace rows this tool did not write: that needs
    --replace-existing, and a backup to take them into."""
    if policy.kind == "incremental":
        if resumable(last) and last.get("kind", "full") != "incremental":
            return Decision("refuse", refusal=(
                f"pre-flight: run #{last['run_id']} (a full run) did not end: run the same command without "
                "--incremental to resume it, or --rollback, before an incremental run"))
        if not resumable(last) and base is None:
            return Decision("refuse", refusal=(
                "pre-flight: --incremental applies what changed in v1 since a successful run into this v2, "
                "and none is recorded (or it was rolled back): run a full migration first"))
    if resumable(last):
        backed_up = last["backup_completed_at"] is not None
        return Decision("resume", run_id=last["run_id"], attempt=last["attempts"] + 1,
                        keep_models=last["inputs_fingerprint"] == policy.inputs,
                        take_backup=policy.backup and not backed_up)
    foreign = tuple(foreign or ())
    if foreign and not policy.replace_existing:
        listed = ", ".join(f"{t} ({n} rows)" for t, n in foreign[:10])
        more = f" and {len(foreign) - 10} more tables" if len(foreign) > 10 else ""
        return Decision("refuse", replacing=foreign, refusal=(
            f"pre-flight: v2 tables hold rows this tool did not write, which the migration would replace: "
            f"{listed}{more}; run again with --replace-existing to replace them (they are backed up first)"))
    if foreign and not policy.backup:
        return Decision("refuse", replacing=foreign,
                        refusal="pre-flight: --replace-existing needs a backup: set backup_before_migration: true")
    return Decision("start", take_backup=policy.backup, replacing=foreign)


def rollback_refusal(last: dict | None, v2: str, record: str, backup_tables: int, run_tables: int) -> str | None:
    """Why --rollback cannot restore the last run on the v2 database `v2`, or None when it can.
    `record`: the run record's table, for the message; `backup_tables`: tables found in the
    last run's backup schema; `run_tables`: tables that run replaces."""
    if last is None:
        return f"nothing to roll back: no moh-migrate run is recorded for {v2} (in {record})"
    if last["status"] == "rolled_back":
        return (f"nothing to roll back: the last run (#{last['run_id']}) was already rolled back "
                f"at {last.get('rolled_back_at') or last['finished_at']} UTC")
    if last["backup_completed_at"] is None:
        return (f"cannot roll back: the last run (#{last['run_id']}) took no backup "
                "(backup_before_migration: false, or it stopped before its backup was complete)")
    if backup_tables < run_tables:
        return (f"cannot roll back: the backup of run #{last['run_id']} in {last['backup_schema']} "
                "is incomplete (tables were dropped)")
    return None
