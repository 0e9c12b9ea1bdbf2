"""The dbt project accounts for the whole v2 schema: a model for every table it loads, a
relationships test for each of the 72 v2 foreign keys, and each model built after the tables
it points at (so a failed test upstream stops it)."""
import json
import re

import pytest

from driver.db import schema_ddl
from driver.dbt_runner import DbtTarget, run_dbt
from driver.project import table_dispositions
from moh_dev.server import server_from_env

DISPOSITIONS = table_dispositions()
V2_OWNED = {t for t, d in DISPOSITIONS.items() if d == "v2_owned"}
TRANSIENT = {t for t, d in DISPOSITIONS.items() if d == "transient"}


def v2_foreign_keys() -> set[tuple[str, str, str, str]]:
    ddl = schema_ddl("v2")
    keys = set()
    for table, body in re.findall(r"ALTER TABLE `(\w+)`\n((?:  ADD CONSTRAINT.*\n?)+)", ddl):
        for column, parent, field in re.findall(r"FOREIGN KEY \(`(\w+)`\) REFERENCES `(\w+)` \(`(\w+)`\)", body):
            keys.add((table, column, parent, field))
    return keys


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    target = DbtTarget(server=server_from_env(), v2_database="new_moh", v1_database="old_moh",
                       work_dir=tmp_path_factory.mktemp("parse"))
    result = run_dbt(target, "parse")
    assert result.ok, result.output
    return json.loads((target.work_dir / "target" / "manifest.json").read_text())


def models(manifest, folder):
    nodes = list(manifest["nodes"].values()) + [n for group in manifest["disabled"].values() for n in group]
    return {n["name"]: n for n in nodes
            if n["resource_type"] == "model" and n["original_file_path"].startswith(f"models/{folder}/")}


def test_every_v2_table_has_a_model_or_a_stated_reason_not_to(manifest):
    tables = set(re.findall(r"CREATE TABLE `(\w+)`", schema_ddl("v2")))
    assert len(tables) == 63
    v2_models = models(manifest, "v2")
    assert set(v2_models) == tables - V2_OWNED
    disabled = {n["name"] for group in manifest["disabled"].values() for n in group}
    assert disabled & set(v2_models) == TRANSIENT  # built only when carry_transient_tables asks


def test_each_v2_foreign_key_has_a_relationships_test(manifest):
    declared = set()
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if node["resource_type"] == "test" and meta.get("name") == "foreign_key":
            parent = re.search(r"ref\('(\w+)'\)", meta["kwargs"]["to"]).group(1)
            model = manifest["nodes"][node["attached_node"]]["name"]
            declared.add((model, meta["kwargs"]["column_name"], parent, meta["kwargs"]["field"]))
    assert declared == v2_foreign_keys()
    assert len(declared) == 72


def test_each_v2_model_is_built_after_the_tables_it_points_at(manifest):
    v2_models = models(manifest, "v2")
    for table, column, parent, _ in v2_foreign_keys():
        if table == parent:
            continue  # patients.relation_patient_id: checked against the crosswalk instead
        assert f"model.moh_migrate.{parent}" in v2_models[table]["depends_on"]["nodes"], (table, column)


def test_every_model_is_documented_and_keyed_models_test_their_key(manifest):
    tested = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("attached_node"):
            tested.setdefault(node["attached_node"], set()).add(node["test_metadata"]["name"]
                                                                if node.get("test_metadata") else node["name"])
    ddl = schema_ddl("v2")
    for folder in ("staging/v1", "intermediate", "v2", "audit"):
        for name, node in models(manifest, folder).items():
            assert node["description"].strip(), name
    for name, node in models(manifest, "v2").items():
        if name in TRANSIENT:
            continue
        create = re.search(rf"CREATE TABLE `{name}` \((.*?)\n\) ENGINE", ddl, re.S).group(1)
        key = re.search(r"PRIMARY KEY \(([^)]*)\)", create)
        if key is None:
            continue
        expected = {"primary_key"} if "," not in key.group(1) else {"unique_combination"}
        assert expected <= tested.get(node["unique_id"], set()), name
