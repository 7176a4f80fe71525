"""What every check kind shares: its options base class and the run context."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from pathspec import PathSpec

from ml_lint.comparison import Comparison
from ml_lint.model import StrictModel
from ml_lint.patterns import NamePattern, Placeholder
from ml_lint.repo import Repository

if TYPE_CHECKING:
    from ml_lint.notebook import Notebook, NotebookError


class CheckOptions(StrictModel):
    """Options of one check kind; subclasses add `kind: Literal[...]` and their fields."""


class CheckSkipped(Exception):
    """A check cannot run here (e.g. no git history); the message says why, as a note."""


@dataclass
class Context:
    """What a check may look at during one run. Checks never run git themselves."""

    repo: Repository
    placeholders: dict[str, Placeholder]
    # Files named on the command line (as pre-commit passes them); None means
    # the whole repository. Per-file checks look only at these.
    targets: frozenset[str] | None = None
    # What "changed" means in this run (see ml_lint.comparison).
    comparison: Comparison = Comparison()
    notes: list[str] = field(default_factory=list)
    _notebooks: dict[str, object] = field(default_factory=dict)

    def candidates(self, folder: str = "") -> list[str]:
        """Files below `folder` that per-file checks should look at."""
        files = self.repo.files_under(folder)
        if self.targets is None:
            return files
        return [f for f in files if f in self.targets]

    def targeted(self, path: str) -> bool:
        """Whether `path` (a file, or a folder ending in '/') concerns this run's targets."""
        if self.targets is None:
            return True
        if path.endswith("/"):
            return any(t.startswith(path) for t in self.targets)
        return path in self.targets

    def pattern(self, template: str) -> NamePattern:
        return _compile(template, tuple(sorted(self.placeholders.items())))

    def notebook(self, path: str) -> Notebook | NotebookError | OSError:
        """The parsed notebook (parsed once per run), or why it could not be read."""
        if path not in self._notebooks:
            from ml_lint.notebook import NotebookError, parse_notebook

            try:
                self._notebooks[path] = parse_notebook(self.repo.read_bytes(path))
            except (NotebookError, OSError) as exc:
                self._notebooks[path] = exc
        return self._notebooks[path]


@lru_cache(maxsize=256)
def _compile(template: str, placeholders: tuple) -> NamePattern:
    return NamePattern.compile(template, dict(placeholders))


@lru_cache(maxsize=256)
def path_spec(patterns: tuple[str, ...]) -> PathSpec:
    """gitignore-style patterns, compiled once."""
    return PathSpec.from_lines("gitignore", patterns)


def literal_prefix(pattern: str) -> str:
    """The folder a gitignore-style pattern is anchored in ('' if it can match anywhere)."""
    pattern = pattern.lstrip("/")
    head = pattern.split("/")
    folder = []
    for part in head[:-1]:
        if any(c in part for c in "*?[\\!"):
            break
        folder.append(part)
    return "/".join(folder) if len(head) > 1 else ""
