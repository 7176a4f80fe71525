import copy
import json

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat import v3, v4

from ml_lint.notebooks.reader import Cell, NotebookError, parse_notebook, strip_outputs

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\n"


def nbformat_reads(text: str):
    """Read as Jupyter does: any version, converted to v4 (without validation logging)."""
    return nbformat.converter.convert(nbformat.reader.reads(text), 4)


def written(notebook) -> bytes:
    """The bytes nbformat.write puts in a file."""
    return (nbformat.writes(notebook) + "\n").encode("utf-8")


def cell_brace_lines(data: bytes) -> list[int]:
    """Lines of cell objects in an nbformat-written v4 file (indent 1: cells sit at depth 2)."""
    return [n for n, line in enumerate(data.decode().splitlines(), 1) if line == "  {"]


def executed_v4_notebook():
    return v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# Sales EDA\nWhat sells."),
            v4.new_code_cell(
                "print('hello')",
                execution_count=1,
                outputs=[v4.new_output("stream", name="stdout", text="hello\nworld\n")],
            ),
            v4.new_code_cell(
                "1 + 1",
                execution_count=2,
                outputs=[v4.new_output("execute_result", {"text/plain": "2"}, execution_count=2)],
            ),
            v4.new_code_cell(
                "plot()",
                execution_count=3,
                outputs=[v4.new_output("display_data", {"image/png": PNG, "text/plain": "<Figure>"})],
            ),
            v4.new_code_cell(
                "1 / 0",
                execution_count=4,
                outputs=[
                    v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=["tb"])
                ],
            ),
            v4.new_code_cell("", execution_count=None),
            v4.new_raw_cell("raw text"),
        ],
        metadata={"ml-lint": {"ignore": ["ML304"]}},
    )


def test_v4_cells_types_sources_counts_and_outputs():
    data = written(executed_v4_notebook())

    notebook = parse_notebook(data)

    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert notebook.metadata == {"ml-lint": {"ignore": ["ML304"]}}
    cells = notebook.cells
    assert [c.index for c in cells] == list(range(7))
    assert [c.cell_type for c in cells] == ["markdown"] + ["code"] * 5 + ["raw"]
    assert cells[0].source == "# Sales EDA\nWhat sells."  # written as a list of lines
    assert [c.execution_count for c in cells] == [None, 1, 2, 3, 4, None, None]
    output_types = [[o["output_type"] for o in c.outputs] for c in cells]
    assert output_types == [[], ["stream"], ["execute_result"], ["display_data"], ["error"], [], []]
    assert cells[3].outputs[0]["data"]["image/png"] == PNG
    assert cells[5].source == ""
    assert [c.line for c in cells] == cell_brace_lines(data)


def test_cell_lines_after_big_outputs():
    big_png = "A" * 200_000
    log = "".join(f"step {i}\n" for i in range(3000))
    cells = [
        v4.new_code_cell("show()", outputs=[v4.new_output("display_data", {"image/png": big_png})]),
        v4.new_code_cell("train()", outputs=[v4.new_output("stream", name="stdout", text=log)]),
        v4.new_code_cell("show()", outputs=[v4.new_output("display_data", {"image/png": big_png})] * 2),
        v4.new_markdown_cell("done"),
    ]
    data = written(v4.new_notebook(cells=cells))

    assert [c.line for c in parse_notebook(data).cells] == cell_brace_lines(data)


def test_same_cells_as_nbformat_reads_for_every_version():
    v2_text = json.dumps(
        {
            "metadata": {"name": "old"},
            "nbformat": 2,
            "worksheets": [
                {
                    "cells": [
                        {"cell_type": "markdown", "source": "# Old"},
                        {
                            "cell_type": "code",
                            "input": ["a = 1", "b = 2"],
                            "prompt_number": 5,
                            "outputs": [{"output_type": "pyout", "text": "1"}],
                            "language": "python",
                        },
                    ]
                }
            ],
        }
    )
    v1_text = json.dumps(
        {
            "nbformat": 1,
            "cells": [
                {"cell_type": "text", "text": "Intro"},
                {"cell_type": "code", "code": "x = 1", "prompt_number": 2},
            ],
        }
    )
    v3_text = nbformat.writes(
        v3.new_notebook(
            worksheets=[
                v3.new_worksheet(
                    cells=[
                        v3.new_heading_cell("A title\nover two lines", level=2),
                        v3.new_code_cell("x = 1\ny = 2", prompt_number=7, outputs=[]),
                    ]
                ),
                v3.new_worksheet(cells=[v3.new_text_cell("raw", source="r"), v3.new_code_cell("z")]),
            ]
        )
    )
    v4_text = nbformat.writes(executed_v4_notebook())

    for text in (v1_text, v2_text, v3_text, v4_text):
        expected = nbformat.reads(text, as_version=4).cells
        cells = parse_notebook(text.encode()).cells
        assert [(c.cell_type, c.source, c.execution_count, len(c.outputs)) for c in cells] == [
            (e.cell_type, e.source, e.get("execution_count"), len(e.get("outputs", []))) for e in expected
        ], text


