"""The exception tree.

    ClaimlineError
     ├── InputError          bad input file or record (path=…, line=…)
     ├── ConfigError         bad configuration (key=…)
     ├── BackendUnavailable  an optional backend is not installed
     └── StoreError          the database cannot be read or written
"""

from __future__ import annotations


class ClaimlineError(Exception):
    """Root of every error claimline raises on purpose."""


class InputError(ClaimlineError):
    """A file or record could not be read; names the file and, where known, the line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.problem = message
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class ConfigError(ClaimlineError):
    def __init__(self, message: str, *, key: str | None = None) -> None:
        self.key = key
        super().__init__(f"{key}: {message}" if key else message)


class BackendUnavailable(ClaimlineError):
    def __init__(self, name: str, *, install: str | None = None) -> None:
        self.name = name
        hint = f" (try: {install})" if install else ""
        super().__init__(f"backend {name!r} is not available{hint}")


class StoreError(ClaimlineError):
    pass
