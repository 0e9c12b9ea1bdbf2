"""Facts about the v1 and v2 schemas read from the project's own DDL (driver/schemas), for
checks that must happen before anything connects (the mapping's tables, columns and enums)."""
from __future__ import annotations

import re
from functools import lru_cache

from driver.db import schema_ddl


@lru_cache(maxsize=2)
def columns(version: str) -> dict[str, dict[str, str]]:
    """{table: {column: column type}} of the v1 or v2 schema."""
    tables = {}
    for table, body in re.findall(r"CREATE TABLE `(\w+)` \((.*?)\n\) ENGINE", schema_ddl(version), re.S):
        tables[table] = {name: kind for name, kind in re.findall(r"^\s+`(\w+)` (\w+(?:\([^)]*\))?)", body, re.M)}
    return tables


def enum_values(column_type: str) -> list[str]:
    if not column_type.startswith("enum("):
        return []
    return [v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", column_type)]


@lru_cache(maxsize=2)
def _definitions(version: str) -> dict[tuple[str, str], str]:
    found = {}
    for table, body in re.findall(r"CREATE TABLE `(\w+)` \((.*?)\n\) ENGINE", schema_ddl(version), re.S):
        for name, definition in re.findall(r"^\s+`(\w+)` (.*?),?$", body, re.M):
            found[(table, name)] = definition
    return found


def column_definition(version: str, table: str, column: str) -> str:
    """The column's definition as the project's DDL writes it ("varchar(255) NOT NULL")."""
    return _definitions(version).get((table, column), "")
