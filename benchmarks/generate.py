"""Generate a realistic, reproducible ML template repository for benchmarking ml-lint.

    python benchmarks/generate.py OUT_DIR [--files 50000] [--notebooks 2000]
                                  [--seed 1] [--violation-rate 0.03]
                                  [--shape default|small] [--develop-folders N]
                                  [--projects N]

The repository follows the ML project template (README.md, LICENSE, configs/,
data/, research/, production/, assets/). ``--files`` is the number of tracked
files, ``--notebooks`` how many of them are notebooks. A share of
``--violation-rate`` of the notebooks and folders breaks one rule of the
built-in spec; every planted violation is listed with its rule id in
``.git/bench-manifest.json``, which is written last and so also marks a
finished repository. The same arguments always give the same commit hash.

``--shape small`` makes notebooks smaller and more numerous (half of them
small develop notebooks); ``--develop-folders N`` puts most files into N
experiment folders under research/develop; ``--projects N`` writes N projects
under projects/pNN/, each with its own .ml-lint.yaml (a monorepo).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".git/bench-manifest.json"

# Fixed identity and clock so the single commit is byte-for-byte reproducible.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench Author",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_AUTHOR_DATE": "2024-06-01T12:00:00+00:00",
    "GIT_COMMITTER_NAME": "Bench Author",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_DATE": "2024-06-01T12:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

TEMPLATE_DIRS = [
    "configs",
    "data/raw",
    "data/processed",
    "data/tmp",
    "data/scripts",
    "data/eda",
    "research/develop",
    "research/deliver",
    "research/deliver/runs",
    "research/templates",
    "production/jobs/evaluation",
    "production/jobs/inference",
    "production/jobs/processing",
    "production/jobs/training",
    "production/jobs/pipelines",
    "production/services",
    "production/src",
    "production/tests",
    "production/tools",
    "assets",
]
NON_PUSHABLE = ["data/raw", "data/processed", "data/tmp"]
JOB_CATEGORIES = ["evaluation", "inference", "processing", "training", "pipelines"]

GITIGNORE = """\
# Local datasets are never pushed; the folders are kept by their .gitkeep.
data/raw/*
!data/raw/.gitkeep
data/processed/*
!data/processed/.gitkeep
data/tmp/*
!data/tmp/.gitkeep

__pycache__/
*.py[cod]
.ipynb_checkpoints/
.venv/
"""

WORDS = [
    "sales",
    "churn",
    "customer",
    "feature",
    "store",
    "model",
    "training",
    "eval",
    "baseline",
    "forecast",
    "demand",
    "price",
    "embedding",
    "text",
    "image",
    "audio",
    "vision",
    "ranker",
    "recsys",
    "fraud",
    "anomaly",
    "cluster",
    "segment",
    "tabular",
    "boost",
    "linear",
    "tree",
    "forest",
    "lstm",
    "transformer",
    "bert",
    "vit",
    "clip",
    "tuning",
    "sweep",
    "metrics",
    "report",
    "drift",
    "monitor",
    "ingest",
    "export",
    "clean",
    "split",
    "sample",
    "augment",
    "tokenizer",
    "vocab",
    "loader",
    "batch",
    "schedule",
    "optimizer",
    "loss",
    "calibration",
    "threshold",
    "inference",
    "serving",
    "api",
    "gateway",
    "queue",
    "cache",
    "registry",
    "artifact",
    "dataset",
    "label",
]
USERS = [
    "jdoe",
    "asmith",
    "bkumar",
    "lchen",
    "mrossi",
    "ngarcia",
    "okim",
    "pnovak",
    "qli",
    "rmuller",
]
STATES = ["raw", "clean", "processed", "features", "sample"]
KERNELSPEC = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": "3.11.7",
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Shape:
    """How many notebooks of each kind, and how heavy they are."""

    shares: tuple[tuple[str, float], ...]  # kind -> share of the notebooks
    image_range: tuple[int, int]  # raw PNG bytes per notebook with figures, log-uniform
    develop_figures: float  # share of develop notebooks with figures
    develop_size: tuple[int, int] | None = None  # develop notebooks padded to this size range
    notebooks: int = 2_000  # default --notebooks for 50k files


SHAPES = {
    # Executed notebooks of 20 KB-2 MB of figures, as in a mature project.
    "default": Shape(
        shares=(
            ("develop", 0.52),
            ("deliver", 0.15),
            ("runs", 0.06),
            ("templates", 0.04),
            ("eda", 0.15),
            ("scripts", 0.08),
        ),
        image_range=(20_000, 2_000_000),
        develop_figures=0.4,
    ),
    # Many light notebooks: deliver ~150 KB on average, develop 5-20 KB with no
    # figures, and half of all notebooks are such develop ones.
    "small": Shape(
        shares=(
            ("develop", 0.50),
            ("deliver", 0.17),
            ("runs", 0.06),
            ("templates", 0.04),
            ("eda", 0.15),
            ("scripts", 0.08),
        ),
        image_range=(25_000, 250_000),
        develop_figures=0.0,
        develop_size=(5_000, 20_000),
        notebooks=5_000,
    ),
}


def notebook_json(nb: dict) -> bytes:
    """Serialise exactly as nbformat.write does for v4."""
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def split_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


class RepoWriter:
    """Writes files under a root and remembers every path it wrote."""

    def __init__(self, root: Path):
        self.root = root
        self.paths: set[str] = set()
        self.tracked = 0
        self.bytes = 0
        self._dirs: set[Path] = set()

    def write(self, rel: str, data: bytes | str, tracked: bool = True) -> None:
        if rel in self.paths:
            raise ValueError(f"generator wrote {rel} twice")
        path = self.root / rel
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        if isinstance(data, str):
            data = data.encode()
        path.write_bytes(data)
        self.paths.add(rel)
        self.tracked += tracked
        self.bytes += len(data)

    def has_files_under(self, folder: str) -> bool:
        prefix = folder + "/"
        return any(p.startswith(prefix) for p in self.paths)


class Generator:
    def __init__(
        self,
        out: Path,
        files: int,
        notebooks: int,
        seed: int,
        violation_rate: float,
        shape: Shape = SHAPES["default"],
        develop_folders: int = 0,
    ):
        self.rng = random.Random(seed)
        self.shape = shape
        self.develop_folders = develop_folders
        self.out = out
        self.files = files
        self.notebooks = notebooks
        self.violation_rate = violation_rate
        self.w = RepoWriter(out)
        self.planted: list[dict] = []
        self.force_added: list[str] = []
        self.names_taken: set[str] = set()

    # ----- small random helpers -------------------------------------------------

    def planted_count(self, candidates: int) -> int:
        """How many of `candidates` get a violation: the rate, but at least one."""
        if self.violation_rate <= 0 or candidates == 0:
            return 0
        return min(candidates, max(1, round(self.violation_rate * candidates)))

    def plant(self, rule: str, path: str) -> None:
        self.planted.append({"rule": rule, "path": path})

    def words(self, n: int) -> str:
        return "-".join(self.rng.choice(WORDS) for _ in range(n))

    def ident(self) -> str:
        return "_".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(1, 3)))

    def date(self) -> str:
        start = dt.date(2022, 1, 1).toordinal()
        return dt.date.fromordinal(start + self.rng.randrange(1280)).isoformat()

    def unique(self, make) -> str:
        """Call make() until it yields a name not used before in this repo."""
        for _ in range(1000):
            name = make()
            if name not in self.names_taken:
                self.names_taken.add(name)
                return name
        raise RuntimeError("name space exhausted")

    def us_id(self) -> str:
        return f"US{self.rng.randint(1, 400)}"

    def develop_name(self) -> str:
        def make():
            stem = f"{self.date()}_{self.rng.choice(USERS)}_{self.words(self.rng.randint(1, 3))}"
            if self.rng.random() < 0.7:
                stem = f"{self.us_id()}T{self.rng.randint(1, 30)}_{stem}"
            return stem

        return self.unique(make)

    def deliver_name(self) -> str:
        def make():
            stem = f"{self.date()}_{self.words(self.rng.randint(1, 3))}"
            return f"{self.us_id()}_{stem}" if self.rng.random() < 0.7 else stem

        return self.unique(make)

    # ----- file contents ----------------------------------------------------------

    def python_source(self) -> str:
        parts = [
            '"""' + self.words(4).replace("-", " ").capitalize() + '."""\n\nimport json\nimport logging\n'
            "from pathlib import Path\n\nlog = logging.getLogger(__name__)\n"
        ]
        for _ in range(self.rng.randint(1, 8)):
            name = self.ident()
            parts.append(
                f"\n\ndef {name}(path: Path, threshold: float = {self.rng.random():.3f}) -> dict:\n"
                f'    """Compute {name.replace("_", " ")} for one batch."""\n'
                f"    records = json.loads(path.read_text())\n"
                f"    kept = [r for r in records if r.get('score', 0) >= threshold]\n"
                f"    log.info('%s: kept %d of %d', '{name}', len(kept), len(records))\n"
                f"    return {{'kept': len(kept), 'total': len(records)}}\n"
            )
        return "".join(parts)

    def yaml_config(self) -> str:
        lines = [f"# {self.words(3)}"]
        for _ in range(self.rng.randint(3, 25)):
            value = self.rng.choice(
                [
                    str(self.rng.randint(1, 512)),
                    f"{self.rng.random():.4f}",
                    self.words(2),
                    "true",
                ]
            )
            lines.append(f"{self.ident()}: {value}")
        return "\n".join(lines) + "\n"

    def json_config(self) -> str:
        data = {self.ident(): self.rng.randint(0, 1000) for _ in range(self.rng.randint(2, 12))}
        return json.dumps(data, indent=2) + "\n"

    def title(self) -> str:
        return self.words(3).replace("-", " ").capitalize()

    def paragraph(self) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(20, 200)))

    def markdown(self) -> str:
        return f"# {self.title()}\n\n{self.paragraph()}\n"

    def shell_script(self) -> str:
        return f'#!/usr/bin/env bash\nset -euo pipefail\npython -m {self.ident()} "$@"\n'

    def dockerfile(self, module: str) -> str:
        return (
            "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
            "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
            f'ENTRYPOINT ["python", "-m", "{module}"]\n'
        )

    def pyproject(self, name: str) -> str:
        return (
            f'[project]\nname = "{name}"\nversion = "0.{self.rng.randint(1, 20)}.0"\n'
            'requires-python = ">=3.10"\ndependencies = ["numpy", "pandas"]\n'
        )

    def png_bytes(self, size: int) -> bytes:
        return PNG_SIGNATURE + self.rng.randbytes(max(0, size - len(PNG_SIGNATURE)))

    def image_outputs(self, total: int) -> list[bytes]:
        count = self.rng.randint(1, 4)
        return [self.png_bytes(total // count) for _ in range(count)]

    # ----- notebooks --------------------------------------------------------------

    def cell_id(self, used: set[str]) -> str:
        while True:
            cid = f"{self.rng.getrandbits(32):08x}"
            if cid not in used:
                used.add(cid)
                return cid

    def code_lines(self, flaw: str | None) -> str:
        ds = f"{self.rng.choice(WORDS)}_{self.rng.choice(STATES)}_{self.rng.choice(WORDS)}_v{self.rng.randint(1, 9)}"
        choices = [
            "import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt",
            f"df = pd.read_parquet('../../data/processed/{ds}.parquet')\ndf.shape",
            f"df.groupby('{self.rng.choice(WORDS)}').agg({{'{self.rng.choice(WORDS)}': 'mean'}}).head()",
            "fig, ax = plt.subplots(figsize=(8, 4))\n"
            f"df['{self.rng.choice(WORDS)}'].hist(ax=ax, bins={self.rng.randint(10, 80)})",
            f"model = fit_{self.ident()}(df, lr={self.rng.random():.4f})\nprint(model.score(df))",
        ]
        text = self.rng.choice(choices)
        if flaw == "absolute-path":
            text = f"df = pd.read_csv('/home/{self.rng.choice(USERS)}/datasets/{ds}.csv')\n" + text
        elif flaw == "sys-path":
            text = "import sys\nsys.path.append('../../production/src')\n" + text
        return text

    def notebook(self, *, outputs: bool, image_bytes: int, flaw: str | None = None) -> dict:
        """A v4.5 notebook: a title cell, then alternating code and markdown cells.

        flaw is one of: None, "unexecuted", "no-outputs", "order", "no-title",
        "absolute-path", "sys-path".
        """
        used: set[str] = set()
        cells = []
        if flaw != "no-title":
            cells.append(
                {
                    "cell_type": "markdown",
                    "id": self.cell_id(used),
                    "metadata": {},
                    "source": split_lines(self.markdown()),
                }
            )
        n_code = self.rng.randint(4, 18)
        images = self.image_outputs(image_bytes) if outputs and image_bytes else []
        image_at = set(self.rng.sample(range(n_code), min(len(images), n_code)))
        flaw_at = self.rng.randrange(n_code)
        count = 0
        for i in range(n_code):
            code_flaw = flaw if flaw in ("absolute-path", "sys-path") and i == flaw_at else None
            cell = {
                "cell_type": "code",
                "execution_count": None,
                "id": self.cell_id(used),
                "metadata": {},
                "outputs": [],
                "source": split_lines(self.code_lines(code_flaw)),
            }
            executed = outputs and flaw != "no-outputs" and not (flaw == "unexecuted" and i == flaw_at)
            if executed:
                count += 1
                cell["execution_count"] = count
                cell["outputs"] = [self.text_output(count)]
                if i in image_at and images:
                    cell["outputs"].append(self.image_output(images.pop()))
            cells.append(cell)
            if self.rng.random() < 0.4:
                cells.append(
                    {
                        "cell_type": "markdown",
                        "id": self.cell_id(used),
                        "metadata": {},
                        "source": split_lines(f"## {self.title()}\n\n{self.paragraph()}\n"),
                    }
                )
        if flaw == "order":
            executed = [c for c in cells if c.get("execution_count")]
            if len(executed) >= 2:
                executed[0]["execution_count"], executed[-1]["execution_count"] = (
                    executed[-1]["execution_count"],
                    executed[0]["execution_count"],
                )
        return {
            "cells": cells,
            "metadata": {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO},
            "nbformat": 4,
            "nbformat_minor": 5,
        }

    def text_output(self, count: int) -> dict:
        if self.rng.random() < 0.5:
            text = "\n".join(f"{self.ident()}: {self.rng.random():.5f}" for _ in range(self.rng.randint(1, 12)))
            return {
                "name": "stdout",
                "output_type": "stream",
                "text": split_lines(text + "\n"),
            }
        text = f"({self.rng.randint(100, 10**6)}, {self.rng.randint(2, 300)})"
        return {
            "data": {"text/plain": split_lines(text)},
            "execution_count": count,
            "metadata": {},
            "output_type": "execute_result",
        }

    def image_output(self, png: bytes) -> dict:
        return {
            "data": {
                "image/png": base64.b64encode(png).decode() + "\n",
                "text/plain": ["<Figure size 800x400 with 1 Axes>"],
            },
            "metadata": {},
            "output_type": "display_data",
        }

    def image_size(self) -> int:
        low, high = self.shape.image_range
        # log-uniform: many small figures, a few heavy ones, as in real repos
        return int(low * (high / low) ** self.rng.random())

    def write_notebook(self, rel: str, nb: dict) -> None:
        self.w.write(rel, notebook_json(nb))

    def notebooks_of(self, kind: str, count: int, flaws: list[tuple[str, str]]) -> None:
        """Write `count` notebooks of one kind; a planted share carries one of `flaws` (name, rule)."""
        bad = set(self.rng.sample(range(count), self.planted_count(count))) if flaws else set()
        develop_folders: list[str] = []
        for i in range(count):
            flaw, rule = flaws[i % len(flaws)] if i in bad else (None, None)
            rel = self.notebook_path(kind, flaw, develop_folders)
            if flaw == "invalid":
                self.w.write(rel, b"")
            else:
                # Templates are stripped unless planted; develop runs are executed,
                # but only some plot; scripts print text only.
                outputs = kind != "templates" or flaw == "template-outputs"
                images = kind in ("deliver", "runs", "eda") or (
                    kind == "develop" and self.rng.random() < self.shape.develop_figures
                )
                nb = self.notebook(
                    outputs=outputs,
                    image_bytes=self.image_size() if outputs and images else 0,
                    flaw=flaw if flaw not in ("bad-name", "template-outputs") else None,
                )
                if kind == "develop" and self.shape.develop_size:
                    self.pad_with_figure(nb, self.rng.randint(*self.shape.develop_size))
                self.write_notebook(rel, nb)
            if rule:
                self.plant(rule, rel)

    def pad_with_figure(self, nb: dict, target: int) -> None:
        """Add one small figure so the notebook is about `target` bytes (no-op if already larger)."""
        missing = target - len(notebook_json(nb)) - 200  # 200: the output's own JSON
        executed = [c for c in nb["cells"] if c["cell_type"] == "code" and c["outputs"]]
        if missing > 0 and executed:
            raw = missing * 3 // 4  # base64 grows by 4/3
            executed[-1]["outputs"].append(self.image_output(self.png_bytes(raw)))

    def notebook_path(self, kind: str, flaw: str | None, develop_folders: list[str]) -> str:
        rng = self.rng
        if kind == "develop":
            if flaw == "bad-name":
                stem = self.unique(
                    lambda: rng.choice(
                        [
                            f"Untitled{rng.randint(1, 99)}",
                            f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
                            f"{rng.choice(USERS)}_{self.words(2)}",
                            f"2024-13-{rng.randint(10, 28)}_{rng.choice(USERS)}_{self.words(2)}",
                        ]
                    )
                )
                return f"research/develop/{stem}.ipynb"
            if develop_folders and rng.random() < 0.15:
                folder = rng.choice(develop_folders)
                return f"{folder}/{self.unique(lambda: self.words(2))}.ipynb"
            name = self.develop_name()
            if rng.random() < 0.05:
                develop_folders.append(f"research/develop/{name}")
                return f"research/develop/{name}/{self.unique(lambda: self.words(2))}.ipynb"
            return f"research/develop/{name}.ipynb"
        if kind in ("deliver", "runs"):
            folder = "research/deliver" if kind == "deliver" else "research/deliver/runs"
            if flaw == "bad-name":
                stem = self.unique(lambda: rng.choice([f"final_v{rng.randint(2, 99)}", self.words(2)]))
                return f"{folder}/{stem}.ipynb"
            return f"{folder}/{self.deliver_name()}.ipynb"
        if kind == "templates":
            if flaw == "bad-name":
                stem = self.unique(
                    lambda: rng.choice(
                        [
                            f"{self.words(1).capitalize()} {self.words(1).capitalize()}",
                            f"{self.date()}_{rng.choice(USERS)}_{self.words(1)}",
                        ]
                    )
                )
                return f"research/templates/{stem}.ipynb"
            return f"research/templates/{self.unique(lambda: self.words(rng.randint(1, 3)))}.ipynb"
        if kind == "eda":
            return f"data/eda/{self.unique(lambda: self.words(rng.randint(1, 3)))}.ipynb"
        return f"data/scripts/{self.unique(lambda: self.words(rng.randint(1, 3)))}.ipynb"

    def all_notebooks(self) -> None:
        counts = {kind: int(self.notebooks * share) for kind, share in self.shape.shares}
        counts["develop"] += self.notebooks - sum(counts.values())
        flaws = {
            "develop": [
                ("bad-name", "ML201"),
                ("absolute-path", "ML307"),
                ("sys-path", "ML308"),
                ("invalid", "ML306"),
            ],
            "deliver": [
                ("bad-name", "ML202"),
                ("unexecuted", "ML301"),
                ("order", "ML304"),
                ("no-title", "ML305"),
            ],
            "runs": [("bad-name", "ML202")],
            "templates": [("bad-name", "ML203"), ("template-outputs", "ML302")],
            "eda": [("no-outputs", "ML301")],
            "scripts": [],
        }
        for kind, count in counts.items():
            self.notebooks_of(kind, count, flaws[kind])

    # ----- ordinary files -------------------------------------------------------

    def python_tree(self, root: str, count: int) -> None:
        """`count` files of a Python package tree under root, nested a few levels deep."""
        dirs = [root]
        written = 0
        while written < count:
            parent = self.rng.choice(dirs)
            if written + 1 < count and parent.count("/") - root.count("/") < 3 and self.rng.random() < 0.06:
                sub = f"{parent}/{self.unique(lambda: self.ident())}"
                dirs.append(sub)
                self.w.write(f"{sub}/__init__.py", "")
                written += 1
                continue
            name = self.unique(lambda: self.ident())
            self.w.write(f"{parent}/{name}.py", self.python_source())
            written += 1

    def component(self, folder: str, count: int, *, dockerfile: bool, lib: bool = False) -> None:
        """A job, service or lib folder of `count` files."""
        pkg = self.unique(lambda: self.ident())
        base = [
            ("README.md", self.markdown()),
            ("requirements.txt", "numpy\npandas\npydantic\n"),
            ("configs/default.yaml", self.yaml_config()),
        ]
        if dockerfile:
            base.append(("Dockerfile", self.dockerfile(pkg)))
        if lib:
            base.append(("pyproject.toml", self.pyproject(folder.rsplit("/", 1)[-1])))
        for rel, text in base[:count]:
            self.w.write(f"{folder}/{rel}", text)
        rest = count - min(count, len(base))
        tests = rest // 4
        if rest:
            self.w.write(f"{folder}/src/{pkg}/__init__.py", "")
        self.python_tree(f"{folder}/src/{pkg}", max(0, rest - tests - 1))
        for _ in range(tests):
            self.w.write(
                f"{folder}/tests/test_{self.unique(lambda: self.ident())}.py",
                self.python_source(),
            )

    def components(self, kind: str, budget: int) -> None:
        sizes = []
        while budget > 0:
            size = min(budget, self.rng.randint(8, 60))
            if size < 8 and sizes:  # too small to hold a Dockerfile: fold into the previous one
                sizes[-1] += size
            else:
                sizes.append(size)
            budget -= size
        no_docker = set(self.rng.sample(range(len(sizes)), self.planted_count(len(sizes)))) if kind != "lib" else set()
        bad_names = set(self.rng.sample(range(len(sizes)), self.planted_count(len(sizes) // 3)))
        for i, size in enumerate(sizes):
            stem = self.unique(lambda: self.words(self.rng.randint(1, 2)))
            if kind == "job":
                category = JOB_CATEGORIES[i % len(JOB_CATEGORIES)]
                folder = f"production/jobs/{category}/{stem}" + ("" if i in bad_names else "-job")
                rule = "ML401"
            elif kind == "service":
                folder = f"production/services/{stem}" + ("" if i in bad_names else "-service")
                rule = "ML402"
            else:
                folder = f"production/{stem}-lib"
                rule = "ML405"
            if i in bad_names:
                self.plant(rule, f"{folder}/pyproject.toml" if kind == "lib" else folder)
            if i in no_docker:  # a missing file is reported at its own path
                self.plant("ML404", f"{folder}/Dockerfile")
            self.component(
                folder,
                size,
                dockerfile=i not in no_docker,
                lib=kind == "lib" and i not in bad_names,
            )

    def flat_files(self, folder: str, count: int, makers: list) -> None:
        for _ in range(count):
            ext, make = self.rng.choice(makers)
            sub = self.rng.choice(["", f"{self.rng.choice(WORDS)}/"])
            self.w.write(f"{folder}/{sub}{self.unique(lambda: self.ident())}{ext}", make())

    def develop_scripts(self, count: int) -> None:
        """Experiment folders in research/develop holding scripts and configs."""
        if self.develop_folders:  # exactly that many folders, sharing `count` evenly
            folders = min(self.develop_folders, count)
            for i in range(folders):
                self.experiment_folder(count // folders + (i < count % folders))
            return
        while count > 0:
            count -= self.experiment_folder(None, count)

    def experiment_folder(self, size: int | None, most: int = 0) -> int:
        """One experiment folder of `size` files (None: 2-12, at most `most`); returns the size."""
        folder = f"research/develop/{self.develop_name()}"
        size = size or min(most, self.rng.randint(2, 12))
        self.flat_files(folder, size, [(".py", self.python_source), (".yaml", self.yaml_config)])
        return size

    def budget_shares(self) -> dict[str, float]:
        """Share of the non-notebook files per area; production/src takes the rest."""
        shares = {
            "job": 0.20,
            "service": 0.08,
            "lib": 0.08,
            "tests": 0.15,
            "tools": 0.03,
            "configs": 0.07,
            "scripts": 0.02,
            "develop": 0.03,
        }
        if self.develop_folders:  # most files live in the experiment folders
            shares = {k: v * 0.15 for k, v in shares.items()} | {"develop": 0.85}
        return shares

    def data_in_research(self) -> None:
        for _ in range(self.planted_count(self.notebooks // 20)):
            ext = self.rng.choice([".csv", ".pkl", ".npy", ".parquet"])
            rel = f"research/develop/{self.develop_name()}{ext}"
            if ext == ".csv":
                self.w.write(rel, self.csv_text(self.rng.randint(2_000, 50_000)))
            else:
                self.w.write(rel, self.rng.randbytes(self.rng.randint(2_000, 50_000)))
            self.plant("ML104", rel)

    def csv_text(self, size: int) -> str:
        """About `size` bytes of CSV; a random block of rows repeated (content is never parsed)."""
        block = "".join(f"{i},{self.rng.random():.6f},{self.rng.random():.6f},{i % 2}\n" for i in range(200))
        return "id,feature_a,feature_b,label\n" + block * max(1, size // len(block))

    def local_datasets(self) -> None:
        """Ignored files on disk in data/raw|processed|tmp, plus force-added ones."""
        for folder in NON_PUSHABLE:
            state = folder.split("/")[1]
            for i in range(8):
                ds = f"{self.rng.choice(WORDS)}_{state}_{self.rng.choice(WORDS)}_v{i + 1}"
                ext = self.rng.choice([".csv", ".parquet"])
                size = self.rng.randint(10_000, 3_000_000)
                data = self.csv_text(size).encode() if ext == ".csv" else self.rng.randbytes(size)
                self.w.write(f"{folder}/{ds}{ext}", data, tracked=False)
        for _ in range(self.planted_count(3)):
            rel = f"data/tmp/{self.unique(lambda: self.rng.choice(['data', 'Final Dataset', 'export']))}.csv"
            self.w.write(rel, self.csv_text(5_000), tracked=False)
            self.plant("ML103", rel)
        for _ in range(self.planted_count(2)):
            rel = f"data/raw/{self.rng.choice(WORDS)}_raw_{self.rng.choice(WORDS)}_v{self.rng.randint(10, 99)}.csv"
            self.w.write(rel, self.csv_text(20_000))
            self.force_added.append(rel)
            self.plant("ML101", rel)

    def top_level(self) -> None:
        readme = "# Churn prediction\n\nPredict churn of subscription customers.\n\n## Structure\n\n"
        readme += "".join(f"- `{d}`\n" for d in TEMPLATE_DIRS)
        if self.violation_rate > 0:
            readme += "\n#TODO: describe the deployment\n"
            self.plant("ML002", "README.md")
        self.w.write("README.md", readme)
        self.w.write("LICENSE", "MIT License\n\nCopyright (c) 2024 Bench Author\n")
        self.w.write(".gitignore", GITIGNORE)
        for _ in range(5):
            self.w.write(
                f"assets/{self.unique(lambda: self.words(2))}.png",
                self.png_bytes(self.rng.randint(5_000, 80_000)),
            )

    def empty_template_dirs(self) -> list[str]:
        """Folders that need a .gitkeep: the non-pushable ones and any still empty."""
        return [f for f in TEMPLATE_DIRS if f in NON_PUSHABLE or not self.w.has_files_under(f)]

    def stale_gitkeep_count(self) -> int:
        return self.planted_count((len(TEMPLATE_DIRS) - len(NON_PUSHABLE)) // 4)

    def gitkeeps(self) -> None:
        """Keep empty template folders with .gitkeep; plant stale ones in full folders."""
        keep = self.empty_template_dirs()
        for folder in keep:
            self.w.write(f"{folder}/.gitkeep", "")
        full = [f for f in TEMPLATE_DIRS if f not in keep]
        for folder in self.rng.sample(full, min(len(full), self.stale_gitkeep_count())):
            self.w.write(f"{folder}/.gitkeep", "")
            self.plant("ML003", f"{folder}/.gitkeep")
        for rel in self.force_added:  # a tracked dataset makes the folder's .gitkeep stale
            self.plant("ML003", rel.rsplit("/", 1)[0] + "/.gitkeep")

    # ----- whole repository -----------------------------------------------------

    def generate(self) -> None:
        self.top_level()
        self.all_notebooks()
        self.data_in_research()
        self.local_datasets()
        remaining = self.files - self.w.tracked - 25  # 25: room for .gitkeep files
        if remaining < 100:
            raise SystemExit(f"--files {self.files} is too small for {self.notebooks} notebooks")
        budget = {k: int(remaining * v) for k, v in self.budget_shares().items()}
        for kind in ("job", "service", "lib"):
            self.components(kind, budget[kind])
        self.flat_files("production/tests", budget["tests"], [(".py", self.python_source)])
        self.flat_files(
            "production/tools",
            budget["tools"],
            [(".py", self.python_source), (".sh", self.shell_script)],
        )
        self.flat_files(
            "configs",
            budget["configs"],
            [(".yaml", self.yaml_config), (".json", self.json_config)],
        )
        self.flat_files("data/scripts", budget["scripts"], [(".py", self.python_source)])
        self.develop_scripts(budget["develop"])
        # production/src takes the rest, so the tracked count lands exactly on --files.
        pending_gitkeeps = len([f for f in self.empty_template_dirs() if f != "production/src"])
        src_files = self.files - self.w.tracked - pending_gitkeeps - self.stale_gitkeep_count()
        self.w.write("production/src/pyproject.toml", self.pyproject("churn"))
        self.python_tree("production/src/churn", src_files - 1)
        self.gitkeeps()


def git(repo: Path, *args: str, env: dict | None = None) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV, **(env or {})},
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def commit(repo: Path, force_added: list[str]) -> str:
    git(repo, "init", "-q", "-b", "main")
    # Store objects uncompressed: base64 images barely compress and zlib would
    # double the time of `git add`.
    git(repo, "config", "core.looseCompression", "0")
    git(repo, "add", "-A")
    if force_added:
        git(repo, "add", "-f", "--", *force_added)
    git(repo, "commit", "-q", "-m", "Generated ML project for benchmarks")
    return git(repo, "rev-parse", "HEAD")


def disk_usage(path: Path) -> int:
    total = 0
    for dirpath, _, filenames in os.walk(path):
        for name in filenames:
            total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
    return total


NOTEBOOK_KINDS = {  # longest prefix first: runs/ is inside deliver/
    "runs": "research/deliver/runs/",
    "deliver": "research/deliver/",
    "develop": "research/develop/",
    "templates": "research/templates/",
    "eda": "data/eda/",
    "scripts": "data/scripts/",
}


def notebook_sizes(repo: Path, paths: list[str]) -> dict[str, dict[str, float]]:
    """Count and mean/median KB of the notebooks of each kind, to document a shape."""
    sizes: dict[str, list[int]] = {kind: [] for kind in NOTEBOOK_KINDS}
    for rel in paths:
        if rel.endswith(".ipynb"):
            kind = next((k for k, p in NOTEBOOK_KINDS.items() if p in "/" + rel), None)
            if kind:
                sizes[kind].append((repo / rel).stat().st_size)
    return {
        kind: {
            "count": len(s),
            "mean_kb": round(sum(s) / len(s) / 1000, 1),
            "median_kb": round(sorted(s)[len(s) // 2] / 1000, 1),
        }
        for kind, s in sizes.items()
        if s
    }


PROJECT_CONFIG = "extends: ml-project\n"


def write_projects(
    out: Path,
    files: int,
    notebooks: int,
    seed: int,
    rate: float,
    shape: Shape,
    projects: int,
) -> tuple[list[dict], list[str]]:
    """A monorepo: `projects` template projects under projects/pNN/, each with its own config.

    Returns the planted violations and force-added files, with repo-relative paths.
    """
    planted: list[dict] = []
    force_added: list[str] = []
    for i in range(projects):
        prefix = f"projects/p{i:02d}"
        share = files // projects + (i < files % projects)
        gen = Generator(out / prefix, share - 1, notebooks // projects, seed + i, rate, shape)
        gen.generate()
        gen.w.write(".ml-lint.yaml", PROJECT_CONFIG)  # the config is the project's last file
        planted += [p | {"path": f"{prefix}/{p['path']}"} for p in gen.planted]
        force_added += [f"{prefix}/{rel}" for rel in gen.force_added]
    return planted, force_added


def generate(
    out: Path,
    files: int,
    notebooks: int,
    seed: int,
    violation_rate: float,
    shape: str = "default",
    develop_folders: int = 0,
    projects: int = 0,
) -> dict:
    if out.exists() and any(out.iterdir()):
        if not (out / MANIFEST).exists():  # never wipe a folder this script did not make
            raise SystemExit(f"{out} exists and is not a generated benchmark repo; choose another OUT_DIR")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    started = time.perf_counter()
    if projects:
        planted, force_added = write_projects(out, files, notebooks, seed, violation_rate, SHAPES[shape], projects)
    else:
        gen = Generator(out, files, notebooks, seed, violation_rate, SHAPES[shape], develop_folders)
        gen.generate()
        planted, force_added = gen.planted, gen.force_added
    head = commit(out, force_added)
    paths = git(out, "ls-files", "-z").rstrip("\0").split("\0")
    manifest = {
        "params": {
            "files": files,
            "notebooks": notebooks,
            "seed": seed,
            "violation_rate": violation_rate,
            "shape": shape,
            "develop_folders": develop_folders,
            "projects": projects,
        },
        "commit": head,
        "tracked_files": len(paths),
        "notebook_sizes": notebook_sizes(out, paths),
        "disk_bytes": disk_usage(out),
        "seconds": round(time.perf_counter() - started, 1),
        "planted": planted,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def default_notebooks(files: int, shape: str) -> int:
    """The shape's notebook density: 2,000 (default) or 5,000 (small) per 50,000 files."""
    return round(SHAPES[shape].notebooks * files / 50_000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "out_dir",
        type=Path,
        help="where to create the repository (replaced if it exists)",
    )
    parser.add_argument(
        "--files",
        type=int,
        default=50_000,
        help="tracked files in total (default 50000)",
    )
    parser.add_argument(
        "--notebooks",
        type=int,
        help="how many of them are notebooks (default 2000, or 5000 for --shape small, per 50000 files)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--violation-rate",
        type=float,
        default=0.03,
        help="share of notebooks/folders that break a rule (default 0.03; 0 = clean repo)",
    )
    parser.add_argument(
        "--shape",
        choices=sorted(SHAPES),
        default="default",
        help="notebook sizes: default (20 KB-2 MB of figures) or small (many light notebooks)",
    )
    parser.add_argument(
        "--develop-folders",
        type=int,
        default=0,
        metavar="N",
        help="put most non-notebook files into N experiment folders in research/develop",
    )
    parser.add_argument(
        "--projects",
        type=int,
        default=0,
        metavar="N",
        help="a monorepo of N projects under projects/pNN/, each with .ml-lint.yaml",
    )
    args = parser.parse_args(argv)
    if args.notebooks is None:
        args.notebooks = default_notebooks(args.files, args.shape)
    if not 0 <= args.violation_rate < 1:
        parser.error("--violation-rate must be in [0, 1)")
    if args.notebooks < 0 or args.files <= args.notebooks:
        parser.error("--files must exceed --notebooks")
    if args.projects and args.develop_folders:
        parser.error("--projects and --develop-folders do not combine")
    m = generate(
        args.out_dir,
        args.files,
        args.notebooks,
        args.seed,
        args.violation_rate,
        args.shape,
        args.develop_folders,
        args.projects,
    )
    sizes = ", ".join(f"{k} {v['count']}x{v['mean_kb']:g} KB" for k, v in m["notebook_sizes"].items())
    print(
        f"{args.out_dir}: {m['tracked_files']} tracked files, {args.notebooks} notebooks "
        f"({sizes}), {len(m['planted'])} planted violations, commit {m['commit'][:12]}, "
        f"{m['disk_bytes'] / 2**20:.0f} MiB on disk (incl. .git), {m['seconds']} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