def test_v3_cells_are_counted_across_worksheets_with_their_lines():
    notebook = v3.new_notebook(
        worksheets=[
            v3.new_worksheet(cells=[v3.new_heading_cell("Title", level=1), v3.new_code_cell("a", prompt_number=1)]),
            v3.new_worksheet(cells=[v3.new_code_cell("b")]),
        ]
    )
    data = nbformat.writes(notebook).encode()
    # v3 cells sit one level deeper than v4 cells: worksheets -> {} -> cells -> {}.
    brace_lines = [n for n, line in enumerate(data.decode().splitlines(), 1) if line == "    {"]

    cells = parse_notebook(data).cells

    assert [(c.index, c.cell_type, c.source, c.execution_count) for c in cells] == [
        (0, "markdown", "# Title", None),
        (1, "code", "a", 1),
        (2, "code", "b", None),
    ]
    assert [c.line for c in cells] == brace_lines


MINIFIED = (
    '{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"cell_type":"markdown",'
    '"metadata":{},"source":"# T"},{"cell_type":"code","metadata":{},"source":["x"],'
    '"execution_count":null,"outputs":[]}]}'
)
INDENT_2_WITH_ODD_BRACES = """{
  "nbformat": 4,
  "metadata": {"note": "a string with \\n and { braces [ inside"},
  "cells": [{
      "cell_type": "markdown", "metadata": {}, "source": "# T"
    },

    {"cell_type": "code", "metadata": {}, "source": "x",
     "execution_count": 1, "outputs": []},
    {
      "cell_type": "code", "metadata": {}, "source": "y", "execution_count": 2, "outputs": []
    }
  ],
  "nbformat_minor": 4
}
"""


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (MINIFIED, [1, 1]),
        (INDENT_2_WITH_ODD_BRACES, [4, 8, 10]),
        (INDENT_2_WITH_ODD_BRACES.replace("\n", "\r\n"), [4, 8, 10]),
        ('\n\n{"nbformat": 4, "metadata": {}, "cells": [\n\n\n{"cell_type": "raw", "metadata": {}}]}', [6]),
    ],
    ids=["minified", "indent-2", "crlf", "leading-blank-lines"],
)
def test_cell_line_is_where_its_brace_opens(text, lines):
    assert [c.line for c in parse_notebook(text.encode()).cells] == lines


@pytest.mark.parametrize("source", ["", [], None, "   \n"], ids=["empty", "empty-list", "missing", "blank"])
def test_blank_sources_read_as_text(source):
    cell = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": []}
    if source is not None:
        cell["source"] = source
    data = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]})

    (parsed,) = parse_notebook(data.encode()).cells

    assert parsed == Cell(0, "code", "" if source != "   \n" else "   \n", None, (), 1)


