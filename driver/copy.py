"""When v1 and v2 live on two servers: copy the v1 tables into a landing schema on the v2
server, so dbt runs on one server. Rows stream in batches through two connections (an
unbuffered read, batched multi-row inserts), so the driver's memory stays bounded by the batch,
whatever the size of the table. Values travel as the server gives them: timestamps in UTC,
text as utf8mb4, ids of 0 kept."""
from __future__ import annotations

import logging
import re
import time

log = logging.getLogger(__name__)

SESSION = ("set session time_zone = '+00:00', foreign_key_checks = 0, unique_checks = 0, "
           "sql_mode = concat(@@session.sql_mode, ',NO_AUTO_VALUE_ON_ZERO')")


def landing_ddl(create_table: str) -> str:
    """The v1 table's DDL without its foreign keys: the landing copy keeps orphans as they are
    (the migration reports them) and loads tables in any order."""
    lines = [line for line in create_table.splitlines() if "FOREIGN KEY" not in line]
    ddl = "\n".join(lines)
    return re.sub(r",\s*\n\)", "\n)", ddl)


def copy_table(reader, writer, v1_schema: str, landing: str, table: str, batch_size: int, bulk_insert_size: int,
               progress=None) -> int:
    cur = reader.cursor()
    cur.execute(f"show create table `{v1_schema}`.`{table}`")
    ddl = landing_ddl(cur.fetchone()[1])
    out = writer.cursor()
    out.execute(f"drop table if exists `{landing}`.`{table}`")
    out.execute(f"use `{landing}`")
    out.execute(ddl)
    cur.execute(f"select count(*) from `{v1_schema}`.`{table}`")
    total = cur.fetchone()[0]
    cur.close()

    stream = reader.cursor(buffered=False, raw=False)
    stream.execute(f"select * from `{v1_schema}`.`{table}`")
    columns = ", ".join(f"`{d[0]}`" for d in stream.description)
    marks = ", ".join(["%s"] * len(stream.description))
    insert = f"insert into `{landing}`.`{table}` ({columns}) values ({marks})"
    copied = 0
    while True:
        rows = stream.fetchmany(batch_size)
        if not rows:
            break
        for start in range(0, len(rows), bulk_insert_size):
            out.executemany(insert, rows[start:start + bulk_insert_size])
        writer.commit()
        copied += len(rows)
        if progress:
            progress(table, copied, total)
    stream.close()
    return copied


def copy_to_landing(reader, writer, v1_schema: str, landing: str, tables: list[str], batch_size: int,
                    bulk_insert_size: int, progress=None) -> dict[str, int]:
    """Copy `tables` of `v1_schema` (reader's server) into `landing` (writer's server),
    replacing what an earlier run left there. Returns rows copied per table."""
    for conn in (reader, writer):
        conn.cursor().execute(SESSION)
    writer.autocommit = False
    out = writer.cursor()
    out.execute(f"create database if not exists `{landing}` character set utf8mb4 collate utf8mb4_unicode_ci")
    copied = {}
    for table in tables:
        started = time.monotonic()
        copied[table] = copy_table(reader, writer, v1_schema, landing, table, batch_size, bulk_insert_size, progress)
        log.info("copied %s: %d rows in %.1fs", table, copied[table], time.monotonic() - started)
    writer.autocommit = True
    return copied
