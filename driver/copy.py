"""When v1 and v2 live on two servers: copy the v1 tables into a landing schema on the v2
server, so dbt runs on one server.

Why it is built this way (measured with `python -m moh_dev.bench_copy`):
- The v1 server formats the rows. One query per range of about a thousand keys returns the
  range as one value, already in LOAD DATA's text format (tab-separated, backslash-escaped, \\N
  for NULL), made by concat_ws/replace/group_concat over a key range: no sort, no temporary
  table on v1. The pure-Python client (mysql-connector's C extension is not there) then parses
  a few large values instead of millions of rows: parsing rows in Python was the old copy's
  ceiling (73.7 s for a million rows); the driver now spends well under a CPU second on them.
- The v2 server loads them with LOAD DATA LOCAL INFILE read from a named pipe that a thread
  fills as the groups arrive, so the driver holds a group or two at a time, whatever the
  table's size. When the v2 server refuses local files (MySQL 8's default) the same groups come
  as multi-row INSERT statements instead.
- Values travel as the bytes of their own column (cast as binary, loaded with CHARACTER SET
  binary): no character set conversion, so 4-byte UTF-8 and binary data arrive unchanged, in any
  column character set. Timestamps travel in UTC on both sessions; FLOAT as the exact double
  (FLOAT's own text has 6 digits); BIT and spatial values as hex. The loading session's sql_mode
  keeps ids of 0 (NO_AUTO_VALUE_ON_ZERO), zero and invalid dates and the '' that a lax sql_mode
  left in enums: the landing table has v1's DDL, so every v1 value fits as it is.
- Large tables are split into chunks by ranges of an integer key. A chunk is loaded in one
  transaction together with its line in the bookkeeping tables (_moh_copy*), so a killed copy
  resumes at the first chunk that was not committed, and a chunk is never half there. The plain
  secondary indexes of a large table are added once its last chunk is in (a sorted build, much
  faster than keeping them up row by row); FULLTEXT ones are created with the table, because
  adding one later rebuilds the table.
- Chunks run on `max_workers` pairs of connections at once, the largest tables first.

The compressed protocol is not offered: mysql-connector's pure-Python reader misreads compressed
streams of small rows ("unpack requires a buffer of 4 bytes"), and within one data centre the
servers, not the network, are the limit.

copy_where() is the seam for the incremental sync: it replaces the landing rows matching a
condition by what v1 holds for them now, in one transaction.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import itertools
import logging
import math
import os
import queue
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field

import mysql.connector

log = logging.getLogger(__name__)

COPY, TABLES, CHUNKS = "_moh_copy", "_moh_copy_tables", "_moh_copy_chunks"
# Literals as hex so that no sql_mode (NO_BACKSLASH_ESCAPES) changes their meaning.
TAB, NL, BS, NULL_MARK = "x'09'", "x'0a'", "x'5c'", "x'5c4e'"
READ_SESSION = "set session time_zone = '+00:00', group_concat_max_len = {limit}"
# Not strict: an enum's '' (left by a lax sql_mode in v1) loads as ''; identical DDL on both
# sides means nothing else can be adjusted. unique_checks stays on: deferring the secondary
# indexes already gives the sorted build that MariaDB's bulk path (unique_checks = 0 on an empty
# table) would, without that path's silent loss of a statement's rows on a repeated key.
WRITE_SESSION = ("set session time_zone = '+00:00', foreign_key_checks = 0, "
                 "sql_mode = 'NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES'")
TEXT_TYPES = {"char", "varchar", "tinytext", "text", "mediumtext", "longtext", "binary", "varbinary",
              "tinyblob", "blob", "mediumblob", "longblob", "enum", "set", "json"}
PG_BINARY_TYPES = {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"}
HEX_TYPES = {"bit", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
             "multipolygon", "geometrycollection"}
FLOAT_TYPES = {"float", "double", "real"}
DATE_TYPES = {"date", "datetime", "timestamp"}
PG_NUL_MARK = "\uffff"  # a NUL character of v1 text, in PostgreSQL (which refuses NUL)
INT_TYPES = {"tinyint", "smallint", "mediumint", "int", "integer", "bigint"}
GROUP_BYTES = 1 << 20     # aim for groups of about 1 MB ...
GROUP_ROWS = 5000         # ... and at most this many rows
CHUNK_ROWS = 500_000      # rows per chunk (the unit of resume)
DEFER_INDEXES_ROWS = 20_000  # tables this large get their plain secondary indexes after their rows
GENERATED = re.compile(r"\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b", re.IGNORECASE)
SECONDARY_INDEX = re.compile(r"^\s*(UNIQUE |FULLTEXT |SPATIAL )?(KEY|INDEX) ")


def landing_ddl(create_table: str) -> str:
    """The v1 table's DDL without its foreign keys: the landing copy keeps orphans as they are
    (the migration reports them) and loads tables in any order."""
    lines = [line for line in create_table.splitlines() if "FOREIGN KEY" not in line]
    ddl = "\n".join(lines)
    return re.sub(r",\s*\n\)", "\n)", ddl)


def split_indexes(ddl: str) -> tuple[str, list[str]]:
    """(CREATE TABLE without its plain secondary indexes, those index definitions). FULLTEXT and
    SPATIAL stay in the CREATE: adding them afterwards rebuilds the table."""
    kept, deferred = [], []
    for line in ddl.splitlines():
        match = SECONDARY_INDEX.match(line)
        if match and match.group(1) not in ("FULLTEXT ", "SPATIAL "):
            deferred.append(line.strip().rstrip(","))
        else:
            kept.append(line)
    return re.sub(r",\s*\n\)", "\n)", "\n".join(kept)), deferred


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str

    @property
    def q(self) -> str:
        return quote_name(self.name)

    def tsv(self) -> str:
        """The value in LOAD DATA's text format, as bytes of the column's own character set."""
        if self.data_type in HEX_TYPES:
            value = f"hex({self.q})"
        elif self.data_type in FLOAT_TYPES:
            value = f"({self.q} + 0e0)"
        elif self.data_type in TEXT_TYPES:
            value = f"replace(replace(replace(cast({self.q} as binary), {BS}, x'5c5c'), {TAB}, x'5c74'), {NL}, x'5c6e')"
        else:
            value = self.q
        # every field, NOT NULL ones too: concat_ws skips a NULL, which would shift the fields after it
        return f"ifnull({value}, {NULL_MARK})"

    def pg_tsv(self) -> str:
        """The value in PostgreSQL's COPY text format: LOAD DATA's, with carriage returns escaped
        too (COPY takes a bare one for the end of a line). Text travels as its UTF-8 bytes.

        Two kinds of v1 value PostgreSQL has no room for arrive as a marker that the dbt project
        finds and handles by the unstorable_values policy, as it handles a value v2 cannot store
        (macros/storable.sql): a NUL character as U+FFFF (a noncharacter: no text of a person
        holds one), and a date PostgreSQL cannot hold (year, month or day 0) as a day of January
        4713 BC whose day of the month tells which parts were 0 (postgres__date_checks reads it)."""
        if self.data_type in HEX_TYPES or self.data_type in PG_BINARY_TYPES:
            raise ValueError(f"column {self.name}: {self.data_type} values are not copied to PostgreSQL")
        if self.data_type in FLOAT_TYPES:
            value = f"({self.q} + 0e0)"
        elif self.data_type in TEXT_TYPES:
            value = (f"replace(replace(replace(replace(replace(cast({self.q} as binary), {BS}, x'5c5c'), {TAB}, "
                     f"x'5c74'), {NL}, x'5c6e'), x'0d', x'5c72'), x'00', x'{PG_NUL_MARK.encode().hex()}')")
        elif self.data_type in DATE_TYPES:
            q = self.q
            value = (f"if(year({q}) = 0 or month({q}) = 0 or dayofmonth({q}) = 0, concat('4713-01-0', "
                     f"1 + 4 * (year({q}) = 0) + 2 * (month({q}) = 0) + (dayofmonth({q}) = 0), ' BC'), {q})")
        else:
            value = self.q
        return f"ifnull({value}, {NULL_MARK})"

    def sql(self) -> str:
        """The value as an SQL literal, for the INSERT way."""
        if self.data_type in HEX_TYPES:
            value = f"concat('0x', hex({self.q}))"
        elif self.data_type in FLOAT_TYPES:
            value = f"({self.q} + 0e0)"
        elif self.data_type == "json":  # MySQL 8 refuses JSON from a binary string
            value = f"quote({self.q})"
        elif self.data_type in TEXT_TYPES:
            value = f"concat('_binary', quote(cast({self.q} as binary)))"
        elif self.data_type in INT_TYPES or self.data_type == "decimal":
            value = self.q
        else:
            value = f"quote({self.q})"
        return f"if({self.q} is null, 'NULL', {value})"

    def load_target(self, i: int) -> tuple[str, str | None]:
        """(what LOAD DATA reads this field into, the SET that stores it, if any)."""
        if self.data_type in HEX_TYPES:
            return f"@v{i}", f"{self.q} = unhex(@v{i})"
        if self.data_type == "json":
            return f"@v{i}", f"{self.q} = convert(@v{i} using utf8mb4)"
        return self.q, None


def quote_name(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


@dataclass
class TablePlan:
    name: str
    ddl: str                 # landing DDL (v1's without foreign keys)
    columns: list[Column]
    split: str | None        # integer column the chunks and groups are ranges of
    rows: int                # estimate
    row_bytes: int           # estimate
    ids_per_group: int = 1   # split values in the first range read as one value
    chunks: list[tuple[int | None, int | None]] = field(default_factory=list)

    @property
    def sha(self) -> str:
        """The DDL's fingerprint; the AUTO_INCREMENT counter moves with every insert into v1."""
        return hashlib.sha1(re.sub(r" AUTO_INCREMENT=\d+", "", self.ddl).encode()).hexdigest()