@pytest.mark.parametrize(
    "notebook",
    [
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []},
        {"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, "id": "bad id!"}]},
        {"nbformat": 4, "nbformat_minor": "five", "metadata": {}, "cells": [], "extra": True},
        {"nbformat": 3, "metadata": {}, "worksheets": []},
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "new", "metadata": {}}]},
        {"nbformat": 1, "cells": [{"cell_type": "code"}]},
    ],
    ids=["no-cells", "bad-id-no-minor", "odd-minor-extra-key", "v3-no-worksheets", "unknown-cell-type", "v1"],
)
def test_schema_invalid_but_readable_notebooks_parse(notebook):
    nbformat_reads(json.dumps(notebook))  # nbformat reads it too

    parsed = parse_notebook(json.dumps(notebook).encode())

    assert parsed.nbformat == notebook["nbformat"]


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "the file is empty", None),
        (b"  \n", "the file is empty", None),
        (b"\xff\xfe", "not UTF-8", 1),
        (b'{\n "nbformat": 4,\n "cells": [\xe9]}', "not UTF-8 text: invalid byte at line 3, column 12", 3),
        (b'\xef\xbb\xbf{"nbformat": 4, "cells": []}', "byte-order mark", 1),
        (b'{"nbformat": 4,\n "cells": [', "not valid JSON: Expecting value at line 2, column 12", 2),
        (b'{"nbformat": 4, "cells": [{"cell_type": "code"', "Expecting ',' delimiter", 1),
        (b'{"nbformat": 4 "cells": []}', "Expecting ',' delimiter at line 1, column 16", 1),
        (b'{"nbformat": 4, "cells": [], }', "Expecting property name", 1),
        (b'{"nbformat": 4, "cells": []} []', "Extra data", 1),
        (b'{"nbformat": 4, "cells": ["unterminated]}', "Unterminated string", 1),
        (b"[]", "the JSON value is a list, not an object", None),
        (b'"notebook"', "the JSON value is a string", None),
        (b'{"cells": 5}', 'no "nbformat" key', None),
        (b'{"nbformat": 4, "cells": 5}', '"cells" is a number, not a list', None),
        (b'{"nbformat": 4}', 'no "cells" list', None),
        (b'{"nbformat": 3, "cells": []}', 'no "worksheets" list', None),
        (b'{"nbformat": 3, "worksheets": [{"cells": [[]]}]}', "cell 0 is a list, not an object", None),
        (b'{"nbformat": 3, "worksheets": [7]}', "worksheet 0 is a number", None),
        (b'{"nbformat": 5, "cells": []}', "nbformat is 5", None),
        (b'{"nbformat": "4", "cells": []}', "nbformat is '4'", None),
        (b'{"nbformat": 4, "cells": [], "metadata": []}', '"metadata" is a list', None),
        (b'{"nbformat": 4, "cells": []}', '"metadata" is null, not an object', None),
        (b'{"nbformat": 2, "worksheets": []}', '"metadata" is null', None),
        (b"[" * 100_000, "nested too deeply", None),
        (b'{"nbformat": 4, "cells": [' + b"[" * 100_000, "nested too deeply", None),
        (b"1" * 5000, "not valid JSON", None),
    ],
)
def test_unreadable_files_raise_notebook_error(data, message, line):
    with pytest.raises(NotebookError) as error:
        parse_notebook(data)

    assert message in error.value.message
    assert str(error.value) == error.value.message
    assert error.value.line == line


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ({"cell_type": "code", "source": 5}, ("code", "", None, 0)),
        ({"cell_type": "markdown", "source": None}, ("markdown", "", None, 0)),
        ({"cell_type": "code", "source": "", "outputs": {}}, ("code", "", None, 0)),
        ({"cell_type": "code", "source": "", "outputs": [{"text": "x"}]}, ("code", "", None, 1)),
        ({"cell_type": "code", "source": "", "execution_count": "3"}, ("code", "", None, 0)),
        ({"cell_type": "code", "source": "", "execution_count": True}, ("code", "", None, 0)),
        ({"cell_type": "code", "source": "", "execution_count": 2.0}, ("code", "", 2, 0)),
        ({"source": "x"}, ("raw", "x", None, 0)),
    ],
)
def test_wrongly_typed_cell_fields_are_read_leniently_as_nbformat_does(cell, expected):
    text = '{"nbformat": 4, "metadata": {},\n "cells": [{"cell_type": "raw", "metadata": {}},\n'
    text += json.dumps({"metadata": {}, **cell}) + "]}"

    parsed = parse_notebook(text.encode()).cells[1]

    assert (parsed.cell_type, parsed.source, parsed.execution_count, len(parsed.outputs)) == expected
    assert parsed.line == 3
    nbformat_reads(text)  # nbformat reads it too: not an unreadable notebook


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ({"cell_type": "markdown", "metadata": None}, 'no "metadata" object'),
        ({"cell_type": "code", "source": ["a", 1]}, '"source" is a list holding something that is not a string'),
        ({"cell_type": "code", "source": "", "outputs": ["text"]}, '"outputs" holds something that is not an object'),
    ],
)
def test_what_nbformat_cannot_read_is_unreadable_and_names_the_cell(cell, message):
    text = '{"nbformat": 4, "metadata": {},\n "cells": [{"cell_type": "raw", "metadata": {}},\n'
    text += json.dumps({"metadata": {}, **cell}) + "]}"

    with pytest.raises(NotebookError) as error:
        parse_notebook(text.encode())

    assert error.value.message.startswith("cell 1") and message in error.value.message
    assert error.value.line == 3
    with pytest.raises(Exception):  # noqa: B017 - nbformat raises several types
        nbformat_reads(text)


