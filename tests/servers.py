"""Throwaway MariaDB servers for tests (moh_dev.tempserver, shared with the copy benchmark)."""
from __future__ import annotations

from pathlib import Path

from moh_dev.tempserver import TempServer, free_port  # noqa: F401 - tests import them from here


def started_server(directory: Path):
    """A TempServer installed and started in `directory`, stopped when the generator closes
    (the body of a module-scoped fixture)."""
    server = TempServer(directory)
    server.install()
    server.start()
    yield server
    server.stop()
