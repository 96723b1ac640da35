"""Two grids that differ in one setting (the encoder, tones, granularity, the dictionary),
compared cell by cell: does the change help transfer?

    python -m benchmarks.compare_grids --base benchmarks/results \\
        --other benchmarks/results/phonemic [--save FILE.md]

Every (setting, variant) that both results folders ran is tested as the leaderboard tests a
variant against `orth` (:mod:`benchmarks.significance`): the difference other − base, paired
over the same target test sentences and the same seeds, its 95 % bootstrap interval, and
Holm's correction over all the compared cells. The two grids must share their test samples
(their runs' fingerprints); each grid is named by the configuration fields in which the two
differ. Writes the table as markdown and JSON (by default under the scratch results folder).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from benchmarks import significance
from benchmarks.report import (
    MARK,
    by_setting,
    counts_by_seed,
    fingerprint,
    load_runs,
    setting_label,
)
from g2p.paths import save_json_path
from phonexl.presets import PAIRS, TASKS, VARIANTS, RunConfig

_DEFAULTS = {field.name: field.default for field in dataclasses.fields(RunConfig)}


def _field_values(runs: list[dict[str, object]]) -> dict[str, set[str]]:
    """Every configuration field's values over the runs (the encoder by its folder's name),
    and the encoder's weights, which the folder's name does not fix."""
    found: dict[str, set[str]] = defaultdict(set)
    for run in runs:
        found["encoder_weights"].add(str(run.get("encoder_weights", "(not recorded)")))
        # a field added after the run was made: the run behaved as its default
        for field, value in {**_DEFAULTS, **run["config"]}.items():
            if field != "seeds":
                found[field].add(Path(str(value)).name if field == "model" else str(value))
    return found


def grid_labels(base: list[dict[str, object]], other: list[dict[str, object]]) -> tuple[str, str]:
    """Each grid named by the configuration fields whose values tell the two apart."""
    mine, theirs = _field_values(base), _field_values(other)
    fields = sorted(f for f in mine.keys() | theirs.keys() if mine.get(f) != theirs.get(f))
    if not fields:
        return "the same configuration", "the same configuration"
    return tuple(", ".join(f"{f}={'/'.join(sorted(values.get(f, {'(unset)'})))}" for f in fields)
                 for values in (mine, theirs))


def compare(base: list[dict[str, object]], other: list[dict[str, object]]) -> list[dict]:
    """One row per (task, pair, variant) both grids ran with at least MIN_SEEDS shared seeds."""
    base_settings, other_settings = by_setting(base), by_setting(other)
    rows = []
    for task in TASKS:
        for pair in PAIRS:
            for variant in VARIANTS:
                mine = base_settings.get((task, pair), {}).get(variant, [])
                theirs = other_settings.get((task, pair), {}).get(variant, [])
                seeds = sorted({r["seed"] for r in mine} & {r["seed"] for r in theirs})
                if len(seeds) < significance.MIN_SEEDS:
                    continue
                fingerprint(mine + theirs)  # one test sample, or the pairing means nothing
                counts = {name: counts_by_seed(task, (r for r in runs if r["seed"] in seeds))
                          for name, runs in (("base", mine), ("other", theirs))}
                found = significance.compare_setting(task, counts, baseline="base")["other"]
                scores = {name: [float(r["test"]) for r in runs if r["seed"] in seeds]
                          for name, runs in (("base", mine), ("other", theirs))}
                rows.append({
                    "task": task, "pair": pair, "variant": variant, "seeds": seeds,
                    "base": round(statistics.mean(scores["base"]), 2),
                    "other": round(statistics.mean(scores["other"]), 2),
                    "difference": round(found["difference"], 2),
                    "difference_ci": [round(v, 2) for v in found["difference_ci"]],
                    "p": found["p"],
                })
    adjusted = significance.holm({i: row["p"] for i, row in enumerate(rows)})
    for i, p in adjusted.items():
        rows[i]["p_holm"] = round(p, 4)
        rows[i]["significant"] = p < significance.ALPHA
    return rows


def markdown(rows: list[dict], base_label: str, other_label: str) -> str:
    settings = list(dict.fromkeys((r["task"], r["pair"]) for r in rows))
    cell = {(r["task"], r["pair"], r["variant"]): r for r in rows}
    lines = [
        "# Grid comparison",
        "",
        f"base: {base_label}; other: {other_label}. Each cell: base → other (means over the "
        "shared seeds), the difference other − base with its 95 % interval (paired bootstrap "
        "over the same test sentences and seeds) and the p-value after Holm's correction over "
        f"all {len(rows)} cells; {MARK} and bold: significant at family-wise α = "
        f"{significance.ALPHA}.",
        "",
        "| variant | " + " | ".join(setting_label(*s) for s in settings) + " |",
        "|---|" + "---:|" * len(settings),
    ]
    for variant in VARIANTS:
        found = [cell.get((*s, variant)) for s in settings]
        if any(found):
            lines.append(f"| {variant} | " + " | ".join(map(_cell, found)) + " |")
    significant = [r for r in rows if r["significant"]]
    lines += ["", f"{len(significant)} of {len(rows)} differences are significant"
              + (": " + "; ".join(f"{r['variant']} on {setting_label(r['task'], r['pair'])} "
                                  f"({r['difference']:+.1f})" for r in significant)
                 if significant else "") + "."]
    return "\n".join(lines) + "\n"


def _cell(row: dict | None) -> str:
    if not row:
        return "–"
    low, high = row["difference_ci"]
    text = (f"{row['base']:.1f} → {row['other']:.1f}: {row['difference']:+.1f} "
            f"[{low:+.1f}, {high:+.1f}], p={row['p_holm']:.3f} (n={len(row['seeds'])})")
    return f"**{text}** {MARK}" if row["significant"] else text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_grids",
                                     description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--base", type=Path, required=True,
                        help="results folder of the reference grid")
    parser.add_argument("--other", type=Path, required=True,
                        help="results folder of the grid with the change")
    parser.add_argument("--save", type=Path, default=None,
                        help="markdown output, with a .json beside it (default: "
                        "grid_comparison.md in $PHONEXL_CACHE/results)")
    args = parser.parse_args(argv)
    base, other = (load_runs(folder / "runs") for folder in (args.base, args.other))
    for folder, runs in ((args.base, base), (args.other, other)):
        if not runs:
            print(f"error: no runs in {folder / 'runs'}", file=sys.stderr)
            return 2
    try:
        rows = compare(base, other)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not rows:
        print(f"error: {args.base} and {args.other} share no setting and variant with "
              f"{significance.MIN_SEEDS}+ seeds", file=sys.stderr)
        return 2
    compared = {(r["task"], r["pair"], r["variant"]) for r in rows}
    text = markdown(rows, *grid_labels(
        *([r for r in runs if (r["task"], r["pair"], r["variant"]) in compared]
          for runs in (base, other))))
    path = save_json_path(args.save, "grid_comparison.md")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    print(text)
    print(f"saved to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
