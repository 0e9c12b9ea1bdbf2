"""What a database's schema looks like (information_schema), and schema_diff.md: every
difference between v1 and v2, each with what the migration does about it."""
from __future__ import annotations

from dataclasses import dataclass, field

from driver.pg import is_postgres


@dataclass
class Table:
    columns: dict[str, tuple[str, bool, str | None, bool]] = field(default_factory=dict)  # type, nullable, default, primary
    indexes: dict[str, tuple[bool, str, tuple[str, ...]]] = field(default_factory=dict)  # unique, kind, columns
    foreign_keys: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # cols -> ref


# A PostgreSQL column type in MySQL's words, as macros/postgres.sql names them for the project:
# the comparisons with v1, the value scan and the dry run (compiled for the v1 server) read v2's
# columns as on MySQL.
PG_COLUMNS = r"""
select c.relname::text, a.attname::text,
    case
        when e.vals is not null then 'enum(' || e.vals || ')'
        when t.typname = 'bool' then 'tinyint(1)'
        when t.typname = 'int8' then 'bigint'
        when t.typname = 'int4' then 'int'
        when t.typname = 'int2' then 'smallint'
        when t.typname = 'uuid' then 'char(36)'
        when t.typname = 'varchar' then 'varchar(' || coalesce(nullif(a.atttypmod, -1) - 4, 65535) || ')'
        when t.typname = 'bpchar' then 'char(' || (a.atttypmod - 4) || ')'
        when t.typname = 'text' then 'longtext'
        when t.typname in ('timestamp', 'timestamptz') then 'datetime'
        when t.typname = 'numeric' and a.atttypmod > 0
            then 'decimal(' || ((a.atttypmod - 4) >> 16) || ',' || ((a.atttypmod - 4) & 65535) || ')'
        when t.typname = 'float8' then 'double'
        when t.typname in ('json', 'jsonb') then 'longtext'
        else format_type(a.atttypid, a.atttypmod)
    end,
    case when a.attnotnull then 'NO' else 'YES' end,
    pg_get_expr(d.adbin, d.adrelid),
    case when a.attnum = any(coalesce(pk.conkey, '{}')) then 'PRI' else '' end
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_type t on t.oid = a.atttypid
left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
left join pg_constraint pk on pk.conrelid = c.oid and pk.contype = 'p'
left join lateral (
    select string_agg(quote_literal(m.v[1]), ',' order by m.ord) as vals
    from pg_constraint ck
    cross join lateral regexp_matches(pg_get_constraintdef(ck.oid),
        '''((?:[^'']|'''')*)''::(?:character varying|text)', 'g') with ordinality as m(v, ord)
    where ck.conrelid = c.oid and ck.contype = 'c' and ck.conkey = array[a.attnum]
) e on true
where n.nspname = %s and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
order by c.relname, a.attnum
"""
PG_INDEXES = r"""
select c.relname::text, case when x.indisprimary then 'PRIMARY' else i.relname::text end, not x.indisunique,
    case when am.amname = 'gin' then 'FULLTEXT' else upper(am.amname) end,
    coalesce(a.attname::text, pg_get_indexdef(x.indexrelid, k.ord::int, true))
from pg_index x
join pg_class c on c.oid = x.indrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_class i on i.oid = x.indexrelid
join pg_am am on am.oid = i.relam
cross join lateral unnest(x.indkey) with ordinality as k(attnum, ord)
left join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum and k.attnum > 0
where n.nspname = %s
order by 1, 2, k.ord
"""
PG_FOREIGN_KEYS = r"""
select c.relname::text, k.conname::text, a.attname::text, p.relname::text, pa.attname::text
from pg_constraint k
join pg_class c on c.oid = k.conrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_class p on p.oid = k.confrelid
cross join lateral unnest(k.conkey, k.confkey) with ordinality as u(col, refcol, ord)
join pg_attribute a on a.attrelid = c.oid and a.attnum = u.col
join pg_attribute pa on pa.attrelid = p.oid and pa.attnum = u.refcol
where k.contype = 'f' and n.nspname = %s
order by 1, 2, u.ord
"""