@pytest.mark.parametrize(
    ("notebook", "message"),
    [
        ({"nbformat": 1, "cells": [{"cell_type": "markdown"}]}, 'cell 0: an nbformat 1 cell is "code" or "text"'),
        ({"nbformat": 3, "metadata": {}, "worksheets": [{"cells": [{"cell_type": "code"}]}]}, 'no "outputs" list'),
        (
            {"nbformat": 3, "metadata": {}, "worksheets": [{"cells": [{"cell_type": "heading", "level": None}]}]},
            '"level" is null',
        ),
    ],
)
def test_old_version_cells_nbformat_cannot_read_are_errors(notebook, message):
    with pytest.raises(Exception):  # noqa: B017 - nbformat raises several types
        nbformat_reads(json.dumps(notebook))
    with pytest.raises(NotebookError, match=message):
        parse_notebook(json.dumps(notebook).encode())


def test_duplicate_keys_keep_the_last_value_like_json_loads():
    text = '{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "raw"}],\n"cells": [\n'
    text += '{"cell_type": "markdown", "metadata": {}, "source": "m"}]}'

    (cell,) = parse_notebook(text.encode()).cells

    assert (cell.cell_type, cell.source, cell.line) == ("markdown", "m", 3)


def stripped_copy(notebook):
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return notebook


def test_strip_equals_nbformat_writing_the_stripped_notebook():
    notebook = executed_v4_notebook()

    stripped = strip_outputs(written(notebook))

    assert stripped == written(stripped_copy(notebook))
    assert strip_outputs(stripped) is None


def test_strip_keeps_crlf_line_endings():
    notebook = executed_v4_notebook()
    crlf = written(notebook).replace(b"\n", b"\r\n")

    stripped = strip_outputs(crlf)

    assert stripped == written(stripped_copy(notebook)).replace(b"\n", b"\r\n")
    assert strip_outputs(stripped) is None


def test_strip_keeps_non_ascii_text_and_the_files_key_order():
    text = (
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {"title": "Données 数据"}, "cells": [\n'
        '{"source": ["print(\'héllo\')"], "outputs": [{"output_type": "stream", "name": "stdout", '
        '"text": "héllo"}], "execution_count": 3, "cell_type": "code", "metadata": {}}]}'
    )

    stripped = strip_outputs(text.encode())

    assert stripped.decode() == (
        "{\n"
        ' "nbformat": 4,\n'
        ' "nbformat_minor": 5,\n'
        ' "metadata": {\n'
        '  "title": "Données 数据"\n'
        " },\n"
        ' "cells": [\n'
        "  {\n"
        '   "source": [\n'
        "    \"print('héllo')\"\n"
        "   ],\n"
        '   "outputs": [],\n'
        '   "execution_count": null,\n'
        '   "cell_type": "code",\n'
        '   "metadata": {}\n'
        "  }\n"
        " ]\n"
        "}\n"
    )
    assert nbformat_reads(stripped.decode()).cells[0].source == "print('héllo')"


def test_strip_v3_removes_prompt_numbers_as_nbformat_writes_them():
    def notebook(executed: bool):
        outputs = [v3.new_output("pyout", output_text="1", prompt_number=1)] if executed else []
        return v3.new_notebook(
            worksheets=[
                v3.new_worksheet(
                    cells=[
                        v3.new_heading_cell("Überblick", level=1),
                        v3.new_code_cell("x = 'ü'", prompt_number=1 if executed else None, outputs=outputs),
                    ]
                )
            ]
        )

    stripped = strip_outputs(written(notebook(executed=True)))

    assert stripped == written(notebook(executed=False))  # v3's writer escapes non-ASCII
    assert strip_outputs(stripped) is None


def test_strip_returns_none_for_a_clean_notebook_even_if_oddly_formatted():
    assert strip_outputs(MINIFIED.encode()) is None
    assert strip_outputs(written(stripped_copy(executed_v4_notebook()))) is None


def test_strip_rejects_unreadable_input():
    with pytest.raises(NotebookError):
        strip_outputs(b'{"cells": []}')


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)
raw_cells = st.fixed_dictionaries(
    {"cell_type": st.sampled_from(["code", "markdown", "raw", "heading", "text", "html"])},
    optional={
        "metadata": st.just({}) | json_values,
        "source": st.just("s\n") | st.just(["a\n", "b"]) | json_values,
        "input": st.just(["a", "b"]) | json_values,
        "code": st.just("c"),
        "text": st.just("t"),
        "outputs": st.just([]) | st.just([{"output_type": "stream", "text": ["x"]}]) | json_values,
        "execution_count": st.none() | st.integers(0, 9) | json_values,
        "prompt_number": st.none() | st.integers(0, 9) | json_values,
        "level": st.integers(1, 6) | json_values,
    },
)
notebook_like = st.fixed_dictionaries(
    {"nbformat": st.sampled_from([1, 2, 3, 4])},
    optional={
        # nbformat's own validator crashes on v3 minors other than 0 (its bug, not ours).
        "nbformat_minor": st.just(0),
        "metadata": st.just({}) | json_values,
        "cells": st.lists(raw_cells | json_values, max_size=3),
        "worksheets": st.lists(
            st.fixed_dictionaries({"cells": st.lists(raw_cells, max_size=3)}) | json_values, max_size=2
        ),
    },
)


