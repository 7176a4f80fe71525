"""Read .ipynb files fast, normalised across nbformat versions, and strip outputs.

Reading follows nbformat's own readers (v1-v4) without importing nbformat:
a hook reads thousands of notebooks per commit, and most of their bytes are
base64 images that only need to be decoded by the C JSON scanner, once.

The top-level object, the `worksheets` (v2/v3) and the `cells` arrays are
walked by hand so that each cell's opening `{` offset is known; every value
inside them is decoded by `JSONDecoder.raw_decode` (C). The walk builds exactly
what `json.loads` would (duplicate keys: last wins).

Whatever parse_notebook accepts, nbformat reads too (Jupyter can open it):
the keys nbformat's readers need (notebook and v4 cell `metadata`, v2/v3 code
cell `outputs`) are required. Fields that are merely of the wrong type, which
nbformat reads and only its schema validation rejects, are read leniently
(the contract: a readable notebook that fails validation is not ML306): a
`source` that is not text reads as blank, an execution count that is not a
whole number as never executed (v1: what int() makes of it, as nbformat's
upgrade does), an empty `outputs` object or string as no
outputs, a cell without a `cell_type` as neither code nor prose. A list of
lines holding a non-string, `outputs` that is neither a list nor empty,
outputs that are not objects, or (v2/v3) have no `output_type`, nbformat
cannot read: errors. Other schema violations
(cell ids, extra keys, unknown cell types) are not errors either.
`nbformat_minor` is informational only: a missing or non-integer value reads
as None.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

_SUPPORTED_VERSIONS = (1, 2, 3, 4)
_decoder = json.JSONDecoder()
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _end_of_whitespace(text: str, pos: int = 0) -> int:
    """Where the JSON whitespace starting at `pos` ends (the pattern matches even nothing)."""
    match = _WHITESPACE.match(text, pos)
    assert match is not None
    return match.end()


_DENSE_CHUNK = 4096


@dataclass(frozen=True, slots=True)
class Cell:
    index: int  # 0-based over all cells (v2/v3: counted across worksheets)
    # "code" | "markdown" | "raw"; older versions' text/heading/html cells are
    # "markdown" as nbformat converts them; v4 keeps an unknown type as is.
    cell_type: str
    source: str
    execution_count: int | None  # v4 execution_count, v1-v3 prompt_number
    outputs: tuple[dict, ...]  # raw output dicts; empty for non-code cells
    line: int  # 1-based line of the file on which the cell's "{" stands


@dataclass(frozen=True, slots=True)
class Notebook:
    nbformat: int
    nbformat_minor: int | None
    cells: tuple[Cell, ...]
    metadata: dict


class NotebookError(Exception):
    """The bytes are not a notebook nbformat could read at all."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.message


def parse_notebook(data: bytes) -> Notebook:
    """Read a notebook of any nbformat version; raise NotebookError and nothing else."""
    document, cell_lines = _read_document(data)
    return _interpret(document, cell_lines)


def strip_outputs(data: bytes) -> bytes | None:
    """Empty every code cell's outputs and execution count; None if already clean.

    The result is what nbformat writes (indent 1, trailing newline), in the
    file's own key order and line endings, so an nbformat-written notebook
    comes out exactly as nbformat would write the stripped notebook.
    """
    document, cell_lines = _read_document(data)
    notebook = _interpret(document, cell_lines)
    changed = False
    for cell in _raw_cells(document, notebook.nbformat):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            cell["outputs"] = []
            changed = True
        if notebook.nbformat == 4:
            if cell.get("execution_count") is not None:
                cell["execution_count"] = None
                changed = True
        elif cell.get("prompt_number") is not None:
            # nbformat v1-v3 write an unexecuted cell without a prompt_number.
            del cell["prompt_number"]
            changed = True
    if not changed:
        return None
    stripped = _dump(document, keep_escapes=data.isascii())
    _check_nbformat_reads(stripped)
    first_line = data[: data.find(b"\n") + 1]
    # json.dumps escapes newlines in strings, so every \n here ends a line.
    if first_line.endswith(b"\r\n"):  # as nbformat writes on Windows
        stripped = stripped.replace(b"\n", b"\r\n")
    return stripped


def _dump(document: dict, keep_escapes: bool) -> bytes:
    # A pure-ASCII file keeps non-ASCII text \u-escaped (nbformat's v3 writer
    # escapes, v4 does not); a lone surrogate can only be written escaped.
    try:
        text = json.dumps(document, indent=1, ensure_ascii=keep_escapes) + "\n"
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _dump(document, keep_escapes=True)
    except RecursionError:
        raise NotebookError("the notebook is nested too deeply to rewrite") from None


def _check_nbformat_reads(stripped: bytes) -> None:
    from nbformat import reader  # only fixes need it, and they are rare

    try:
        reader.reads(stripped.decode("utf-8"))
    except Exception as error:  # nbformat raises many types; all mean "unreadable"
        raise NotebookError(f"nbformat cannot read the stripped notebook: {error}") from None


# -- reading the JSON -------------------------------------------------------


