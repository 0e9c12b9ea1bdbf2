"""The project's PostgreSQL DDL of v2 (driver/schemas/v2_postgres.sql) is v2.sql as Laravel's
PostgreSQL grammar creates it: the same tables, columns (in order), nullability, keys and the
72 foreign keys, with PostgreSQL's types for them."""
import re

import pytest

from driver.db import schema_ddl
from driver.pg import create_v2_schema, drop_database
from tests.conftest import RUN_ID


def mysql_facts():
    """{table: [(column, mysql type, nullable)]}, unique keys and foreign keys of v2.sql."""
    tables, uniques, fks = {}, set(), set()
    ddl = schema_ddl("v2")
    for m in re.finditer(r"CREATE TABLE `(\w+)` \((.*?)\n\) ENGINE", ddl, re.S):
        cols = []
        for line in m.group(2).splitlines():
            c = re.match(r"\s+`(\w+)` (\S+( unsigned)?)(.*)", line)
            if c:
                cols.append((c.group(1), c.group(2), "NOT NULL" not in c.group(4)))
            u = re.match(r"\s+UNIQUE KEY `\w+` \((.*)\)", line)
            if u:
                uniques.add((m.group(1), tuple(re.findall(r"`(\w+)`", u.group(1)))))
        tables[m.group(1)] = cols
    for m in re.finditer(r"ALTER TABLE `(\w+)`\n(.*?);", ddl, re.S):
        for f in re.finditer(r"FOREIGN KEY \(`(\w+)`\) REFERENCES `(\w+)` \(`(\w+)`\)", m.group(2)):
            fks.add((m.group(1), *f.groups()))
    return tables, uniques, fks


@pytest.fixture(scope="module")
def pg_v2(pg_server):
    name = f"t{RUN_ID}_pgschema"
    create_v2_schema(pg_server, name)
    conn = pg_server.connect(name)
    yield conn
    conn.close()
    drop_database(pg_server, name)


def rows(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_the_same_tables_columns_and_nullability(pg_v2):
    tables, _, _ = mysql_facts()
    found = {}
    for table, column, data_type, nullable in rows(pg_v2, """
            select table_name, column_name, data_type, is_nullable = 'YES' from information_schema.columns
            where table_schema = 'public' order by table_name, ordinal_position"""):
        found.setdefault(table, []).append((column, data_type, nullable))
    assert sorted(found) == sorted(tables) and len(found) == 63
    for table, columns in tables.items():
        assert [(c, n) for c, _, n in found[table]] == [(c, n) for c, _, n in columns], table
        for (name, mysql_type, _), (_, pg_type, _) in zip(columns, found[table]):
            expected = {"tinyint(1)": "boolean", "timestamp": "timestamp without time zone",
                        "datetime": "timestamp without time zone", "json": "json"}.get(mysql_type)
            if mysql_type == "char(36)" and name in ("patient_id", "relation_patient_id"):
                expected = "uuid"
            elif mysql_type.startswith("enum("):
                expected = "character varying"
            elif mysql_type.startswith("bigint"):
                expected = "bigint"
            if expected:
                assert pg_type == expected, f"{table}.{name}: {mysql_type} -> {pg_type}"


def test_enums_are_check_constraints_and_ids_have_sequences(pg_v2):
    tables, _, _ = mysql_facts()
    enums = {(t, c) for t, cols in tables.items() for c, ty, _ in cols if ty.startswith("enum(")}
    checks = rows(pg_v2, """
        select rel.relname, pg_get_constraintdef(con.oid) from pg_constraint con
        join pg_class rel on rel.oid = con.conrelid join pg_namespace n on n.oid = rel.relnamespace
        where n.nspname = 'public' and con.contype = 'c'""")
    checked = {(t, re.search(r'\((\w+)\)::text = ANY', d).group(1)) for t, d in checks}
    assert checked == enums
    auto = {t for t, cols in tables.items() for c, ty, _ in cols if c == "id" and ty.startswith(("bigint", "int"))}
    owned = {t for (t,) in rows(pg_v2, """
        select c.relname from pg_class s join pg_depend d on d.objid = s.oid and d.deptype = 'a'
        join pg_class c on c.oid = d.refobjid where s.relkind = 'S'""")}
    auto_in_mysql = {m.group(1) for m in re.finditer(r"CREATE TABLE `(\w+)` \(\n  `id` \w+( unsigned)? NOT NULL AUTO_INCREMENT",
                                                    schema_ddl("v2"))}
    assert owned == auto_in_mysql and owned <= auto


def test_the_same_unique_and_foreign_keys(pg_v2):
    _, uniques, fks = mysql_facts()
    found_fk = set(rows(pg_v2, """
        select tc.table_name, kcu.column_name, ccu.table_name, ccu.column_name
        from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name
             and kcu.table_schema = tc.table_schema
        join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
             and ccu.table_schema = tc.table_schema
        where tc.table_schema = 'public' and tc.constraint_type = 'FOREIGN KEY'"""))
    assert found_fk == fks and len(fks) == 72
    found_unique = {(t, tuple(cols)) for t, cols in rows(pg_v2, """
        select rel.relname, array_agg(a.attname order by k.ord) from pg_constraint con
        join pg_class rel on rel.oid = con.conrelid join pg_namespace n on n.oid = rel.relnamespace
        cross join lateral unnest(con.conkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = rel.oid and a.attnum = k.attnum
        where n.nspname = 'public' and con.contype = 'u' group by con.oid, rel.relname""")}
    assert found_unique == uniques
