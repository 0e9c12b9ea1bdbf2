"""Starts dbt for the driver, with the TLS settings of the config's URL.

dbt-mysql 1.7 passes no TLS options to mysql-connector, so a server that requires TLS (or a
CA the user wants verified) cannot be reached by a plain `dbt` call. The driver runs dbt through
this module instead: it adds the ssl_* options from the environment to every connection dbt
opens, then hands over to dbt's own command line.

  MOH_DB_SSL_CA, MOH_DB_SSL_CERT, MOH_DB_SSL_KEY   paths, as in the URL's ?ssl_ca= etc.
  MOH_DB_SSL_DISABLED=1                            no TLS (the URL asked for none)
"""
from __future__ import annotations

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


def main() -> None:
    allow_long_compiled_sql()
    options = tls_options()
    if options:
        plain_connect = mysql.connector.connect

        def connect(*args, **kwargs):
            return plain_connect(*args, **{**kwargs, **options})
        mysql.connector.connect = connect

    from dbt.cli.main import cli
    sys.argv[0] = "dbt"
    cli()


if __name__ == "__main__":
    main()
