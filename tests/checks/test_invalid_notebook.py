"""invalid-notebook: default `paths` (every *.ipynb), custom `paths`, what is unreadable and what is not."""

from __future__ import annotations

import json
from typing import Any

from kindtest import V, code, notebook

DEFAULT: dict[str, Any] = {"kind": "invalid-notebook"}
NOT_READABLE = "not a readable notebook: "


def test_readable_notebooks_pass_even_when_schema_invalid(repo, lint):
    repo.notebook("deliver/good.ipynb", notebook("# Title", code("x = 1", 1, "1")))
    repo.write("no-cells-yet.ipynb", json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    bad_id = notebook("# Title")
    bad_id.cells[0]["id"] = "not a valid id!"
    repo.write("bad-id.ipynb", json.dumps(bad_id))
    repo.write("no-minor.ipynb", json.dumps({"cells": [], "metadata": {}, "nbformat": 4}))
    repo.commit()
    lint(repo, DEFAULT, expect_code=0).assert_exactly()


def test_the_default_paths_cover_every_notebook_in_the_repo(repo, lint):
    repo.write("empty.ipynb", "")
    repo.write("a/b/c/truncated.ipynb", '{\n "cells": [\n  {\n')
    repo.write("data/list.ipynb", "[1, 2]\n")
    repo.write("latin1.ipynb", b'{"cells": "caf\xe9"}')
    repo.write("no-cells.ipynb", '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}\n')
    repo.write("notes.json", "not json")  # not a notebook file
    repo.commit()
    lint(repo, DEFAULT, expect_code=1).assert_exactly(
        V("T001", "a/b/c/truncated.ipynb", NOT_READABLE + "not valid JSON: Expecting property name", line=4, column=1),
        V("T001", "data/list.ipynb", NOT_READABLE + "not a notebook: the JSON value is a list, not an object"),
        V("T001", "empty.ipynb", NOT_READABLE + "the file is empty"),
        V(
            "T001",
            "latin1.ipynb",
            NOT_READABLE + "not UTF-8 text: invalid byte at line 1, column 15",
            line=1,
            column=15,
        ),
        V("T001", "no-cells.ipynb", NOT_READABLE + 'not a notebook: no "cells" list'),
    )


def test_a_merge_conflict_is_located(repo, lint):
    text = '{\n "cells": [],\n<<<<<<< HEAD\n "metadata": {},\n=======\n "metadata": {"x": 1},\n>>>>>>> b\n}\n'
    repo.write("merged.ipynb", text)
    repo.commit()
    found = lint(repo, DEFAULT, expect_code=1)
    found.assert_exactly(V("T001", "merged.ipynb", "at line 3, column 1", line=3, column=1))


def test_custom_paths_limit_the_check(repo, lint):
    repo.write("deliver/broken.ipynb", "")
    repo.write("scratch/broken.ipynb", "")
    repo.write("exports/model.ipynb", "{")
    repo.commit()
    check = {"kind": "invalid-notebook", "paths": ["deliver/*.ipynb", "exports/"]}
    lint(repo, check, expect_code=1).assert_exactly(
        V("T001", "deliver/broken.ipynb", NOT_READABLE + "the file is empty"),
        V("T001", "exports/model.ipynb", NOT_READABLE + "not valid JSON", line=1, column=2),
    )
    check = {"kind": "invalid-notebook", "paths": ["*.ipynb", "!scratch/"]}
    lint(repo, check, expect_code=1).assert_exactly(
        V("T001", "deliver/broken.ipynb", "the file is empty"), V("T001", "exports/model.ipynb", "not valid JSON")
    )


def test_ignored_notebooks_are_not_read(repo, lint):
    repo.write(".gitignore", "scratch/\n")
    repo.write("scratch/broken.ipynb", "")
    repo.commit()
    lint(repo, DEFAULT, expect_code=0).assert_exactly()


def test_metadata_cannot_opt_an_unreadable_file_out(repo, lint):
    repo.write("broken.ipynb", '{"metadata": {"ml-lint": {"ignore": ["T001"]}}, "cells": [')
    repo.commit()
    lint(repo, DEFAULT, expect_code=1).assert_exactly(V("T001", "broken.ipynb", "not valid JSON"))
