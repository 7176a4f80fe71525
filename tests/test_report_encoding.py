import os

import pytest

from ml_lint.report.encoding import output_bytes, valid_utf8

NAME = os.fsdecode(b"data/raw/\xff\xfe.csv")


def test_output_bytes_restores_file_name_bytes():
    assert output_bytes(f"{NAME}: ML103 caf\u00e9") == b"data/raw/\xff\xfe.csv: ML103 caf\xc3\xa9"


@pytest.mark.parametrize("surrogate", ["\ud800", "\udbff", "\udc00", "\udc7f", "\udd00", "\udfff"])
def test_output_bytes_replaces_surrogates_that_are_not_escaped_bytes(surrogate):
    assert output_bytes(f"a{surrogate}b") == "a\ufffdb".encode()


def test_valid_utf8_replaces_every_surrogate():
    assert valid_utf8(f"{NAME} \ud800 \U0001f600") == "data/raw/\ufffd\ufffd.csv \ufffd \U0001f600"
