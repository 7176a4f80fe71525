"""Safe YAML loading that remembers where every value came from.

Spec and config files are untrusted (a pull request can change them), so we
only ever use the safe loader, bound the file size and the expanded size of
aliases ("billion laughs"), and keep the node tree to point errors at lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ml_lint.errors import SpecError
from ml_lint.repo.fs import read_file

MAX_BYTES = 1_000_000
MAX_NODES = 100_000

# Prefer the C loader when PyYAML was built with it: same safety, much faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlDocument:
    """A parsed YAML file: its data plus the node tree for error locations."""

    def __init__(self, file: str, data: Any, node: yaml.Node | None):
        self.file, self.data, self.node = file, data, node

    def line_of(self, loc: tuple) -> int | None:
        """1-based line of the key (or list item) at `loc`, or of its nearest parent."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            found = _child(node, part) if node is not None else None
            if found is None:
                break
            line, node = found
        return line


def _child(node: yaml.Node, part: Any) -> tuple[int, yaml.Node] | None:
    """(line of the key or item, its value) one step down from `node`."""
    if isinstance(node, yaml.MappingNode) and isinstance(part, int):
        return node.start_mark.line + 1, node  # a single mapping where a list of them is also accepted
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return key.start_mark.line + 1, value
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item = node.value[part]
        return item.start_mark.line + 1, item
    return None


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    # Aliases share nodes, so a memo keeps this linear in the file while the
    # result is the size the data would have once expanded.
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # cycles (recursive aliases) count once
    size = 1
    if isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(v, memo) for v in node.value)
    memo[key] = size
    return size


def parse_yaml(text: str, file: str) -> YamlDocument:
    if len(text) > MAX_BYTES:
        raise SpecError(file, None, None, f"file is larger than {MAX_BYTES} bytes")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node, {}) > MAX_NODES:
            raise SpecError(file, None, None, f"more than {MAX_NODES} values once aliases are expanded")
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SpecError(file, line, None, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise SpecError(file, None, None, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise SpecError(file, None, None, "YAML nested too deeply") from None
    finally:
        loader.dispose()
    return YamlDocument(file, data, node)


def load_yaml(path: Path, display: str | None = None) -> YamlDocument:
    file = display or str(path)
    try:
        raw = read_file(path, limit=MAX_BYTES, follow_symlinks=True)
    except OSError as exc:
        raise SpecError(file, None, None, f"cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError(file, None, None, "file is not UTF-8 text") from None
    return parse_yaml(text, file)