def snapshot(conn, schema: str) -> dict[str, Table]:
    if is_postgres(conn):
        return pg_snapshot(conn, schema)
    cur = conn.cursor()
    tables: dict[str, Table] = {}
    cur.execute("select table_name from information_schema.tables where table_schema = %s "
                "and table_type = 'BASE TABLE'", (schema,))
    for (name,) in cur.fetchall():
        tables[name] = Table()
    cur.execute("select table_name, column_name, column_type, is_nullable, column_default, column_key "
                "from information_schema.columns where table_schema = %s order by table_name, ordinal_position",
                (schema,))
    for table, column, kind, nullable, default, key in cur.fetchall():
        if table in tables:
            tables[table].columns[column] = (kind, nullable == "YES", default, key == "PRI")
    cur.execute("select table_name, index_name, non_unique, index_type, column_name from information_schema.statistics "
                "where table_schema = %s order by table_name, index_name, seq_in_index", (schema,))
    for table, index, non_unique, kind, column in cur.fetchall():
        if table in tables:
            unique, _, columns = tables[table].indexes.get(index, (not non_unique, kind, ()))
            tables[table].indexes[index] = (unique, kind, columns + (column,))
    cur.execute("select table_name, constraint_name, column_name, referenced_table_name, referenced_column_name "
                "from information_schema.key_column_usage where table_schema = %s and referenced_table_name is not null "
                "order by table_name, constraint_name, ordinal_position", (schema,))
    grouped: dict[tuple[str, str], list] = {}
    for table, constraint, column, ref_table, ref_column in cur.fetchall():
        grouped.setdefault((table, constraint), []).append((column, ref_table, ref_column))
    for (table, _), parts in grouped.items():
        if table in tables:
            tables[table].foreign_keys[tuple(p[0] for p in parts)] = (parts[0][1], tuple(p[2] for p in parts))
    return tables


def pg_snapshot(conn, schema: str) -> dict[str, Table]:
    """The same snapshot of a PostgreSQL schema, its column types in MySQL's words."""
    cur = conn.cursor()
    cur.execute("select tablename::text from pg_tables where schemaname = %s", (schema,))
    tables: dict[str, Table] = {name: Table() for (name,) in cur.fetchall()}
    cur.execute(PG_COLUMNS, (schema,))
    for table, column, kind, nullable, default, key in cur.fetchall():
        if table in tables:
            tables[table].columns[column] = (kind, nullable == "YES", default, key == "PRI")
    cur.execute(PG_INDEXES, (schema,))
    for table, index, non_unique, kind, column in cur.fetchall():
        if table in tables:
            unique, _, columns = tables[table].indexes.get(index, (not non_unique, kind, ()))
            tables[table].indexes[index] = (unique, kind, columns + (column,))
    cur.execute(PG_FOREIGN_KEYS, (schema,))
    grouped: dict[tuple[str, str], list] = {}
    for table, constraint, column, ref_table, ref_column in cur.fetchall():
        grouped.setdefault((table, constraint), []).append((column, ref_table, ref_column))
    for (table, _), parts in grouped.items():
        if table in tables:
            tables[table].foreign_keys[tuple(p[0] for p in parts)] = (parts[0][1], tuple(p[2] for p in parts))
    return tables


def columns_for_dbt(tables: dict[str, Table]) -> dict[str, list]:
    """The var schema_snapshot form of one schema (see macros/introspection.sql), names in lower
    case as the macro's own query gives them."""
    return {name: [[c.lower(), kind, nullable, primary] for c, (kind, nullable, _, primary) in t.columns.items()]
            for name, t in tables.items()}


def unique_keys_for_dbt(tables: dict[str, Table]) -> dict[str, list[list[str]]]:
    """The var schema_unique_keys form of one schema: unique keys other than the primary key."""
    return {name: [list(columns) for index, (unique, _, columns) in sorted(t.indexes.items())
                   if unique and index != "PRIMARY"]
            for name, t in tables.items()}


