"""The rule set of a run: from the cache while its files are unchanged, else validated.

Validating a spec and config takes pydantic and YAML, whose imports alone
cost a quarter of a second, on every commit. What validation produces depends
only on the files it read, so it is kept in the cache as JSON together with
those files' stamps; while no stamp changes, a run rebuilds the RuleSet from
that JSON and imports neither. This module is the only bridge to the spec side.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from ml_lint import __version__
from ml_lint.cache import read_entry, source_stamp, write_entry
from ml_lint.frozen import pack, unpack
from ml_lint.repo.pathmatch import remember, translations
from ml_lint.ruleset import RuleSet

CACHE_FILE = "ruleset-v4.json"  # key -> entry, for each installation, folder and command line
MAX_ENTRIES = 8
# A file whose ctime is this close to the load may have changed during it
# (coarse file system clocks included); its content is not worth caching.
RACY_NS = 2_000_000_000


def load_ruleset(
    root: Path, config_file: str | None = None, spec: str | None = None, *, use_cache: bool = True
) -> RuleSet:
    """The rule set for the repository at `root` (see ml_lint.spec.config.load_project for the arguments)."""
    key = _key(root, config_file, spec)
    cached = read_entry(root, CACHE_FILE) if use_cache else None
    entries = cached if isinstance(cached, dict) else {}
    ruleset = _cached(entries, key)
    if ruleset is not None:
        return ruleset
    from ml_lint.spec.config import config_candidates, load_project  # pydantic and YAML: only here
    from ml_lint.spec.load import package_sources

    started = time.time_ns()
    project = load_project(root, config_file, spec)
    if use_cache:
        # A package's spec is stamped with its METADATA too: a new version of the package is a new rule set.
        read = (*config_candidates(root, config_file), *project.sources, *package_sources(list(project.sources)))
        sources = {str(path): source_stamp(path) for path in read}
        # s[2::4]: the ctimes of the link and of its target.
        if all(s is None or max(s[2::4]) < started - RACY_NS for s in sources.values()):
            entries.pop(key, None)  # re-inserted last: the oldest entries go first
            kept = list(entries.items())[-(MAX_ENTRIES - 1) :]
            encoded = pack(project.ruleset)
            # The spec's gitignore patterns were translated when validated: a warm run reuses that.
            entry = {"sources": sources, "ruleset": encoded, "digest": _digest(encoded), "patterns": translations()}
            write_entry(root, CACHE_FILE, {**dict(kept), key: entry})
    return project.ruleset


def cached_ruleset(root: Path, config_file: str | None = None, spec: str | None = None) -> RuleSet | None:
    """The rule set load_ruleset would return from the cache; None when it would validate (nothing is written)."""
    cached = read_entry(root, CACHE_FILE)
    return _cached(cached, _key(root, config_file, spec)) if isinstance(cached, dict) else None


def _cached(entries: dict[str, Any], key: str) -> RuleSet | None:
    if not _fresh(entries.get(key)):
        return None
    try:
        ruleset = _decode(entries[key])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a damaged entry: validate again
    remember(entries[key].get("patterns"))
    return ruleset


def import_validation() -> None:
    """Import what validates a spec (pydantic, YAML): a run that knows it will validate does it while git lists."""
    import ml_lint.spec.config  # noqa: F401


# digest of an encoded rule set -> the rule set: the projects of a repository
# mostly share one config, and decoding costs more than reading.
_DECODED: dict[str, RuleSet] = {}


def _digest(encoded: object) -> str:
    return hashlib.sha256(json.dumps(encoded, sort_keys=True).encode()).hexdigest()


def _decode(entry: dict[str, Any]) -> RuleSet:
    digest = entry.get("digest")
    if isinstance(digest, str) and digest in _DECODED:
        return _DECODED[digest]
    ruleset = unpack(entry["ruleset"])
    if not isinstance(ruleset, RuleSet):
        raise ValueError("not a rule set")
    if isinstance(digest, str):
        _DECODED[digest] = ruleset
    return ruleset


def _key(root: Path, config_file: str | None, spec: str | None) -> str:
    # Each installation has its own entry: an editable one may differ from a
    # release of the same version (pre-commit's and the user's often coexist).
    described = [__version__, str(Path(__file__).parent), os.getcwd(), str(root), config_file, spec]
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()


def _fresh(entry: Any) -> bool:
    # Every rule set comes from at least one spec file.
    if not isinstance(entry, dict) or not isinstance(entry.get("sources"), dict) or not entry["sources"]:
        return False
    return all(source_stamp(Path(path)) == recorded for path, recorded in entry["sources"].items())
