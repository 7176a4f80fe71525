"""The registry of check kinds: the only place that lists them.

Each module of this package defines one kind: its `Options` (a frozen
dataclass, the one definition of what a spec may say to it), its check
function and a `KIND` record (ml_lint.checks.base.Kind) that says what else
it offers. Adding a kind is one module and one line below; CONTRIBUTING.md
has the recipe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Union

from ml_lint.checks import (
    code_pattern,
    execution_order,
    forbidden_paths,
    forbidden_text,
    gitignored,
    invalid_notebook,
    naming,
    notebook_outputs,
    notebook_title,
    required_file,
    required_paths,
    single_author,
    stale_keep_file,
    unchanged,
)
from ml_lint.checks.base import CheckOptions, Kind

KINDS: dict[str, Kind[Any]] = {
    module.KIND.name: module.KIND
    for module in (
        required_paths,
        required_file,
        forbidden_paths,
        forbidden_text,
        stale_keep_file,
        gitignored,
        naming,
        notebook_outputs,
        execution_order,
        notebook_title,
        invalid_notebook,
        code_pattern,
        unchanged,
        single_author,
    )
}


class ByKind:
    """Annotated marker: pydantic picks the options type by the `kind` key (cold side only)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field

        return handler.generate_schema(Annotated[source, Field(discriminator="kind")])


if TYPE_CHECKING:
    AnyOptions = CheckOptions
else:  # the options of any registered kind, told apart by `kind`
    AnyOptions = Annotated[Union[tuple(kind.options for kind in KINDS.values())], ByKind()]  # noqa: UP007
