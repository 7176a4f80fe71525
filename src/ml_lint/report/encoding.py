"""File names that are not valid UTF-8, in formats that must be.

The engine keeps such names surrogate-escaped (os.fsdecode), so that text and
JSON output can give the original bytes back. GitHub and SARIF consumers
read UTF-8 only; there each undecodable byte becomes U+FFFD, as the Actions
runner or any JavaScript tool would show it anyway.
"""

from __future__ import annotations

import re

# Also lone surrogates that came from elsewhere (a "\ud800" escape in notebook JSON).
_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_utf8(text: str) -> str:
    return _SURROGATE.sub("\N{REPLACEMENT CHARACTER}", text)


# Surrogates that surrogateescape cannot turn back into a byte.
_NOT_AN_ESCAPED_BYTE = re.compile("[\ud800-\udc7f\udd00-\udfff]")


def output_bytes(text: str) -> bytes:
    """UTF-8 with file-name bytes restored as stored; any other lone surrogate as U+FFFD."""
    text = _NOT_AN_ESCAPED_BYTE.sub("\N{REPLACEMENT CHARACTER}", text)
    return text.encode("utf-8", "surrogateescape")
