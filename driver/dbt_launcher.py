"""Starts dbt for the driver, with the TLS settings of the config's URL.

dbt-mysql 1.7 passes no TLS options to mysql-connector, so a server that requires TLS (or a
CA the user wants verified) cannot be reached by a plain `dbt` call. The driver runs dbt through
this module instead: it adds the ssl_* options from the environment to every connection dbt
opens, then hands over to dbt's own command line.

With --serve it stays up for the dbt calls of a whole run: each line on stdin is one request,
{"args": [dbt's arguments], "env": {variables for this call}}; dbt's output follows on stdout,
then a line "MOH-DBT-DONE <exit code>" (0 success, 1 a node failed, 2 dbt stopped). Importing
dbt costs 2 to 5 s, which a run of three calls then pays once.

  MOH_DB_SSL_CA, MOH_DB_SSL_CERT, MOH_DB_SSL_KEY   paths, as in the URL's ?ssl_ca= etc.
  MOH_DB_SSL_DISABLED=1                            no TLS (the URL asked for none)
"""
from __future__ import annotations

import json
import os
import sys

import mysql.connector


def tls_options(environ=os.environ) -> dict:
    options = {}
    for name in ("ssl_ca", "ssl_cert", "ssl_key"):
        value = environ.get(f"MOH_DB_{name.upper()}")
        if value:
            options[name] = value
    if "ssl_ca" in options:
        options["ssl_verify_cert"] = True
    if not options and environ.get("MOH_DB_SSL_DISABLED") == "1":
        options["ssl_disabled"] = True
    return options


def allow_long_compiled_sql() -> None:
    """dbt injects ephemeral models into a query with sqlparse, which (0.5.4 and later) refuses
    statements of more than 10,000 tokens, a guard against untrusted input. A dry run compiles
    every v2 table with its ancestors inlined, which is longer than that and is our own SQL."""
    from sqlparse.engine import grouping
    grouping.MAX_GROUPING_TOKENS = None


def fire_only_events_a_logger_keeps() -> None:
    """dbt 1.7 turns every event into a log line for every logger (a protobuf message made into
    JSON, then scrubbed of secrets) and only then lets the logger's level drop it. A build's debug
    events (one per SQL statement, with its text) cost about a fifth of dbt's time that way, for
    lines nobody writes. An event below every logger's level is skipped before any of that; one
    that a logger keeps (--log-level-file debug keeps them all) is logged as before."""
    from dbt.events.base_types import EventLevel
    from dbt.events.eventmgr import EventManager
    from dbt.events.logger import _log_level_map as rank
    fire = EventManager.fire_event
    if getattr(fire, "skips_unkept_events", False):
        return

    def fire_event(self, e, level=None):
        if self.callbacks or any(rank[EventLevel(level or e.level_tag())] >= rank[EventLevel(logger.level)]
                                 for logger in self.loggers):
            fire(self, e, level)
    fire_event.skips_unkept_events = True
    EventManager.fire_event = fire_event


def share_one_empty_result() -> None:
    """dbt 1.7 answers every statement that fetches nothing with a new empty agate table, and
    each new agate table sets up date parsing (two parsedatetime locales): about 3% of a real
    run. Agate tables are immutable, so one empty table serves every such statement."""
    from dbt.clients import agate_helper
    if getattr(agate_helper.empty_table, "shared", False):
        return
    empty = agate_helper.empty_table()

    def empty_table():
        return empty
    empty_table.shared = True
    agate_helper.empty_table = empty_table


def main() -> None:
    allow_long_compiled_sql()
    fire_only_events_a_logger_keeps()
    share_one_empty_result()
    plain_connect = mysql.connector.connect

    def connect(*args, **kwargs):  # the options of the call under way (--serve changes them)
        return plain_connect(*args, **{**kwargs, **tls_options()})
    mysql.connector.connect = connect

    if sys.argv[1:] == ["--serve"]:
        serve(sys.stdin, sys.stdout)
        return
    from dbt.cli.main import cli
    sys.argv[0] = "dbt"
    cli()


DONE = "MOH-DBT-DONE "


def serve(requests, out) -> None:
    from dbt.cli.exceptions import DbtUsageException
    from dbt.cli.main import dbtRunner
    previous: dict = {}
    for line in requests:
        request = json.loads(line)
        for name in previous:  # one call's password or TLS files do not leak into the next
            os.environ.pop(name, None)
        previous = request["env"]
        os.environ.update(previous)
        result = dbtRunner().invoke(request["args"])
        if isinstance(result.exception, DbtUsageException):  # dbt's own command line prints these
            out.write(f"{result.exception}\n")
        code = 0 if result.success else 2 if result.exception is not None else 1
        out.write(f"{DONE}{code}\n")
        out.flush()


if __name__ == "__main__":
    main()
