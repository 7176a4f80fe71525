"""Summarise run.py's --json figures as Markdown: medians, ratios and targets per shape.

    python benchmarks/summarize.py FIGURES.json [--title TEXT] > summary.md

Ratios are recomputed from the medians with run.py's comparisons, so a
summary never shows a figure the JSON does not hold.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from run import COMPARISONS


def shapes_of(figures: dict) -> dict[str, dict]:
    """Per-shape sections; a file from the runner before --shape has one, the default."""
    return figures.get("shapes") or {"default": figures}


def ratio_cell(cases: dict, key: str) -> str:
    case = cases[key]
    parts = []
    base = cases.get(f"{key}~base")
    if base and base["median"]:
        parts.append(f"new/old {case['median'] / base['median']:.2f}×")
    for other in COMPARISONS.get(key, []):
        ref = cases.get(other)
        if ref and ref["median"]:
            parts.append(f"{case['median'] / ref['median']:.2f}× {other.removesuffix('@small')}")
    return ", ".join(parts)


def repo_label(figures: dict, path: str) -> str:
    for kind, repo in figures.get("repos", {}).items():
        if repo.get("path") == path:
            return kind
    return Path(path).name


def case_rows(section: dict) -> list[str]:
    cases = section["cases"]
    rows = ["| row | repo | median s | min s | peak RSS MiB | ratio |", "|---|---|---|---|---|---|"]
    for key, case in cases.items():
        repo = repo_label(section, case["repo"])
        if case["median"] is None:
            why = case["skipped"] or case["error"] or "not measured"
            rows.append(f"| {case['label']} | {repo} | skipped | | | {why} |")
            continue
        rss = case["peak_rss_kib"]
        rows.append(
            f"| {case['label']} | {repo} | {case['median']:.3f} | {min(case['seconds']):.3f} "
            f"| {'n/a' if rss is None else f'{rss / 1024:.0f}'} | {ratio_cell(cases, key)} |"
        )
    return rows


def shown_value(value: float, unit: str) -> str:
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    return f"{value:.3f} s" if unit == "s" else f"{value:.3f}"


def target_rows(section: dict) -> list[str]:
    rows = ["| target | measured | result |", "|---|---|---|"]
    for t in section.get("targets", []):
        value = t["value"]
        shown = "-" if value is None else shown_value(value, t.get("unit", ""))
        result = "SKIP" if t["pass"] is None else "PASS" if t["pass"] else "FAIL"
        rows.append(f"| {t['target']} | {shown} | {result} |")
    return rows


def notes(section: dict) -> list[str]:
    out = []
    derived = section.get("derived") or {}
    if derived.get("hook_net_seconds") is not None:
        net, ratio = derived["hook_net_seconds"], derived.get("hook_net_ratio")
        out.append(
            f"- pre-commit --all-files net of pre-commit's overhead: {net:.3f} s"
            + (f" = {ratio:.2f}× the plain check" if ratio is not None else "")
        )
    planted = section.get("planted_violations_found") or {}
    if "found" in planted:
        out.append(f"- planted violations reported by the cold check: {planted['found']}/{planted['planted']}")
    projects = section.get("monorepo_projects_honoured") or {}
    if "honoured" in projects:
        out.append(
            f"- monorepo sub-projects honoured: {'yes' if projects['honoured'] else 'NO'} "
            f"({projects['outside_projects']} of {projects['violations']} violations outside projects/)"
        )
    for kind, repo in section.get("repos", {}).items():
        sizes = ", ".join(f"{k} {v['count']}×{v['mean_kb']:g} KB" for k, v in repo.get("notebook_sizes", {}).items())
        out.append(
            f"- repo {kind}: {repo.get('tracked_files')} files, commit {repo.get('commit', '')[:12]}"
            + (f"; notebooks (count × mean): {sizes}" if sizes else "")
        )
    return out


def summary(figures: dict, title: str) -> str:
    machine = figures.get("machine", {})
    lines = [
        f"# {title}",
        "",
        (
            f"ml-lint: {figures.get('versions', {}).get('ml-lint')}; "
            f"{machine.get('cpus')} CPUs, {machine.get('platform')}, "
            f"Python {machine.get('python')}; {figures.get('runs', '?')} interleaved rounds, "
            f"medians; load average at the end: {machine.get('loadavg_at_end', 'not recorded')}."
        ),
    ]
    for shape, section in shapes_of(figures).items():
        lines += ["", f"## Shape {shape}", "", *case_rows(section), "", *target_rows(section)]
        lines += ["", *notes(section)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("figures", type=Path, help="a run.py --json file")
    parser.add_argument("--title", default="ml-lint benchmark figures")
    args = parser.parse_args(argv)
    sys.stdout.write(summary(json.loads(args.figures.read_text()), args.title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
