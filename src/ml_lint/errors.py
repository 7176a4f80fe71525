"""Errors that end a run with exit code 2: the tool could not do its job."""

from __future__ import annotations


class UsageError(Exception):
    """Bad input from the user: the message says what to do. Never a traceback."""


class SpecError(UsageError):
    """An invalid spec or config file, located as precisely as we can."""

    def __init__(self, file: str, line: int | None, key: str | None, problem: str, what: str = "configuration"):
        self.file, self.line, self.key, self.problem, self.what = file, line, key, problem, what
        where = f"{file}:{line}" if line else file
        at = f" at '{key}'" if key else ""
        super().__init__(f"{where}: invalid {what}{at}: {problem}")

    def in_spec(self) -> SpecError:
        """The same error, labelled as one in a spec file rather than the config."""
        return SpecError(self.file, self.line, self.key, self.problem, what="spec")
