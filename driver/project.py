"""The dbt project as the driver sees it: where it lives, and the facts it keeps once for dbt
and Python alike (vars in dbt_project.yml)."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import yaml

from driver import schema_facts

PROJECT_DIR = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def _project_vars() -> dict:
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text("utf-8"))["vars"]


def table_dispositions(carried=()) -> dict[str, str]:
    """Every v2 table -> what a run does with it: "v2_owned" (var v2_tables_owned: never
    written), "transient" (var v2_tables_transient: left as v2 has it, unless `carried`, the
    mapping's carry_transient_tables, lists it) or "migrated" (every other table). The same
    vars drive macros/catalogue.sql."""
    project = _project_vars()
    owned, transient = set(project["v2_tables_owned"]), set(project["v2_tables_transient"])
    result = {}
    for table in sorted(schema_facts.columns("v2")):
        if table in owned:
            result[table] = "v2_owned"
        elif table in transient and table not in carried:
            result[table] = "transient"
        else:
            result[table] = "migrated"
    return result


def fingerprint(dbt_vars: dict, secret: str) -> str:
    """Everything that decides what the models write: the project's SQL, the vars (mapping,
    sample size, ...) and the UUID secret. A resumed run keeps finished models only when
    this is unchanged."""
    digest = hashlib.sha256()
    for folder in ("models", "macros"):
        for path in sorted((PROJECT_DIR / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(PROJECT_DIR)).encode())
                digest.update(path.read_bytes())
    digest.update((PROJECT_DIR / "dbt_project.yml").read_bytes())
    digest.update(json.dumps(dbt_vars, sort_keys=True, default=str).encode())
    digest.update(hashlib.sha256(secret.encode()).digest())
    return digest.hexdigest()
