"""Naming templates such as `{YYYY-MM-DD}_{user_id}_{short-description}`.

A template is literal text plus `{placeholder}`s, each defined in the spec by
a regex (and optionally a date format, so `2024-13-01` is rejected). Besides
matching, a template explains a mismatch: which part of the name is wrong.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Annotated, Literal

from ml_lint.frozen import Strict, Validated

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Names match with or without extensions (`name.ipynb`, `name.tar.gz`, `name/`).
EXTENSIONS = r"(?:\.[A-Za-z0-9]+)*"
_EXTENSIONS = re.compile(EXTENSIONS)
NAME_MAX = 255  # the longest file name Linux, macOS and Windows store


def _safe_placeholder_regex(value: str) -> str:
    # The regex comes with the repo being checked: it must stay fast, and it
    # is embedded in a bigger regex, so it may not refer to groups or set
    # global flags (use `(?i:...)`).
    from ml_lint.regexsafety import check_regex  # validation only: never on the warm path

    check_regex(value, backreferences=False)
    try:
        with warnings.catch_warnings():
            # Python 3.10 only warns about a global flag in mid-pattern (and applies it to the whole
            # name); 3.11 refuses it: refused on both.
            warnings.simplefilter("error", DeprecationWarning)
            compiled = re.compile(f"x(?:{value})")
    except (re.error, DeprecationWarning) as exc:
        reason = exc.msg if isinstance(exc, re.error) else str(exc)
        raise ValueError(
            f"invalid regular expression {value!r} inside a naming pattern: {reason} "
            "(it becomes part of a bigger regex: write flags as (?i:...), not (?i))"
        ) from None
    if compiled.groupindex:
        raise ValueError(f"regular expression {value!r}: named groups are not allowed here; use (?:...)")
    return value


def _round_trip_date_format(value: str | None) -> str | None:
    # A format that cannot read back what it writes would reject every name.
    if value is not None:
        sample = datetime(2024, 5, 17, 13, 45, 30)
        try:
            ok = datetime.strptime(sample.strftime(value), value) is not None and "%" in value
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(
                f"date format {value!r} cannot read the dates it writes; use strftime codes such as '%Y-%m-%d'"
            )
    return value


@dataclass(frozen=True)
class Placeholder(Strict):
    """One `{name}` of a naming template."""

    regex: Annotated[str, Validated(_safe_placeholder_regex)]
    description: str = ""
    example: str | None = None
    # strftime format the value must parse with, e.g. "%Y-%m-%d"
    date: Annotated[str | None, Validated(_round_trip_date_format)] = None
    # `ml-lint new`: the value when none is given with --set (a config sets it for its project) ...
    default: str | None = None
    # ... or where the value comes from: "git-user" is git's user.email (else user.name) made into a valid value.
    fill: Literal["git-user"] | None = None

    def describe(self) -> str:
        example = f", e.g. {self.example}" if self.example else ""
        return f"{self.description}{example}" if self.description else f"/{self.regex}/{example}"


class PatternError(ValueError):
    """A template that names an unknown placeholder or is malformed."""


@dataclass(frozen=True)
class Segment:
    text: str  # literal text, or the placeholder name
    placeholder: Placeholder | None = None

    def regex(self, number: int) -> str:
        # Named groups: capturing groups inside a placeholder's regex do not shift them.
        # Atomic: once a placeholder has matched, re never tries it again another
        # way, so composing safe placeholders cannot backtrack exponentially
        # (`{name}_{name}_{name}...` on a 200-character name). A name the atomic
        # form misses is decided exactly by NamePattern._exact. A lookahead is atomic
        # in re, and the backreference consumes what it matched: `(?>...)` needs Python 3.11.
        if not self.placeholder:
            return re.escape(self.text)
        return f"(?=(?P<{_group(number)}>{self.placeholder.regex}))(?P={_group(number)})"

    @cached_property
    def alone(self) -> re.Pattern:
        return re.compile(self.placeholder.regex if self.placeholder else re.escape(self.text))

    @property
    def label(self) -> str:
        return f"{{{self.text}}}" if self.placeholder else repr(self.text)


@dataclass(frozen=True)
class NamePattern:
    template: str
    segments: tuple[Segment, ...]

    @classmethod
    def compile(cls, template: str, placeholders: dict[str, Placeholder]) -> NamePattern:
        if not template:
            raise PatternError("a naming pattern cannot be empty")
        segments, pos = [], 0
        for match in PLACEHOLDER.finditer(template):
            if match.start() > pos:
                segments.append(Segment(template[pos : match.start()]))
            name = match.group(1)
            if name not in placeholders:
                known = ", ".join(f"{{{n}}}" for n in sorted(placeholders)) or "none"
                raise PatternError(f"unknown placeholder {{{name}}} in {template!r}; known placeholders: {known}")
            regex = placeholders[name].regex
            if regex.startswith("^") or (regex.endswith("$") and not regex.endswith("\\$")):
                # Anchors inside a bigger regex would make every name fail, silently.
                raise PatternError(
                    f"the regex of placeholder {{{name}}} ({regex!r}) has a '^' or '$' anchor: remove it "
                    "(a placeholder matches one part of a name, so an anchor makes every name fail)"
                )
            segments.append(Segment(name, placeholders[name]))
            pos = match.end()
        if pos < len(template):
            segments.append(Segment(template[pos:]))
        if any(c in s.text for s in segments if not s.placeholder for c in "{}"):
            raise PatternError(f"unbalanced braces in {template!r}")
        return cls(template, tuple(segments))

    @cached_property
    def _full(self) -> re.Pattern:
        return re.compile(self._regex(len(self.segments)) + EXTENSIONS)

    def _prefix(self, count: int) -> re.Pattern:
        return re.compile(self._regex(count))

    def _regex(self, count: int) -> str:
        return "".join(s.regex(number) for number, s in enumerate(self.segments[:count]))

    @cached_property
    def _dates(self) -> list[tuple[int, Segment, str, str]]:
        """(number, segment, group name, date format) of the segments that are dates."""
        return [
            (number, segment, _group(number), segment.placeholder.date)
            for number, segment in enumerate(self.segments)
            if segment.placeholder and segment.placeholder.date
        ]

    def _bad_date(self, match: re.Match[str], count: int) -> tuple[Segment, str, int] | None:
        for number, segment, group, fmt in self._dates:
            if number < count and not _is_date(match.group(group), fmt):
                return segment, match.group(group), match.start(group)
        return None

    def matches(self, name: str) -> bool:
        return self.matches_fast(name) or self._exact(name)

    def matches_fast(self, name: str) -> bool:
        """The atomic regex: a match is a match; a miss may still match another way (_exact)."""
        match = self._full.fullmatch(name)
        return match is not None and self._bad_date(match, len(self.segments)) is None

    def _exact(self, name: str) -> bool:
        """Whether some split of `name` matches segment by segment (polynomial, no backtracking).

        The positions each prefix of the segments can reach are computed once
        per segment: at most len(name) + 1 of them, whatever the placeholders.
        """
        if len(name) > NAME_MAX:
            return False  # no file system stores such a name: never worth a quadratic search
        reached = {0}
        for number, segment in enumerate(self.segments):
            nxt = self.segments[number + 1] if number + 1 < len(self.segments) else None
            found: set[int] = set()
            for start in reached:
                if not segment.placeholder:  # literal text: one way to match
                    if name.startswith(segment.text, start):
                        found.add(start + len(segment.text))
                    continue
                for end in self._ends(name, start, nxt):
                    value = name[start:end]
                    if segment.alone.fullmatch(value) and (
                        not segment.placeholder.date or _is_date(value, segment.placeholder.date)
                    ):
                        found.add(end)
            if not found:
                return False
            reached = found
        return any(_EXTENSIONS.fullmatch(name, end) for end in reached)

    @staticmethod
    def _ends(name: str, start: int, nxt: Segment | None) -> list[int]:
        """Where a segment starting at `start` may end: before the next literal or an extension, or anywhere."""
        if nxt is None:  # only extensions may follow
            return [len(name), *(i for i in range(start, len(name)) if name[i] == ".")]
        if not nxt.placeholder and nxt.text:
            ends, at = [], name.find(nxt.text, start)
            while at != -1:
                ends.append(at)
                at = name.find(nxt.text, at + 1)
            return ends
        return list(range(start, len(name) + 1))

    def diagnose(self, name: str) -> tuple[int, str]:
        """Why `name` does not match: (how far it got, reason)."""
        for count in range(len(self.segments), -1, -1):
            match = self._prefix(count).match(name)
            if not match:
                continue
            bad = self._bad_date(match, count)
            if bad:
                segment, value, start = bad
                return start, f"date '{value}' is not a valid date ({segment.label})"
            end = match.end()
            rest = name[end:]
            if count == len(self.segments):
                return end, f"unexpected '{rest}' after '{name[:end]}'"
            segment = self.segments[count]
            described = f"{segment.label} ({segment.placeholder.describe()})" if segment.placeholder else segment.label
            if not rest:  # never "at ''": say what the name lacks at its end
                return end, f"{described} is missing at the end, after '{name[:end]}'"
            return end, f"expected {described} at '{rest}'"
        return 0, "does not match"  # unreachable: the empty prefix always matches

    @property
    def literal(self) -> str | None:
        """The text of a pattern without placeholders (`src`), else None."""
        return None if any(s.placeholder for s in self.segments) else self.template

    @property
    def suffix(self) -> str | None:
        """'-lib' for `{name}-lib`: a placeholder followed by literal text."""
        if len(self.segments) == 2 and self.segments[0].placeholder and not self.segments[1].placeholder:
            return self.segments[1].text
        return None

    def missing_part(self, name: str) -> str | None:
        """'missing {user_id} between 'a' and 'b'' when the name matches once one placeholder is left out."""
        # The last part first: "2024-05-01_jdoe" lacks a description, not a user id.
        for i, segment in reversed(list(enumerate(self.segments))):
            if not segment.placeholder:
                continue
            # Leave out the placeholder and the separator that goes with it.
            start, stop = i, i + 1
            if i > 0 and not self.segments[i - 1].placeholder:
                start = i - 1
            elif i + 1 < len(self.segments) and not self.segments[i + 1].placeholder:
                stop = i + 2
            rest = self.segments[:start] + self.segments[stop:]
            if not any(s.placeholder for s in rest):
                continue
            shorter = NamePattern(self.template, rest)
            match = shorter._full.fullmatch(name)
            if not match or shorter._bad_date(match, len(rest)) is not None:
                continue
            before = [match.group(_group(k)) for k in range(start) if rest[k].placeholder]
            after = [match.group(_group(k)) for k in range(start, len(rest)) if rest[k].placeholder]
            where = (
                f"between '{before[-1]}' and '{after[0]}'" if before and after
                else f"after '{before[-1]}'" if before else f"before '{after[0]}'"
            )  # fmt: skip
            return f"missing {segment.label} ({segment.placeholder.describe()}) {where}"
        return None


def _group(number: int) -> str:
    return f"segment{number}"


@lru_cache(maxsize=4096)  # names share dates
def _is_date(value: str, fmt: str) -> bool:
    read = _day_reader(fmt)
    if read is not None:
        return read(value)
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


# What strptime accepts for the day-precision codes (Lib/_strptime.py): a
# name's date is nearly always one of these, and strptime costs ~10 us a call
# plus its import.
_DAY_CODES = {"%Y": r"(\d\d\d\d)", "%m": r"(1[0-2]|0[1-9]|[1-9])", "%d": r"(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])"}


@lru_cache(maxsize=64)
def _day_reader(fmt: str) -> Callable[[str], bool] | None:
    """A test equal to strptime's for formats of %Y, %m, %d and punctuation; None for other formats."""
    parts = [part for part in re.split(r"(%.)", fmt) if part]
    codes = [part for part in parts if part.startswith("%")]
    literal_ok = all(not (c.isalnum() or c.isspace() or c == "%") for p in parts if p not in _DAY_CODES for c in p)
    if not codes or len(set(codes)) != len(codes) or not set(codes) <= set(_DAY_CODES) or not literal_ok:
        return None
    regex = re.compile("".join(_DAY_CODES.get(part) or re.escape(part) for part in parts))
    order = [code[1] for code in codes]

    def read(value: str) -> bool:
        match = regex.fullmatch(value)
        if match is None:
            return False
        found = dict(zip(order, map(int, match.groups()), strict=True))
        try:
            date(found.get("Y", 1900), found.get("m", 1), found.get("d", 1))
        except ValueError:
            return False
        return True

    return read


