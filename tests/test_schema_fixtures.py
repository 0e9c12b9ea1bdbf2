"""The project's own v1/v2 DDL (driver/schemas) against the customer's reference dumps: same
tables, columns, types, defaults, indexes and foreign keys. Skipped when ../shared/reference
is not there."""
from pathlib import Path

import pytest

from driver.db import create_database, drop_database, split_statements
from tests.conftest import RUN_ID

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"

SHAPE = {
    "tables": "select table_name, engine, table_collation from information_schema.tables where table_schema = %s",
    "columns": "select table_name, column_name, ordinal_position, column_type, is_nullable, column_default, "
               "extra, collation_name from information_schema.columns where table_schema = %s",
    "indexes": "select table_name, index_name, non_unique, seq_in_index, column_name, index_type "
               "from information_schema.statistics where table_schema = %s",
    "foreign_keys": "select k.table_name, k.constraint_name, k.column_name, k.referenced_table_name, "
                    "k.referenced_column_name, r.update_rule, r.delete_rule "
                    "from information_schema.key_column_usage k join information_schema.referential_constraints r "
                    "on r.constraint_schema = k.constraint_schema and r.constraint_name = k.constraint_name "
                    "and r.table_name = k.table_name where k.table_schema = %s",
}


def shape(server, database):
    conn = server.connect()
    try:
        cur = conn.cursor()
        result = {}
        for part, sql in SHAPE.items():
            cur.execute(sql, (database,))
            result[part] = sorted(tuple(str(v) for v in row) for row in cur.fetchall())
        return result
    finally:
        conn.close()


def load_reference(server, database, path):
    drop_database(server, database)
    conn = server.connect()
    try:
        cur = conn.cursor()
        cur.execute(f"create database `{database}`")
        cur.execute(f"use `{database}`")
        for statement in split_statements(path.read_text("utf-8")):
            cur.execute(statement)
    finally:
        conn.close()


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/reference is not available")
@pytest.mark.parametrize("version, dump, tables, foreign_keys", [
    ("v1", "old_moh.sql", 63, 73),
    ("v2", "new_moh.sql", 63, 72),
])
def test_project_ddl_matches_the_reference_dump(server, version, dump, tables, foreign_keys):
    ours, theirs = f"t{RUN_ID}_fx_{version}", f"t{RUN_ID}_ref_{version}"
    try:
        create_database(server, ours, version, replace=True)
        load_reference(server, theirs, REFERENCE / dump)
        mine, reference = shape(server, ours), shape(server, theirs)
        assert len(mine["tables"]) == tables
        assert len(mine["foreign_keys"]) == foreign_keys
        for part in SHAPE:
            assert mine[part] == reference[part], part
    finally:
        drop_database(server, ours)
        drop_database(server, theirs)
