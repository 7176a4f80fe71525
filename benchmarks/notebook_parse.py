"""Compare parse_notebook with json.loads and nbformat.reads on generated notebooks.

    python benchmarks/notebook_parse.py [--count 200] [--repeat 3]

Notebooks are built in memory with nbformat (20 KB - 2 MB each, mostly base64
PNG outputs, as executed ML notebooks are) and each reader is timed over all of
them; the best of --repeat runs is reported.
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import random
import time

import nbformat
from nbformat import v4

from ml_lint.notebooks.reader import parse_notebook


def generate(count: int, seed: int = 0) -> list[bytes]:
    rng = random.Random(seed)
    notebooks = []
    for _ in range(count):
        target = int(20_000 * 100 ** rng.random())  # log-uniform 20 KB .. 2 MB
        cells = [v4.new_markdown_cell("# Generated notebook\nSome text.")]
        size = 0
        count_ = 0
        while size < target:
            count_ += 1
            source = "\n".join(f"x_{i} = compute({i}, 'é')" for i in range(rng.randint(1, 30)))
            outputs = [v4.new_output("stream", name="stdout", text="epoch 1 loss 0.1234\n" * rng.randint(1, 400))]
            if rng.random() < 0.5:
                png = base64.b64encode(rng.randbytes(rng.randint(5_000, 120_000))).decode()
                outputs.append(v4.new_output("display_data", {"image/png": png, "text/plain": "<Figure>"}))
                size += len(png)
            cells.append(v4.new_code_cell(source, execution_count=count_, outputs=outputs))
            cells.append(v4.new_markdown_cell(f"## Step {count_}"))
            size += len(source) + 200
        notebooks.append((nbformat.writes(v4.new_notebook(cells=cells)) + "\n").encode())
    return notebooks


def best_time(read, notebooks: list[bytes], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for data in notebooks:
            read(data)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # nbformat logs validation chatter

    notebooks = generate(args.count)
    megabytes = sum(map(len, notebooks)) / 1e6
    cells = sum(len(parse_notebook(data).cells) for data in notebooks)
    print(f"{len(notebooks)} notebooks, {megabytes:.1f} MB, {cells} cells")
    readers = {
        "parse_notebook": parse_notebook,
        "json.loads": json.loads,
        "nbformat.reads(as_version=4)": lambda data: nbformat.reads(data.decode(), as_version=4),
    }
    baseline = None
    for name, read in readers.items():
        seconds = best_time(read, notebooks, args.repeat)
        baseline = baseline or seconds
        print(
            f"{name:30} {seconds * 1000:8.1f} ms  {megabytes / seconds:7.0f} MB/s"
            f"  {seconds / baseline:5.2f}x parse_notebook"
        )


if __name__ == "__main__":
    main()