def read_plans(reader, v1_schema: str, tables: list[str], chunk_rows: int) -> list[TablePlan]:
    """What the copy needs to know of each table, the largest first. information_schema is read
    once for all tables: per table it is slow on a server with many tables."""
    cur = reader.cursor()
    try:  # MySQL 8 caches table_rows for a day by default: the sizes below are estimates, not that stale
        cur.execute("set session information_schema_stats_expiry = 0")
    except mysql.connector.Error as e:
        if e.errno != 1193:  # MariaDB has no such variable (and no such cache)
            raise
    facts: dict[str, dict] = {t: {"columns": [], "indexes": {}, "rows": 0, "row_bytes": 16} for t in tables}
    cur.execute("select table_name, column_name, data_type, extra from information_schema.columns "
                "where table_schema = %s order by table_name, ordinal_position", (v1_schema,))
    for table, name, data_type, extra in cur.fetchall():
        # generated columns are computed again by the landing table's own DDL (MySQL 8 also
        # says DEFAULT_GENERATED of a column with an expression default: that one is copied)
        if table in facts and not GENERATED.search(extra or ""):
            facts[table]["columns"].append(Column(name, data_type.lower()))
    cur.execute("select table_name, index_name, column_name from information_schema.statistics "
                "where table_schema = %s and index_type = 'BTREE' "
                "order by table_name, index_name = 'PRIMARY' desc, non_unique, index_name, seq_in_index", (v1_schema,))
    for table, index, column in cur.fetchall():
        if table in facts:
            facts[table]["indexes"].setdefault(index, []).append(column)
    cur.execute("select table_name, coalesce(table_rows, 0), coalesce(avg_row_length, 0), coalesce(data_length, 0) "
                "from information_schema.tables where table_schema = %s", (v1_schema,))
    size = {}
    for table, rows, row_bytes, data_bytes in cur.fetchall():
        if table in facts:
            facts[table].update(rows=int(rows), row_bytes=max(int(row_bytes), 16))
            size[table] = int(data_bytes)
    plans = []
    for table in sorted(tables, key=lambda t: -size.get(t, 0)):
        f = facts[table]
        cur.execute(f"show create table {quote_name(v1_schema)}.{quote_name(table)}")
        plan = TablePlan(table, landing_ddl(cur.fetchone()[1]), f["columns"], split_column(f["columns"], f["indexes"]),
                         f["rows"], f["row_bytes"])
        if plan.split is not None:
            k = quote_name(plan.split)
            cur.execute(f"select min({k}), max({k}) from {quote_name(v1_schema)}.{quote_name(table)}")
            low, high = cur.fetchone()
            if low is not None:
                low, high = int(low), int(high)
                span, rows = high - low + 1, max(plan.rows, 1)
                group_rows = max(1, min(GROUP_ROWS, GROUP_BYTES // plan.row_bytes))
                plan.ids_per_group = max(1, round(group_rows * span / rows))
                # equal ranges of the key: as many rows each as the ids are dense
                n = max(1, min(math.ceil(rows / chunk_rows), span))
                edges = [None, *sorted({low + span * i // n for i in range(1, n)}), None]
                plan.chunks = list(zip(edges[:-1], edges[1:]))
        if not plan.chunks:
            plan.chunks = [(None, None)]
        plans.append(plan)
    cur.close()
    return plans


def split_column(columns: list[Column], indexes: dict[str, list[str]]) -> str | None:
    """The primary key when it is one integer column; in a table without a primary key, the
    first integer column leading an index (its ranges still partition the rows); else none: the
    table is one chunk, read row by row."""
    types = {c.name: c.data_type for c in columns}
    primary = indexes.get("PRIMARY")
    if primary:
        return primary[0] if len(primary) == 1 and types.get(primary[0]) in INT_TYPES else None
    return next((cols[0] for cols in indexes.values() if types.get(cols[0]) in INT_TYPES), None)


# --- reading: blocks of (rows, bytes) from v1 ------------------------------------------------------
def read_blocks(reader, v1_schema: str, plan: TablePlan, fmt: str, limit: int, batch_rows: int,
                span: tuple[int | None, int | None] = (None, None), where: str | None = None, params: tuple = ()):
    """The rows of the chunk `span` (a range of the split column; None: open), or of `where`, as
    blocks (rows, payload): TSV lines each ending in a newline, or SQL tuples separated by commas.
    In a chunk, one query per range of split values returns the range's rows as one value (an
    aggregate over a key range: no sort, no temporary table on the v1 server). The range grows or
    shrinks to keep values near GROUP_BYTES whatever the density of the keys; one key value whose
    rows exceed `limit` is read row by row. Without a split column, or for `where`, the server
    formats each row and `batch_rows` rows make a block."""
    table = f"{quote_name(v1_schema)}.{quote_name(plan.name)}"
    if fmt in ("tsv", "pg"):  # pg: PostgreSQL's COPY text format (driver/pg_copy.py)
        fields = [c.tsv() if fmt == "tsv" else c.pg_tsv() for c in plan.columns]
        line, separator = "concat_ws(" + ", ".join([TAB] + fields) + ")", NL
    else:
        line, separator = "concat('(', " + ", ',', ".join(c.sql() for c in plan.columns) + ", ')')", "','"
    if where is not None or plan.split is None:
        yield from _rows(reader, f"select {line} from {table} where {where or '1 = 1'}", params, fmt, batch_rows)
        return
    k = quote_name(plan.split)
    group = f"select count(*), group_concat({line} separator {separator}) from {table} where "
    cur = reader.cursor(raw=True)
    cur.execute("start transaction with consistent snapshot, read only")  # the chunk as of one moment
    lo, hi = span
    if lo is None:  # rows whose split value is NULL go with the first chunk
        yield from _group_or_rows(reader, cur, group, f"{k} is null", (), fmt, limit, line, table, batch_rows)
    # the chunk's real first and last key (the open ends of the first and last chunks included)
    condition, args = _range(k, lo, hi)
    cur.execute(f"select min({k}), max({k}) from {table} where {condition}", args)
    first, last = cur.fetchone()
    if first is not None:
        a, end, step = int(first), int(last) + 1, plan.ids_per_group
        while a < end:
            b = min(a + step, end)
            cur.execute(group + f"{k} >= %s and {k} < %s", (a, b))
            count, payload = cur.fetchone()
            count = int(count)
            if count and not _fits(payload, count, fmt, limit):
                if b - a > 1:
                    step = max(1, (b - a) // 2)
                    continue
                log.debug("copy %s: the rows of one key are longer than %d bytes; read row by row", plan.name, limit)
                yield from _rows(reader, f"select {line} from {table} where {k} = %s", (a,), fmt, batch_rows)
            elif count:
                yield count, payload + b"\n" if fmt != "sql" else payload
            # the next range: as many keys as make about GROUP_BYTES here, at most 4 times more
            grow = GROUP_BYTES / len(payload) if count else 4
            step = max(1, min(int((b - a) * grow), 4 * (b - a)))
            a = b
    cur.execute("commit")
    cur.close()


def _fits(payload: bytes, count: int, fmt: str, limit: int) -> bool:
    """Not cut by group_concat_max_len (a cut TSV value also lacks lines)."""
    return len(payload) < limit and (fmt == "sql" or payload.count(b"\n") + 1 == count)


def _group_or_rows(reader, cur, group: str, condition: str, args: tuple, fmt: str, limit: int, line: str,
                   table: str, batch_rows: int):
    cur.execute(group + condition, args)
    count, payload = cur.fetchone()
    count = int(count)
    if count and _fits(payload, count, fmt, limit):
        yield count, payload + b"\n" if fmt != "sql" else payload
    elif count:
        yield from _rows(reader, f"select {line} from {table} where {condition}", args, fmt, batch_rows)


def _range(k: str, a, b) -> tuple[str, tuple]:
    if a is None and b is None:
        return f"{k} is not null", ()  # NULLs are a piece of their own
    if a is None:
        return f"{k} < %s", (b,)
    if b is None:
        return f"{k} >= %s", (a,)
    return f"{k} >= %s and {k} < %s", (a, b)


def _rows(reader, sql: str, params: tuple, fmt: str, batch_rows: int):
    """One line per row, formatted by the server, streamed: `batch_rows` rows per block."""
    cur = reader.cursor(raw=True, buffered=False)
    try:
        cur.execute(sql, params)
        while batch := cur.fetchmany(batch_rows):
            values = [row[0] for row in batch]
            yield len(values), b"\n".join(values) + b"\n" if fmt != "sql" else b",".join(values)
    finally:
        try:
            cur.close()
        except Exception:  # noqa: BLE001 - an abandoned unbuffered result: the connection is discarded
            pass


# --- writing ---------------------------------------------------------------------------------------
def load_statement(landing: str, plan: TablePlan, path: str) -> str:
    targets, sets = [], []
    for i, column in enumerate(plan.columns):
        target, assignment = column.load_target(i)
        targets.append(target)
        if assignment:
            sets.append(assignment)
    path_literal = "'" + path.replace("\\", "\\\\").replace("'", "''") + "'"
    return (f"load data local infile {path_literal} into table {quote_name(landing)}.{quote_name(plan.name)} "
            f"character set binary fields terminated by {TAB} escaped by {BS} lines terminated by {NL} "
            f"({', '.join(targets)})" + (f" set {', '.join(sets)}" if sets else ""))


def _open_fifo(path: str, stop: threading.Event) -> int:
    """Open the pipe for writing once LOAD DATA has opened it for reading (or give up when the
    statement failed before it did)."""
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as e:
            if e.errno != errno.ENXIO or stop.is_set():
                raise
            time.sleep(0.002)
            continue
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        try:
            fcntl.fcntl(fd, 1031, 1 << 20)  # F_SETPIPE_SZ: fewer wake-ups; the default 64 KB works too
        except OSError:
            pass
        return fd


def load_tsv(writer, statement: str, path: str, blocks) -> tuple[int, int]:
    """Run LOAD DATA LOCAL INFILE on `path` (a named pipe) while a thread writes the blocks into
    it. Returns (rows sent, rows the server loaded)."""
    sent, failure, stop = [0], [], threading.Event()

    def feed():
        try:
            fd = _open_fifo(path, stop)
            with os.fdopen(fd, "wb", buffering=0) as pipe:
                for rows, payload in blocks:
                    view = memoryview(payload)
                    while view:
                        view = view[pipe.write(view):]
                    sent[0] += rows
        except BaseException as e:  # noqa: BLE001 - handed to the loading thread
            failure.append(e)
            blocks.close()

    feeder = threading.Thread(target=feed, name="copy-feed", daemon=True)
    feeder.start()
    cur = writer.cursor()
    try:
        cur.execute(statement)
        loaded = cur.rowcount
    finally:
        stop.set()
        feeder.join()
        cur.close()
    if failure:
        raise failure[0]
    return sent[0], loaded


def load_sql(writer, landing: str, plan: TablePlan, blocks) -> tuple[int, int]:
    prefix = (f"insert into {quote_name(landing)}.{quote_name(plan.name)} "
              f"({', '.join(c.q for c in plan.columns)}) values ").encode()
    cur = writer.cursor()
    sent = loaded = 0
    for rows, payload in blocks:
        cur.execute(prefix + payload)
        sent += rows
        loaded += cur.rowcount
    cur.close()
    return sent, loaded


# --- the copy --------------------------------------------------------------------------------------
@dataclass
class _Worker:
    """One pair of connections, kept by a worker thread across chunks."""
    reader: object
    writer: object
    fifo: str | None
    owned: bool


class Copier:
    """One copy: its connections (a pair per worker thread), how rows are written, and per table
    the chunks still pending and the rows in."""

    def __init__(self, reader, writer, v1_schema, landing, *, servers, max_workers, method,
                 batch_size, bulk_insert_size, progress, tmpdir):
        self.reader, self.writer = reader, writer
        self.v1_schema, self.landing = v1_schema, landing
        self.servers = servers
        self.max_workers = max_workers if servers else 1
        self.batch_size, self.bulk_insert_size = batch_size, bulk_insert_size
        self.progress = progress
        self.tmpdir = tmpdir
        self.lock = threading.Lock()
        self.local = threading.local()
        self.workers: list[_Worker] = []
        self.pending: dict[str, int] = {}
        self.done_rows: dict[str, int] = {}
        self.method = self._method(method)
        self.limit = self._group_limit()

    # connections
    def _method(self, method: str) -> str:
        if method not in ("auto", "load", "insert"):
            raise ValueError(f"copy method {method!r}: use auto, load or insert")
        if method == "insert" or self.servers is None:
            return "insert"
        cur = self.writer.cursor()
        cur.execute("select @@global.local_infile")
        allowed = bool(int(cur.fetchone()[0]))
        cur.close()
        if not allowed and method == "load":
            raise RuntimeError("the v2 server does not accept LOAD DATA LOCAL INFILE (local_infile is OFF)")
        return "load" if allowed else "insert"

    def _group_limit(self) -> int:
        """group_concat_max_len: what one value may hold, within both servers' packet limits."""
        limits = []
        for conn in (self.reader, self.writer):
            cur = conn.cursor()
            cur.execute("select @@global.max_allowed_packet")
            limits.append(int(cur.fetchone()[0]))
            cur.close()
        return (limits[0] if self.method == "load" else min(limits)) - 4096

    def _session(self, reader, writer) -> None:
        reader.cursor().execute(READ_SESSION.format(limit=self.limit))
        # a chunk is read in one snapshot, whatever the v1 server's default isolation
        reader.cursor().execute("set session transaction isolation level repeatable read")
        cur = writer.cursor()
        cur.execute(WRITE_SESSION)
        try:  # MariaDB: a v1 row its CHECK refuses (written with the checks off) is copied as it is
            cur.execute("set session check_constraint_checks = 0")
        except mysql.connector.Error as e:
            if e.errno != 1193:  # MySQL has no such variable (and enforces its CHECKs in v1 too)
                raise

    def worker(self) -> _Worker:
        w = getattr(self.local, "worker", None)
        if w is None:
            if self.servers:
                old, new = self.servers
                reader = old.connect(None)
                writer = new.connect(None, allow_local_infile_in_path=self.tmpdir)
                fifo = os.path.join(self.tmpdir, f"pipe{threading.get_ident()}")
                if not os.path.exists(fifo):  # a worker opened again after a failed chunk keeps its pipe
                    os.mkfifo(fifo, 0o600)
                w = _Worker(reader, writer, fifo, True)
            else:
                w = _Worker(self.reader, self.writer, None, False)
            self._session(w.reader, w.writer)
            self.local.worker = w
            with self.lock:
                self.workers.append(w)
        return w

    def discard(self, w: _Worker) -> None:
        """After a failed chunk: the reader may hold an unread result; start both afresh."""
        if w.owned:
            for conn in (w.reader, w.writer):
                try:
                    conn.close()
                except Exception:  # noqa: BLE001
                    pass
            with self.lock:
                self.workers.remove(w)
            self.local.worker = None
        else:  # the caller's connections: put them back in a usable state
            try:
                self.writer.rollback()
                self.reader.reconnect()
                self._session(self.reader, self.writer)
            except mysql.connector.Error:
                pass  # the failure being raised says more

    def close(self) -> None:
        for w in self.workers:
            if w.owned:
                for conn in (w.reader, w.writer):
                    try:
                        conn.close()
                    except Exception:  # noqa: BLE001
                        pass

    # one chunk
    def load(self, w: _Worker, plan: TablePlan, **what) -> tuple[int, int]:
        """Stream rows (a chunk's span, or where/params) from v1 into the landing table."""
        fmt = "tsv" if self.method == "load" else "sql"
        batch = self.batch_size if fmt == "tsv" else self.bulk_insert_size
        blocks = read_blocks(w.reader, self.v1_schema, plan, fmt, self.limit, batch, **what)
        if fmt == "tsv":
            return load_tsv(w.writer, load_statement(self.landing, plan, w.fifo), w.fifo, blocks)
        return load_sql(w.writer, self.landing, plan, blocks)

    def copy_chunk(self, plan: TablePlan, index: int) -> None:
        """One chunk in one transaction, with its line in the bookkeeping."""
        started = time.monotonic()
        w = self.worker()
        out = w.writer.cursor()
        try:
            out.execute("start transaction")
            sent, loaded = self.load(w, plan, span=plan.chunks[index])
            if sent != loaded:
                raise RuntimeError(f"copy of {plan.name}: {sent} rows read from v1, {loaded} loaded")
            out.execute(f"update {quote_name(self.landing)}.{CHUNKS} set rows_copied = %s, seconds = %s, "
                        f"finished_at = current_timestamp(3) where table_name = %s and chunk = %s",
                        (loaded, round(time.monotonic() - started, 3), plan.name, index))
            out.execute("commit")
        except BaseException:
            self.discard(w)
            raise
        self.chunk_done(w, plan, loaded)

    def chunk_done(self, w: _Worker, plan: TablePlan, rows: int) -> None:
        with self.lock:
            self.pending[plan.name] -= 1
            self.done_rows[plan.name] += rows
            last = self.pending[plan.name] == 0
            done = self.done_rows[plan.name]
            if self.progress and not last:
                self.progress(plan.name, done, max(plan.rows, done))
        if last:
            self.finish_table(w, plan)

    def finish_table(self, w: _Worker, plan: TablePlan) -> None:
        """Add the secondary indexes the table was created without (those still missing, when an
        attempt was killed while adding them), then mark it complete."""
        _, deferred = split_indexes(plan.ddl)
        cur = w.writer.cursor()
        cur.execute("select distinct index_name from information_schema.statistics "
                    "where table_schema = %s and table_name = %s", (self.landing, plan.name))
        present = {row[0] for row in cur.fetchall()}
        missing = [d for d in deferred if re.search(r"(?:KEY|INDEX) `((?:[^`]|``)+)`", d).group(1) not in present]
        if missing:
            started = time.monotonic()
            cur.execute(f"alter table {quote_name(self.landing)}.{quote_name(plan.name)} "
                        + ", ".join("add " + d for d in missing))
            log.debug("copy %s: %d indexes in %.1fs", plan.name, len(missing), time.monotonic() - started)
        cur.execute(f"update {quote_name(self.landing)}.{TABLES} t set state = 'complete', "
                    f"finished_at = current_timestamp(3), rows_copied = (select coalesce(sum(rows_copied), 0) "
                    f"from {quote_name(self.landing)}.{CHUNKS} c where c.table_name = t.table_name) "
                    f"where table_name = %s", (plan.name,))
        cur.close()
        with self.lock:
            if self.progress:
                self.progress(plan.name, self.done_rows[plan.name], self.done_rows[plan.name])
        log.info("copied %s: %d rows", plan.name, self.done_rows[plan.name])


def _bookkeeping(cur, landing: str) -> None:
    L = quote_name(landing)
    cur.execute(f"create database if not exists {L} character set utf8mb4 collate utf8mb4_unicode_ci")
    cur.execute(f"create table if not exists {L}.{COPY} (id tinyint primary key, copy_id varchar(64) not null, "
                "started_at timestamp(3) null, finished_at timestamp(3) null)")
    cur.execute(f"create table if not exists {L}.{TABLES} (table_name varchar(64) primary key, "
                "ddl_sha1 char(40) not null, split_column varchar(64) null, chunks int not null, "
                "state varchar(16) not null, rows_copied bigint null, started_at timestamp(3) null, "
                "finished_at timestamp(3) null)")
    cur.execute(f"create table if not exists {L}.{CHUNKS} (table_name varchar(64) not null, chunk int not null, "
                "lo decimal(20) null, hi decimal(20) null, rows_copied bigint null, seconds double null, "
                "finished_at timestamp(3) null, primary key (table_name, chunk))")


def prepare_table(copier: Copier, w: _Worker, plan: TablePlan, kept: dict | None) -> list[int | None]:
    """Create the landing table and its bookkeeping, or take up what an interrupted attempt left
    (`kept`: its record). Returns the chunks still to copy (None: every chunk is in, the indexes
    are not)."""
    L, table = quote_name(copier.landing), plan.name
    cur = w.writer.cursor()
    if kept:
        plan.chunks = kept["chunks"]
        todo = [i for i, rows in enumerate(kept["rows"]) if rows is None]
        copier.done_rows[table] = sum(rows or 0 for rows in kept["rows"])
        log.info("copy %s: %s", table, "kept from the interrupted copy" if kept["state"] == "complete"
                 else f"{len(plan.chunks) - len(todo)} of {len(plan.chunks)} chunks kept from the interrupted copy")
        if not todo and kept["state"] != "complete":
            todo = [None]
    else:
        cur.execute(f"drop table if exists {L}.{quote_name(table)}")
        cur.execute(f"use {L}")
        # a small table gets its indexes at once; a large one after its rows (a sorted build)
        cur.execute(split_indexes(plan.ddl)[0] if plan.rows >= DEFER_INDEXES_ROWS else plan.ddl)
        cur.execute(f"delete from {L}.{CHUNKS} where table_name = %s", (table,))
        cur.execute(f"replace into {L}.{TABLES} (table_name, ddl_sha1, split_column, chunks, state, started_at) "
                    "values (%s, %s, %s, %s, 'loading', current_timestamp(3))",
                    (table, plan.sha, plan.split, len(plan.chunks)))
        cur.executemany(f"insert into {L}.{CHUNKS} (table_name, chunk, lo, hi) values (%s, %s, %s, %s)",
                        [(table, i, lo, hi) for i, (lo, hi) in enumerate(plan.chunks)])
        todo = list(range(len(plan.chunks)))
        copier.done_rows[table] = 0
    cur.close()
    copier.pending[table] = len([c for c in todo if c is not None])
    return todo


def kept_tables(cur, landing: str) -> dict[str, dict]:
    """What an interrupted attempt committed, per table whose landing table is still there."""
    L = quote_name(landing)
    cur.execute("select table_name from information_schema.tables where table_schema = %s", (landing,))
    present = {t for (t,) in cur.fetchall()}
    cur.execute(f"select table_name, ddl_sha1, state from {L}.{TABLES}")
    kept = {t: {"sha": sha, "state": state, "chunks": [], "rows": []} for t, sha, state in cur.fetchall() if t in present}
    cur.execute(f"select table_name, lo, hi, rows_copied from {L}.{CHUNKS} order by table_name, chunk")
    for table, lo, hi, rows in cur.fetchall():
        if table in kept:
            kept[table]["chunks"].append((None if lo is None else int(lo), None if hi is None else int(hi)))
            kept[table]["rows"].append(rows)
    return kept


class Pool:
    """Units of work taken by priority: preparing a table (the largest first), then the chunk that
    leaves its table the most rows still to copy. Two workers then load different tables (LOAD
    DATA into one table waits for the table's AUTO-INC lock), and no large table is left alone
    at the end. With threads, max_workers of them; without, join() runs the units itself."""

    PREPARE = "prepare"

    def __init__(self, copier: Copier, threads: int, kept: dict[str, dict]):
        self.copier, self.kept = copier, kept
        self.queue, self.errors, self.seq = queue.PriorityQueue(), [], itertools.count()
        self.threads = [threading.Thread(target=self._work, name=f"copy-{i}", daemon=True) for i in range(threads)]
        for thread in self.threads:
            thread.start()

    def submit(self, plan: TablePlan, unit) -> None:
        n = len(plan.chunks)
        if unit == self.PREPARE:
            remaining = plan.rows + 1.0  # before any chunk of its own table
        elif unit is None:
            remaining = float("inf")     # indexes only: soon, the table is otherwise done
        else:
            remaining = plan.rows * (n - unit) / n
        self.queue.put((-remaining, next(self.seq), plan, unit))

    def run(self, plan: TablePlan, unit) -> None:
        copier = self.copier
        if unit == self.PREPARE:
            kept = self.kept.get(plan.name)
            for todo in prepare_table(copier, copier.worker(), plan, kept if kept and kept["sha"] == plan.sha else None):
                self.submit(plan, todo)
        elif unit is None:
            copier.finish_table(copier.worker(), plan)
        else:
            copier.copy_chunk(plan, unit)

    def _work(self) -> None:
        while True:
            _, _, plan, unit = self.queue.get()
            if plan is None:
                return
            try:
                if not self.errors:  # after a failure no more work is taken: the others finish theirs
                    self.run(plan, unit)
            except BaseException as e:  # noqa: BLE001 - raised by join()
                self.errors.append(e)
            finally:
                self.queue.task_done()

    def join(self) -> None:
        """Wait until every unit (and those they submitted) is done; raise the first failure."""
        if self.threads:
            self.queue.join()
            for _ in self.threads:
                self.queue.put((float("inf"), next(self.seq), None, None))
            for thread in self.threads:
                thread.join()
        else:
            while not self.queue.empty() and not self.errors:
                _, _, plan, unit = self.queue.get()
                self.run(plan, unit)
        if self.errors:
            raise self.errors[0]


def copy_to_landing(reader, writer, v1_schema: str, landing: str, tables: list[str], batch_size: int,
                    bulk_insert_size: int, progress=None, *, servers=None, max_workers: int = 1,
                    method: str = "auto", resume: bool = True, copy_id: str | None = None,
                    chunk_rows: int = CHUNK_ROWS) -> dict[str, int]:
    """Copy `tables` of `v1_schema` (reader's server) into `landing` (writer's server).
    Returns rows copied per table.

    servers: (v1 Server, v2 Server) lets the copy open its own connections: max_workers pairs,
    LOAD DATA LOCAL INFILE on the v2 side (`method` auto: when the v2 server allows it, else
    multi-row INSERTs), while this thread prepares the next tables. Without it, one pair: the two
    connections given, INSERTs.
    resume: a copy that did not finish (killed, failed) is continued: the tables and chunks it
    committed are kept when v1's DDL of the table is unchanged. copy_id names a copy: a call with
    the id of the last copy continues it even when it finished (nothing left to do), a call with
    another id starts afresh. Without an id, a finished copy is followed by a fresh one.
    The copy is not one snapshot of v1: each chunk is one statement's snapshot. While v1 is
    written to, the incremental sync (copy_where) brings the landing up to date."""
    cur = writer.cursor()
    _bookkeeping(cur, landing)
    L = quote_name(landing)
    cur.execute(f"select copy_id, finished_at from {L}.{COPY} where id = 1")
    last = cur.fetchone()
    continuing = bool(resume and last and (last[0] == copy_id if copy_id else last[1] is None))
    if continuing:
        kept = kept_tables(cur, landing)
    else:
        kept = {}
        cur.execute(f"delete from {L}.{CHUNKS}")
        cur.execute(f"delete from {L}.{TABLES}")
        cur.execute(f"replace into {L}.{COPY} (id, copy_id, started_at) values (1, %s, current_timestamp(3))",
                    (copy_id or "",))
    cur.close()
    tmpdir = tempfile.mkdtemp(prefix="moh-copy-")
    copier = Copier(reader, writer, v1_schema, landing, servers=servers, max_workers=max_workers,
                    method=method, batch_size=batch_size, bulk_insert_size=bulk_insert_size, progress=progress,
                    tmpdir=tmpdir)
    started = time.monotonic()
    try:
        plans = read_plans(reader, v1_schema, tables, chunk_rows)
        pool = Pool(copier, copier.max_workers if servers else 0, kept)
        for plan in plans:
            pool.submit(plan, Pool.PREPARE)
        pool.join()
    finally:
        copier.close()
        shutil.rmtree(tmpdir, ignore_errors=True)
    writer.cursor().execute(f"update {L}.{COPY} set finished_at = current_timestamp(3) where id = 1")
    log.info("copy: %d rows in %d tables, %.1fs (%s, %d workers)", sum(copier.done_rows.values()),
             len(tables), time.monotonic() - started, copier.method, copier.max_workers)
    return {t: copier.done_rows[t] for t in tables}


def copy_where(reader, writer, v1_schema: str, landing: str, table: str, where: str, params: tuple = (), *,
               servers=None, batch_size: int = 5000, bulk_insert_size: int = 1000) -> int:
    """Replace the landing rows of `table` that match `where` by the v1 rows that match it now,
    in one transaction; returns the rows copied. The seam for the incremental sync: "copy these
    keys of this table" is keys_where() and this. `where` is SQL over the table's own columns,
    evaluated on both servers (rows deleted in v1 leave the landing table too)."""
    tmpdir = tempfile.mkdtemp(prefix="moh-copy-")
    copier = Copier(reader, writer, v1_schema, landing, servers=servers, max_workers=1,
                    method="auto", batch_size=batch_size, bulk_insert_size=bulk_insert_size, progress=None,
                    tmpdir=tmpdir)
    try:
        plan, = read_plans(reader, v1_schema, [table], CHUNK_ROWS)
        w = copier.worker()
        out = w.writer.cursor()
        try:
            out.execute("start transaction")
            out.execute(f"delete from {quote_name(landing)}.{quote_name(table)} where {where}", params)
            sent, loaded = copier.load(w, plan, where=where, params=params)
            if sent != loaded:
                raise RuntimeError(f"copy of {table}: {sent} rows read from v1, {loaded} loaded")
            out.execute("commit")
            return loaded
        except BaseException:
            copier.discard(w)
            raise
    finally:
        copier.close()
        shutil.rmtree(tmpdir, ignore_errors=True)


def keys_where(columns: list[str], keys: list[tuple]) -> tuple[str, tuple]:
    """(`a`, `b`) in ((%s, %s), ...) for copy_where: the rows with these key values."""
    if not keys:
        return "1 = 0", ()
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    return (f"({', '.join(quote_name(c) for c in columns)}) in ({', '.join([row] * len(keys))})",
            tuple(v for key in keys for v in key))
