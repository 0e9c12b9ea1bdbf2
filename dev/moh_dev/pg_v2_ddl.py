"""Write driver/schemas/v2_postgres.sql: v2 as Laravel's PostgreSQL grammar creates it, from the
facts of driver/schemas/v2.sql (column order, nullability, defaults, keys, foreign keys). Run once:
`python -m moh_dev.pg_v2_ddl driver/schemas/v2.sql > driver/schemas/v2_postgres.sql`; the output is
reviewed and committed (tests/test_pg_schema.py keeps the two files agreeing)."""
import re, sys

src = open(sys.argv[1]).read()
out = ["-- moh-migrate fixture: the v2 (new_moh) schema for PostgreSQL 15, 63 tables, as the v2 application",
       "-- (Laravel) creates it with its PostgreSQL grammar: bigserial ids (bigint with a sequence), boolean for",
       "-- tinyint(1), enums as varchar(255) with a CHECK constraint, patient UUID columns as uuid (other",
       "-- char(36) columns stay char(36): OAuth owners hold a staff id as text), timestamp(0) without time",
       "-- zone, FULLTEXT keys as GIN indexes on to_tsvector. Written for this project from the customer's",
       "-- schema facts; index names carry their table (PostgreSQL's index names are per schema).",
       "-- Load into an empty schema (search_path set to it); the tests and `make demo-postgres` do.", ""]
indexes, alters = [], []
def q(n): return '"' + n + '"'
for m in re.finditer(r"CREATE TABLE `(\w+)` \((.*?)\n\) ENGINE", src, re.S):
    table, body = m.group(1), m.group(2)
    cols, pk = [], None
    for line in body.strip().splitlines():
        line = line.strip().rstrip(",")
        cm = re.match(r"`(\w+)` (.*)$", line)
        if cm:
            name, rest = cm.groups()
            tm = re.match(r"(\w+)(\(([^)]*)\))?( unsigned)?(.*)$", rest)
            base, _, arg, unsigned, tail = tm.groups()
            auto = "AUTO_INCREMENT" in tail
            notnull = "NOT NULL" in tail
            dm = re.search(r"DEFAULT ('(?:[^']|'')*'|CURRENT_TIMESTAMP|NULL|\S+)", tail)
            default = dm.group(1) if dm and dm.group(1) != "NULL" else None
            if base == "bigint":
                t = "bigserial" if auto else "bigint"
            elif base == "int":
                t = "serial" if auto else "integer"
            elif base == "tinyint":
                t = "boolean" if arg == "1" else "smallint"
            elif base in ("varchar",):
                t = f"varchar({arg})"
            elif base == "char":
                t = "uuid" if name in ("patient_id", "relation_patient_id") and arg == "36" else f"char({arg})"
            elif base in ("text", "longtext", "mediumtext", "tinytext"):
                t = "text"
            elif base in ("timestamp", "datetime"):
                t = "timestamp(0) without time zone"
            elif base == "date":
                t = "date"
            elif base == "decimal":
                t = f"decimal({arg})"
            elif base == "json":
                t = "json"
            elif base == "enum":
                values = re.findall(r"'((?:[^']|'')*)'", arg)
                t = "varchar(255) check (" + q(name) + " in (" + ", ".join("'" + v + "'" for v in values) + "))"
            else:
                raise SystemExit(f"{table}.{name}: type {rest}")
            col = f"  {q(name)} {t}"
            if auto:
                col += " not null primary key"
            else:
                col += " not null" if notnull else " null"
                if default is not None:
                    col += f" default {default}"
            cols.append(col)
            continue
        if line.startswith("PRIMARY KEY"):
            keys = re.findall(r"`(\w+)`", line)
            if not any("primary key" in c for c in cols):
                pk = keys
            continue
        km = re.match(r"(UNIQUE |FULLTEXT )?KEY `(\w+)` \((.*)\)", line)
        if km:
            kind, iname, keys = km.group(1), km.group(2), re.findall(r"`(\w+)`", km.group(3))
            iname = iname if iname.startswith(table + "_") else f"{table}_{iname}"
            if kind == "UNIQUE ":
                alters.append(f"alter table {q(table)} add constraint {q(iname)} unique ({', '.join(map(q, keys))});")
            elif kind == "FULLTEXT ":
                vec = " || ' ' || ".join(f"coalesce({q(k)}, '')" for k in keys) if len(keys) > 1 else q(keys[0])
                indexes.append(f"create index {q(iname)} on {q(table)} using gin ((to_tsvector('english', {vec})));")
            else:
                indexes.append(f"create index {q(iname)} on {q(table)} ({', '.join(map(q, keys))});")
            continue
        raise SystemExit(f"{table}: {line}")
    if pk:
        cols.append(f"  primary key ({', '.join(map(q, pk))})")
    out.append(f"create table {q(table)} (\n" + ",\n".join(cols) + "\n);\n")
    out.extend(x for x in indexes)
    if indexes:
        out.append("")
    indexes = []
out.extend(alters)
out.append("")
for m in re.finditer(r"ALTER TABLE `(\w+)`\n(.*?);", src, re.S):
    table = m.group(1)
    for fk in re.finditer(r"ADD CONSTRAINT `(\w+)` FOREIGN KEY \(`(\w+)`\) REFERENCES `(\w+)` \(`(\w+)`\)([^,;]*)", m.group(2)):
        name, col, ref, refcol, rules = fk.groups()
        rules = rules.strip().lower()
        out.append(f"alter table {q(table)} add constraint {q(name)} foreign key ({q(col)}) references {q(ref)} ({q(refcol)})"
                   + (f" {rules}" if rules else "") + ";")
print("\n".join(out))
