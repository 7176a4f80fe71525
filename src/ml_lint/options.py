"""What a spec may say to each check kind: the options models, one per kind.

These pydantic models are the schema of a rule's `check:` entries. They
validate specs and configs and generate the docs and JSON Schemas; a check
run never imports them: it gets the validated options as plain attributes
(see ml_lint.ruleset), so a warm run pays no pydantic start-up. Each check
module's docstring describes its options for users.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from ml_lint.model import StrictModel
from ml_lint.pathmatch import check_inside, check_patterns
from ml_lint.regexsafety import check_regex


def _gitignore_patterns(patterns: list[str]) -> list[str]:
    try:
        check_patterns(patterns)
    except ValueError as exc:
        raise ValueError(f"not a gitignore pattern: {exc}") from None
    return patterns


def _repo_paths(paths: list[str]) -> list[str]:
    check_inside(paths)
    return paths


# Paths and folders (with `*` wildcards) of the repository, never outside it.
RepoPaths = Annotated[list[str], AfterValidator(_repo_paths)]

# gitignore-style patterns of the files a check looks at (at least one).
Patterns = Annotated[list[str], Field(min_length=1), AfterValidator(_gitignore_patterns)]


class CheckOptions(StrictModel):
    """Options of one check kind; subclasses add `kind: Literal[...]` and their fields."""

    def name_templates(self) -> list[str]:
        """Naming templates whose placeholders the spec must define."""
        return []


class RequiredPaths(CheckOptions):
    kind: Literal["required-paths"]
    paths: RepoPaths


class RequiredFile(CheckOptions):
    kind: Literal["required-file"]
    folders: RepoPaths = Field(min_length=1)
    any_of: RepoPaths = Field(min_length=1)


class ForbiddenPaths(CheckOptions):
    kind: Literal["forbidden-paths"]
    paths: Patterns
    ignore_case: bool = False
    message: str = "'{path}' must not be committed"


class ForbiddenText(CheckOptions):
    kind: Literal["forbidden-text"]
    files: RepoPaths
    markers: list[str] = Field(min_length=1)


class StaleKeepFile(CheckOptions):
    kind: Literal["stale-keep-file"]
    name: str = ".gitkeep"


class Gitignored(CheckOptions):
    kind: Literal["gitignored"]
    folders: RepoPaths = Field(min_length=1)
    keep: list[str] = [".gitkeep"]


class Naming(CheckOptions):
    kind: Literal["naming"]
    folders: RepoPaths = Field(min_length=1)
    patterns: list[str] = Field(min_length=1)
    entries: Literal["all", "files", "folders"] = "all"
    skip: RepoPaths = []
    include_ignored: bool = False

    def name_templates(self) -> list[str]:
        return self.patterns


class NotebookOutputs(CheckOptions):
    kind: Literal["notebook-outputs"]
    paths: Patterns
    outputs: Literal["required", "forbidden"]


class ExecutionOrder(CheckOptions):
    kind: Literal["execution-order"]
    paths: Patterns


class NotebookTitle(CheckOptions):
    kind: Literal["notebook-title"]
    paths: Patterns


class InvalidNotebook(CheckOptions):
    kind: Literal["invalid-notebook"]
    paths: Annotated[list[str], AfterValidator(_gitignore_patterns)] = ["*.ipynb"]


class CodePattern(StrictModel):
    regex: str
    message: str

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        check_regex(value)  # the regex comes with the repo: it must stay fast on any cell
        return value


class CodePatterns(CheckOptions):
    kind: Literal["code-pattern"]
    paths: Patterns
    patterns: list[CodePattern] = Field(min_length=1)


class Unchanged(CheckOptions):
    kind: Literal["unchanged"]
    paths: Patterns


class SingleAuthor(CheckOptions):
    kind: Literal["single-author"]
    paths: Patterns
    max_authors: int = Field(default=1, ge=1)


# kind -> its options model, in the order of ml_lint.checks.KINDS.
OPTIONS: dict[str, type[CheckOptions]] = {
    model.model_fields["kind"].annotation.__args__[0]: model
    for model in (
        RequiredPaths, RequiredFile, ForbiddenPaths, ForbiddenText, StaleKeepFile, Gitignored, Naming,
        NotebookOutputs, ExecutionOrder, NotebookTitle, InvalidNotebook, CodePatterns, Unchanged, SingleAuthor,
    )
}  # fmt: skip