def _read_document(data: bytes) -> tuple[Any, dict[int, int]]:
    """Decode the file; return the JSON value and {id(cell dict): line}."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        raise NotebookError(f"not UTF-8 text: invalid byte at line {line}, column {column}", line, column) from None
    if text.startswith("\ufeff"):
        # nbformat (and json) refuse a byte-order mark, so Jupyter cannot open the file.
        raise NotebookError("not valid JSON: the file starts with a UTF-8 byte-order mark", 1, 1)
    if _end_of_whitespace(text) == len(text):
        raise NotebookError("the file is empty")
    walker = _Walker(text)
    try:
        document = walker.document()
    except json.JSONDecodeError as error:
        raise NotebookError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
            error.lineno,
            error.colno,
        ) from None
    except RecursionError:
        raise NotebookError("not a notebook: JSON nested too deeply to read") from None
    except ValueError as error:  # e.g. an integer literal longer than Python allows
        raise NotebookError(f"not valid JSON: {error}") from None
    return document, walker.cell_lines


class _Walker:
    """Walk the notebook's skeleton by hand, recording where each cell opens."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.cell_lines: dict[int, int] = {}
        self._line_pos = 0  # offsets only grow, so lines are counted incrementally
        self._line = 1

    def document(self) -> Any:
        self._skip()
        if self._peek() == "{":
            value = self._object(self._top_member)
        else:
            value = self._value()
        self._skip()
        if self.pos != len(self.text):
            self._fail("Extra data")
        return value

    def _top_member(self, key: str) -> Any:
        if key == "cells":
            return self._cells()
        if key == "worksheets" and self._peek() == "[":
            return self._array(self._worksheet)
        return self._value()

    def _worksheet(self) -> Any:
        if self._peek() != "{":
            return self._value()
        return self._object(lambda key: self._cells() if key == "cells" else self._value())

    def _cells(self) -> Any:
        if self._peek() != "[":
            return self._value()
        return self._array(self._cell)

    def _cell(self) -> Any:
        start = self.pos
        value = self._value()
        if isinstance(value, dict):
            self._line += _count_newlines(self.text, self._line_pos, start)
            self._line_pos = start
            self.cell_lines[id(value)] = self._line
        return value

    def _object(self, member: Callable[[str], Any]) -> dict:
        result: dict = {}
        self.pos += 1  # "{"
        self._skip()
        if self._peek() == "}":
            self.pos += 1
            return result
        while True:
            if self._peek() != '"':
                self._fail("Expecting property name enclosed in double quotes")
            key, self.pos = scanstring(self.text, self.pos + 1)
            self._skip()
            if self._peek() != ":":
                self._fail("Expecting ':' delimiter")
            self.pos += 1
            self._skip()
            result[key] = member(key)
            self._skip()
            delimiter = self._peek()
            self.pos += 1
            if delimiter == "}":
                return result
            if delimiter != ",":
                self.pos -= 1
                self._fail("Expecting ',' delimiter")
            self._skip()

    def _array(self, element: Callable[[], Any]) -> list:
        result: list = []
        self.pos += 1  # "["
        self._skip()
        if self._peek() == "]":
            self.pos += 1
            return result
        while True:
            result.append(element())
            self._skip()
            delimiter = self._peek()
            self.pos += 1
            if delimiter == "]":
                return result
            if delimiter != ",":
                self.pos -= 1
                self._fail("Expecting ',' delimiter")
            self._skip()

    def _value(self) -> Any:
        value, self.pos = _decoder.raw_decode(self.text, self.pos)
        return value

    def _peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def _skip(self) -> None:
        self.pos = _end_of_whitespace(self.text, self.pos)

    def _fail(self, message: str) -> None:
        raise json.JSONDecodeError(message, self.text, self.pos)


def _count_newlines(text: str, start: int, end: int) -> int:
    # str.count checks every character (~1.5 GB/s); find is memchr (~10 GB/s).
    # Outputs are mostly long base64 lines: find skips them, count takes the
    # short lines around them a chunk at a time.
    newlines = 0
    while start < end:
        found = text.find("\n", start, end)
        if found == -1:
            break
        start = min(found + _DENSE_CHUNK, end)
        newlines += text.count("\n", found, start)
    return newlines


# -- interpreting the notebook ----------------------------------------------


def _interpret(document: Any, cell_lines: dict[int, int]) -> Notebook:
    if not isinstance(document, dict):
        raise NotebookError(f"not a notebook: the JSON value is {_kind(document)}, not an object")
    if "nbformat" not in document:
        raise NotebookError('not a notebook: no "nbformat" key')
    version = document["nbformat"]
    if type(version) is not int or version not in _SUPPORTED_VERSIONS:
        raise NotebookError(f"not a notebook nbformat can read: nbformat is {version!r}")
    raw_cells = _raw_cells(document, version)
    metadata = document.get("metadata", {} if version == 1 else None)
    if not isinstance(metadata, dict):
        # nbformat fails to read (and Jupyter to open) a v2-v4 notebook without it.
        raise NotebookError(f'not a notebook: "metadata" is {_kind(metadata)}, not an object')
    cells = tuple(_cell(index, raw, version, cell_lines[id(raw)]) for index, raw in enumerate(raw_cells))
    minor = document.get("nbformat_minor")
    return Notebook(
        nbformat=version,
        nbformat_minor=minor if type(minor) is int else None,
        cells=cells,
        metadata=metadata,
    )