def only_notebook_errors(data: bytes) -> None:
    for read in (parse_notebook, strip_outputs):
        try:
            read(data)
        except NotebookError:
            pass


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_raise_only_notebook_error(data):
    only_notebook_errors(data)


@settings(max_examples=150, deadline=None)
@given(json_values | notebook_like, st.sampled_from([None, 1]))
def test_arbitrary_json_raises_only_notebook_error(value, indent):
    only_notebook_errors(json.dumps(value, indent=indent).encode())


@settings(max_examples=200, deadline=None)
@given(notebook_like)
def test_what_parse_notebook_accepts_nbformat_reads_with_the_same_cells(value):
    text = json.dumps(value)
    try:
        cells = parse_notebook(text.encode()).cells
    except NotebookError:
        return
    expected = nbformat_reads(text).cells
    assert len(cells) == len(expected)
    for cell, nb_cell in zip(cells, expected, strict=False):
        # Where nbformat keeps a wrongly typed field as it is, we read it leniently.
        if isinstance(nb_cell.get("cell_type"), str) and isinstance(nb_cell.get("source", ""), str):
            assert (cell.cell_type, cell.source) == (nb_cell.cell_type, nb_cell.get("source", ""))


@pytest.mark.parametrize("version", [2, 3, 4])
@pytest.mark.parametrize("outputs", [None, 5, True, "x", {"": None}, {}, ""])
def test_outputs_that_are_not_a_list_read_only_when_nbformat_reads_them(version, outputs):
    cell = {"cell_type": "code", "metadata": {}, "source": "", "execution_count": None, "outputs": outputs}
    if version == 4:
        value = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}
    else:
        value = {"nbformat": version, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [cell]}]}
    text = json.dumps(value)
    try:
        nbformat_reads(text)
    except Exception:
        with pytest.raises(NotebookError, match="outputs"):
            parse_notebook(text.encode())
        return
    assert parse_notebook(text.encode()).cells[0].outputs == ()


def test_v3_outputs_need_an_output_type():
    cell = {"cell_type": "code", "input": "", "outputs": [{"text": "1"}]}
    text = json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [cell]}]})
    with pytest.raises(Exception):  # noqa: B017 - nbformat raises several types
        nbformat_reads(text)
    with pytest.raises(NotebookError, match="output_type"):
        parse_notebook(text.encode())


@pytest.mark.parametrize("prompt_number", [None, 3, 2.0, 1.5, True, "4", "x", "", [], [1], {}])
def test_v1_prompt_numbers_read_as_nbformat_upgrades_them(prompt_number):
    text = json.dumps({"nbformat": 1, "cells": [{"cell_type": "code", "code": "x", "prompt_number": prompt_number}]})
    try:
        expected = nbformat_reads(text).cells[0].execution_count
    except Exception:
        with pytest.raises(NotebookError, match="prompt_number"):
            parse_notebook(text.encode())
        return
    assert parse_notebook(text.encode()).cells[0].execution_count == expected


@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("source", [None, 5, {}, "# t", ["# t"]])
def test_heading_sources_read_only_when_nbformat_upgrades_them(version, source):
    cell = {"cell_type": "heading", "level": 1, "source": source}
    text = json.dumps({"nbformat": version, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [cell]}]})
    try:
        expected = nbformat_reads(text).cells[0].source
    except Exception:
        with pytest.raises(NotebookError, match="heading"):
            parse_notebook(text.encode())
        return
    assert parse_notebook(text.encode()).cells[0].source == expected