def _what_happens(table: str, column: str, spec: dict, remaps: dict) -> str:
    if column in spec.get("patient_refs", []):
        return "rewired: the v1 patients.id becomes that patient's UUID (crosswalk int_patients_minted)"
    if f"{table}.{column}" in remaps:
        pairs = ", ".join(f"{k} -> {'NULL' if v is None else v}" for k, v in remaps[f"{table}.{column}"].items())
        return f"values remapped by enum_remaps ({pairs}); changed rows are listed in the exceptions"
    if column in spec.get("dropped", {}):
        return "not carried: " + spec["dropped"][column]
    if "base" in spec:
        return f"shaped by models/intermediate/{spec['base']}.sql"
    return "copied as it is"


def diff_markdown(v1: dict[str, Table], v2: dict[str, Table], specs: dict[str, dict], remaps: dict,
                  dispositions: dict[str, str], v1_name: str, v2_name: str) -> str:
    """schema_diff.md. `specs`: each v2 model's spec (manifest config); `dispositions`:
    table -> migrated / transient / v2_owned."""
    lines = [f"# Schema differences: {v1_name} (v1) -> {v2_name} (v2)", "",
             f"{len(v1)} tables in v1, {len(v2)} in v2. Each difference says what the migration does about it.", ""]
    only_v1, only_v2 = sorted(set(v1) - set(v2)), sorted(set(v2) - set(v1))
    lines += ["## Tables", ""]
    if not only_v1 and not only_v2:
        lines.append("The same tables on both sides.")
    lines += [f"- removed `{t}`: its rows are not carried (no v2 table)" for t in only_v1]
    lines += [f"- added `{t}`: left as v2 has it (no v1 source)" for t in only_v2]
    not_loaded = sorted(t for t, d in dispositions.items() if d != "migrated" and t in v2)
    for t in not_loaded:
        why = "the v2 application's own history, never written" if dispositions[t] == "v2_owned" else \
            "transient runtime state, not carried (mapping: carry_transient_tables)"
        lines.append(f"- `{t}`: {why}")
    lines.append("")

    lines += ["## Columns", ""]
    for table in sorted(set(v1) & set(v2)):
        old, new, spec = v1[table].columns, v2[table].columns, specs.get(table, {})
        entries = []
        for c in old:
            if c not in new:
                entries.append(f"- removed `{c}` {old[c][0]}: {_what_happens(table, c, spec, remaps)}")
        for c in new:
            if c not in old:
                entries.append(f"- added `{c}` {new[c][0]}{'' if new[c][1] else ' NOT NULL'}: "
                               f"{_what_happens(table, c, spec, remaps)}")
            elif old[c][:2] != new[c][:2]:
                before = f"{old[c][0]}{'' if old[c][1] else ' NOT NULL'}"
                after = f"{new[c][0]}{'' if new[c][1] else ' NOT NULL'}"
                entries.append(f"- changed `{c}`: {before} -> {after}: {_what_happens(table, c, spec, remaps)}")
        if entries:
            lines += [f"### {table}", *entries, ""]

    lines += ["## Foreign keys", ""]
    for table in sorted(set(v1) | set(v2)):
        old = v1.get(table, Table()).foreign_keys
        new = v2.get(table, Table()).foreign_keys
        for cols, ref in sorted(old.items()):
            if new.get(cols) != ref:
                lines.append(f"- removed {table}.{','.join(cols)} -> {ref[0]}.{','.join(ref[1])}"
                             + ("" if cols in new else ": the column is rewired or renamed (see Columns)"))
        for cols, ref in sorted(new.items()):
            if old.get(cols) != ref:
                lines.append(f"- added {table}.{','.join(cols)} -> {ref[0]}.{','.join(ref[1])}: "
                             "tested after the load (relationships test), rows that would break it are rejected")
    lines.append("")

    lines += ["## Indexes", ""]
    for table in sorted(set(v1) & set(v2)):
        old, new = v1[table].indexes, v2[table].indexes
        for name in sorted(set(old) | set(new)):
            if old.get(name) == new.get(name):
                continue
            if name not in new:
                lines.append(f"- removed {table}.{name} ({', '.join(old[name][2])}): v2 has no such index")
            elif name not in old:
                lines.append(f"- added {table}.{name} ({', '.join(new[name][2])}): the v2 DDL keeps it up as rows load")
            else:
                lines.append(f"- changed {table}.{name}: ({', '.join(old[name][2])}) -> ({', '.join(new[name][2])})")
    lines.append("")
    return "\n".join(lines)