def _raw_cells(document: dict, version: int) -> list[dict]:
    """The cell dicts in order; v2/v3 keep them in worksheets, flattened as nbformat does."""
    if version in (1, 4):
        containers = [document]
    else:
        containers = _list_of_objects(document, "worksheets", "worksheet")
    cells: list[dict] = []
    for container in containers:
        cells.extend(_list_of_objects(container, "cells", "cell"))
    return cells


def _list_of_objects(parent: dict, key: str, item_name: str) -> list[dict]:
    if key not in parent:
        raise NotebookError(f'not a notebook: no "{key}" list')
    items = parent[key]
    if not isinstance(items, list):
        raise NotebookError(f'not a notebook: "{key}" is {_kind(items)}, not a list')
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            raise NotebookError(f"not a notebook: {item_name} {position} is {_kind(item)}, not an object")
    return items


def _cell(index: int, raw: dict, version: int, line: int) -> Cell:
    # Wrongly typed fields that nbformat still reads (it only fails validation
    # on them) are read leniently: a schema-invalid notebook is not unreadable.
    cell_type = raw.get("cell_type")
    if not isinstance(cell_type, str):
        cell_type = "raw"  # neither code nor prose: no code rule applies to it
    # The next three are what nbformat's readers and converters need to read a cell.
    if version == 4 and not isinstance(raw.get("metadata"), dict):
        raise NotebookError(f'cell {index} has no "metadata" object', line)
    if version == 1 and cell_type not in ("code", "text"):
        raise NotebookError(f'cell {index}: an nbformat 1 cell is "code" or "text"', line)
    if version in (2, 3) and cell_type == "code" and "outputs" not in raw:
        raise NotebookError(f'cell {index} has no "outputs" list', line)
    if version == 4:
        source_key, count_key = "source", "execution_count"
    elif version == 1:
        source_key, count_key = ("code" if cell_type == "code" else "text"), "prompt_number"
    else:
        source_key, count_key = ("input" if cell_type == "code" else "source"), "prompt_number"
    source = _source(raw.get(source_key, ""), version, index, source_key, line)
    if cell_type != "code":
        if version == 4:  # other cell types stay what they are, as in nbformat
            return Cell(index, cell_type, source, None, (), line)
        if cell_type == "heading":  # converted as nbformat's v3 -> v4 upgrade does
            if not isinstance(raw.get(source_key, ""), (str, list)):  # the upgrade splits it into lines
                raise NotebookError(
                    f'cell {index}: a heading\'s "{source_key}" is {_kind(raw[source_key])}, not text', line
                )
            level = raw.get("level", 1)
            if type(level) is not int:
                raise NotebookError(f'cell {index}: "level" is {_kind(level)}, not an integer', line)
            source = "#" * level + " " + " ".join(source.splitlines())
            cell_type = "markdown"
        elif cell_type == ("text" if version == 1 else "html"):
            cell_type = "markdown"
        return Cell(index, cell_type, source, None, (), line)
    outputs = raw.get("outputs", [])
    if not isinstance(outputs, list):
        # nbformat iterates whatever is there: only an empty one reads (as none).
        if outputs != {} and outputs != "":
            raise NotebookError(f'cell {index}: "outputs" is {_kind(outputs)}, not a list', line)
        outputs = []
    elif not all(isinstance(output, dict) for output in outputs):
        raise NotebookError(f'cell {index}: "outputs" holds something that is not an object', line)
    elif version in (2, 3) and not all("output_type" in output for output in outputs):
        raise NotebookError(f'cell {index}: an output has no "output_type"', line)  # the v4 upgrade needs it
    count = _v1_count(raw.get(count_key), index, line) if version == 1 else _count(raw.get(count_key))
    return Cell(index, "code", source, count, tuple(outputs), line)


def _count(value: Any) -> int | None:
    """An execution count; anything but a whole number reads as never executed."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return None


def _v1_count(value: Any, index: int, line: int) -> int | None:
    """nbformat's v1 -> v2 upgrade takes int() of any prompt number; what int() refuses, it cannot read."""
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise NotebookError(f'cell {index}: "prompt_number" is {_kind(value)}, not a number', line) from None


def _source(value: Any, version: int, index: int, key: str, line: int) -> str:
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return ""  # not text: nothing a rule could read in it
    parts = value
    if not all(isinstance(part, str) for part in parts):
        # nbformat itself fails joining such a list: the notebook cannot be opened.
        raise NotebookError(f'cell {index}: "{key}" is a list holding something that is not a string', line)
    # Lists of lines are rejoined as each version's reader does (v1 never split).
    if version == 2 or (version == 3 and parts and not parts[0].endswith(("\n", "\r"))):
        return "\n".join(parts)  # lines split without their endings
    return "".join(parts)


def _kind(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    names: dict[type, str] = {dict: "an object", list: "a list", str: "a string"}
    return names.get(type(value), "a number")