def explain_mismatch(name: str, patterns: list[NamePattern]) -> str | None:
    """None if `name` matches one of `patterns`, else a message saying what is wrong."""
    if any(p.matches_fast(name) for p in patterns) or any(p._exact(name) for p in patterns):
        return None
    words = [p.literal for p in patterns if p.literal is not None]
    suffixes = [p.suffix for p in patterns if p.suffix is not None]
    if suffixes and len(words) + len(suffixes) == len(patterns) and not any(s in name for s in suffixes):
        # `jobs, src or {name}-lib`: say it in words, not "expected '-lib' at ''".
        ends = _listed([repr(s) for s in suffixes])
        message = f"'{name}' does not end in {ends}"
        return f"{message} and is not {_listed(words)}" if words else message
    for pattern in patterns:
        missing = pattern.missing_part(name)
        if missing:
            return f"'{name}' does not match {' or '.join(p.template for p in patterns)}: {missing}"
    # Report against the pattern the name got furthest into; on a tie the
    # simplest pattern, which is usually the one the user meant.
    ranked = sorted(patterns, key=lambda p: (-p.diagnose(name)[0], len(p.segments)))
    reason = ranked[0].diagnose(name)[1]
    expected = " or ".join(p.template for p in patterns)
    return f"'{name}' does not match {expected}: {reason}"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"
