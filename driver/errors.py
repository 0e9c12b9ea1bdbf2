"""How a run ends: exit codes, and the one-line failure every phase raises."""
from __future__ import annotations

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_CONNECTION, EXIT_PREFLIGHT, EXIT_INTERNAL, EXIT_BUSY = 0, 1, 2, 3, 4, 5, 6


class RunFailed(Exception):
    def __init__(self, message: str, code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code
