"""The PhoneXL ablation grid and its leaderboard (mean ± std over seeds).

    python -m benchmarks.leaderboard --preset tiny --pairs zh-vi ja-ko --tasks ner pos \\
        --seeds 3 [--data DIR_OR_HUB_ID] [--workers 2] [--lr 1e-4 ...]

Each finished run is saved as ``benchmarks/results/runs/<run>.json``; runs already there are
skipped, so an interrupted grid resumes. After every run the leaderboard is rewritten:
``leaderboard.csv``, ``leaderboard.md`` (scores, per-step time of each variant against
`orth`, the data notes) and ``leaderboard.png``. ``--aggregate-only`` just rewrites them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from tqdm.auto import tqdm

from benchmarks.phonexl.presets import (
    PAIRS,
    PRESETS,
    TASKS,
    VARIANTS,
    add_config_arguments,
    overrides_from_args,
    resolve,
)

SETTING_NAMES = {"ner": "NER", "pos": "POS"}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    preset: str
    task: str
    pair: str
    variant: str
    seed: int
    data: str
    model_path: str
    overrides: tuple[tuple[str, object], ...]

    @property
    def key(self) -> str:
        name = f"{self.preset}-{self.task}-{self.pair}-{self.variant.lstrip('+')}-{self.seed}"
        if self.overrides:
            digest = hashlib.sha1(json.dumps(self.overrides, sort_keys=True).encode())
            name += "-" + digest.hexdigest()[:8]
        return name


_SETTINGS: dict[tuple, object] = {}  # per process: prepared data of each (task, pair, config)


def execute(job: Job) -> dict[str, object]:
    """Run one job (in this process or a worker), reusing the prepared setting data."""
    import transformers

    from benchmarks.phonexl.train import prepare_setting, run

    transformers.utils.logging.disable_progress_bar()
    config = resolve(job.preset, job.task, job.pair, dict(job.overrides))
    cache_key = (job.task, job.pair, job.data, job.model_path, job.overrides)
    if cache_key not in _SETTINGS:
        _SETTINGS.clear()  # one setting at a time keeps memory flat
        _SETTINGS[cache_key] = prepare_setting(config, job.task, job.pair, job.data,
                                               job.model_path)
    record = run(config, _SETTINGS[cache_key], job.variant, job.seed, progress=False)
    return {**record, "preset": job.preset, "data": job.data, "overrides": dict(job.overrides)}


def load_runs(
    runs_dir: Path, preset: str | None = None, overrides: dict[str, object] | None = None
) -> list[dict[str, object]]:
    """Saved runs of one preset made with exactly these overrides (None: any)."""
    paths = sorted(runs_dir.glob("*.json"))
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    return [
        r for r in runs
        if (preset is None or r.get("preset") == preset)
        and (overrides is None or r.get("overrides", {}) == overrides)
    ]


def _std(values: list[float]) -> float:
    return statistics.stdev(values) if len(values) > 1 else 0.0


def aggregate(runs: Iterable[dict[str, object]]) -> list[dict[str, object]]:
    """One row per (task, pair, variant): seeds, mean, sample std, mean step time."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for record in runs:
        groups[(record["task"], record["pair"], record["variant"])].append(record)
    rows = []
    for task in TASKS:
        for pair in PAIRS:
            for variant in VARIANTS:
                records = sorted(groups.get((task, pair, variant), []), key=lambda r: r["seed"])
                if not records:
                    continue
                scores = [float(r["test"]) for r in records]
                rows.append({
                    "task": task, "pair": pair, "variant": variant,
                    "metric": records[0]["metric"], "seeds": len(records),
                    "mean": round(statistics.mean(scores), 2), "std": round(_std(scores), 2),
                    "scores": scores,
                    "dev_mean": round(statistics.mean(float(r["dev_best"]) for r in records), 2),
                    "step_time_s": round(statistics.mean(
                        float(r["step_time_mean_s"]) for r in records), 4),
                })
    return rows


def write_csv(rows: list[dict[str, object]], path: Path) -> None:
    columns = ["task", "pair", "variant", "metric", "seeds", "mean", "std", "scores",
               "dev_mean", "step_time_s"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "scores": " ".join(f"{s:.2f}" for s in row["scores"])})


def _setting_label(task: str, pair: str) -> str:
    return f"{SETTING_NAMES[task]} {pair.replace('-', '→')}"


def step_time_ratios(rows: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    """Per setting: each variant's mean step time divided by `orth`'s."""
    base = {(r["task"], r["pair"]): r["step_time_s"] for r in rows if r["variant"] == "orth"}
    ratios: dict[str, dict[str, float]] = defaultdict(dict)
    for row in rows:
        orth = base.get((row["task"], row["pair"]))
        if orth:
            ratios[_setting_label(row["task"], row["pair"])][row["variant"]] = round(
                row["step_time_s"] / orth, 2)
    return dict(ratios)


def markdown(rows: list[dict[str, object]], runs: list[dict[str, object]],
             grids: list[dict[str, object]] = ()) -> str:
    """Mean ± std per variant (rows) and setting (columns), step times, and the data notes."""
    settings = list(dict.fromkeys((r["task"], r["pair"]) for r in rows))
    cell = {(r["task"], r["pair"], r["variant"]): r for r in rows}
    header = [_setting_label(*s) for s in settings]
    lines = [
        "# PhoneXL leaderboard",
        "",
        "Zero-shot target-language test scores: entity F1 (seqeval) for NER, accuracy for POS; "
        "mean ± sample std over seeds (n = seeds). Model selection on source dev data only.",
        "",
        "| variant | " + " | ".join(header) + " | mean |",
        "|---|" + "---:|" * (len(header) + 1),
    ]
    for variant in VARIANTS:
        found = [cell.get((*s, variant)) for s in settings]
        if not any(found):
            continue
        texts = [f"{r['mean']:.1f} ± {r['std']:.1f} (n={r['seeds']})" if r else "–"
                 for r in found]
        means = [r["mean"] for r in found if r]
        overall = f"{statistics.mean(means):.1f}" if len(means) == len(found) else "–"
        lines.append(f"| {variant} | " + " | ".join(texts) + f" | {overall} |")
    ratios = step_time_ratios(rows)
    if ratios:
        lines += ["", "## Time per training step, relative to `orth` (same grid, same machine)",
                  "", "| variant | " + " | ".join(ratios) + " |",
                  "|---|" + "---:|" * len(ratios)]
        for variant in VARIANTS:
            values = [ratios[s].get(variant) for s in ratios]
            if any(v is not None for v in values):
                lines.append(f"| {variant} | " + " | ".join(
                    f"{v:.2f}×" if v is not None else "–" for v in values) + " |")
        seconds = {(r["task"], r["pair"], r["variant"]): r["step_time_s"] for r in rows}
        lines += ["", "Mean seconds per step: " + "; ".join(
            f"{_setting_label(t, p)} orth {seconds[(t, p, 'orth')]:.3f} s, "
            f"full {seconds[(t, p, 'full')]:.3f} s"
            for t, p in settings if (t, p, "orth") in seconds and (t, p, "full") in seconds)]
    notes: dict[str, dict[str, None]] = defaultdict(dict)  # setting -> ordered unique notes
    for record in runs:
        for note in record.get("notes", []):
            notes[_setting_label(record["task"], record["pair"])][note] = None
    if notes:
        lines += ["", "## Data", ""] + [f"- {setting}: " + "; ".join(found)
                                        for setting, found in sorted(notes.items())]
    seen = {(r["task"], r["pair"]): r["target_seen_in_source"] for r in runs
            if "target_seen_in_source" in r}
    if seen:
        lines += ["", "Share of the target test input that source training shows the model "
                  "(occurrences): " + "; ".join(
                      f"{_setting_label(*s)} subwords {v['subwords']:.1%}, phones {v['phones']:.1%}"
                      for s, v in seen.items()) + "."]
    if runs:
        config = runs[0]["config"]
        keys = ("lr", "epochs", "max_steps", "batch_size", "max_length", "max_train_sentences",
                "max_test_sentences", "evals", "aux_fraction", "threads")
        lines += ["", "## Configuration", "",
                  "Preset `" + str(runs[0].get("preset")) + "`: "
                  + ", ".join(f"{k}={config[k]}" for k in keys if k in config)
                  + "; α/β/γ/µ/r per setting from the paper (see `benchmarks/phonexl/presets.py`).",
                  f"Device: {runs[0]['device']}; torch {runs[0]['versions']['torch']}, "
                  f"transformers {runs[0]['versions']['transformers']}."]
    if grids:
        lines += ["", "Grid invocations (wall time): " + "; ".join(
            f"{g['runs_executed']} runs ({' '.join(g.get('variants', []))}) in "
            f"{g.get('wall_s', 0) / 60:.1f} min with {g['workers']} worker(s)"
            + (f" after {g['pretraining_s'] / 60:.1f} min of tiny encoder pre-training"
               if g.get("pretraining_s", 0) > 60 else "")
            + (f" ({g['note']})" if g.get("note") else "")
            for g in grids) + "."]
    return "\n".join(lines) + "\n"


def plot(rows: list[dict[str, object]], path: Path) -> None:
    """Grouped bars: one group per setting, one bar per variant, std as error bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    settings = list(dict.fromkeys((r["task"], r["pair"]) for r in rows))
    variants = [v for v in VARIANTS if any(r["variant"] == v for r in rows)]
    cell = {(r["task"], r["pair"], r["variant"]): r for r in rows}
    width = 0.8 / max(len(variants), 1)
    fig, ax = plt.subplots(figsize=(1.8 + 2.2 * len(settings), 4))
    for k, variant in enumerate(variants):
        xs, means, stds = [], [], []
        for i, setting in enumerate(settings):
            row = cell.get((*setting, variant))
            if row:
                xs.append(i + (k - (len(variants) - 1) / 2) * width)
                means.append(row["mean"])
                stds.append(row["std"])
        ax.bar(xs, means, width, yerr=stds, capsize=2, label=variant)
    ax.set_xticks(range(len(settings)), [_setting_label(*s) for s in settings])
    ax.set_ylabel("target test score (F1 / accuracy, %)")
    ax.set_title("PhoneXL ablation, zero-shot (mean ± std over seeds)")
    ax.legend(ncol=3, fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def load_grids(results: Path) -> list[dict[str, object]]:
    """Earlier grid invocations recorded in grid.json (a list, oldest first)."""
    path = results / "grid.json"
    if not path.exists():
        return []
    grids = json.loads(path.read_text())
    return grids if isinstance(grids, list) else [grids]


def write_leaderboard(
    results: Path, preset: str | None, overrides: dict[str, object], current: dict | None = None
) -> list[dict]:
    runs = load_runs(results / "runs", preset, overrides)
    rows = aggregate(runs)
    if not rows:
        return rows
    grids = load_grids(results) + ([current] if current else [])
    write_csv(rows, results / "leaderboard.csv")
    (results / "leaderboard.md").write_text(markdown(rows, runs, grids), encoding="utf-8")
    plot(rows, results / "leaderboard.png")
    return rows


BUILD_HINT = (
    "Build the full corpus set first: python -m benchmarks.dataset_build --out ./phonexl-data "
    "(from ../shared), or python -m alignment_dataset.build --lang all --task all --source hub "
    "(online); then pass --data with that folder if it is not ./phonexl-data."
)


def default_results(preset: str, overrides: dict[str, object]) -> Path:
    """A run folder of its own under the project cache, keyed by the grid's configuration, so
    that the same command resumes and the committed results are never touched by accident."""
    from g2p.ko.offline_cmudict import cache_dir

    name = preset
    if overrides:
        name += "-" + hashlib.sha1(json.dumps(overrides, sort_keys=True).encode()).hexdigest()[:8]
    return cache_dir() / "leaderboard" / name


def check_data(data: str, tasks: Iterable[str], pairs: Iterable[str]) -> list[str]:
    """Everything the grid's settings need that `data` lacks, one phrase each (empty: ready)."""
    from benchmarks.phonexl import data as ds

    return [f"{SETTING_NAMES[task]} {pair}: {what}" for task in tasks for pair in pairs
            for what in ds.missing_for(data, task, pair)]


def save_references(results: Path, data: str, preset: str, tasks: Iterable[str],
                    pairs: Iterable[str], overrides: dict[str, object]) -> None:
    """Compute each setting's reference scores on the runs' test sample; references.json."""
    from benchmarks.phonexl.references import setting_references

    path = results / "references.json"
    saved = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for task in tasks:
        for pair in pairs:
            config = resolve(preset, task, pair, overrides)
            saved[f"{task} {pair}"] = setting_references(
                data, task, pair, config.max_train_sentences, config.max_test_sentences,
                config.dev_holdout)
    path.write_text(json.dumps(saved, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.leaderboard", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="tiny",
                        help="run configuration the flags below override")
    parser.add_argument("--pairs", nargs="+", choices=PAIRS, default=list(PAIRS),
                        help="source-target language pairs")
    parser.add_argument("--tasks", nargs="+", choices=TASKS, default=list(TASKS))
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS),
                        help="ablation variants (significance is tested against orth)")
    parser.add_argument("--seeds", type=int, default=5, help="use the preset's first N seeds")
    parser.add_argument("--data", default=None, help="dataset folder or Hub id (default: "
                        "./phonexl-data when built, else the Hub dataset)")
    parser.add_argument("--results", type=Path, default=None,
                        help="results folder (default: a folder of this grid's own under "
                        "$PHONEXL_CACHE/leaderboard; pass benchmarks/results to update the "
                        "committed leaderboard)")
    parser.add_argument("--workers", type=int, default=1,
                        help="parallel runs (processes); the tiny preset uses 1 thread each")
    parser.add_argument("--pretrain-steps", type=int, default=None,
                        help="tiny encoder pre-training steps (default: TinyEncoderConfig's)")
    parser.add_argument("--aggregate-only", action="store_true",
                        help="rewrite the leaderboard from the saved runs and exit")
    add_config_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    overrides = overrides_from_args(args)
    results = args.results or default_results(args.preset, overrides)
    if args.aggregate_only:
        write_leaderboard(results, args.preset, overrides)
        return 0

    from benchmarks.phonexl.availability import Unavailable
    from benchmarks.phonexl.data import unlabeled_text
    from benchmarks.phonexl.train import resolve_data

    try:
        data = resolve_data(args.data)
    except Unavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    missing = check_data(data, args.tasks, args.pairs)
    base = resolve(args.preset, args.tasks[0], args.pairs[0], overrides)
    if base.model == "tiny" and not unlabeled_text(data):
        missing.append("unlabeled train/validation text to pre-train the tiny encoder on")
    if missing:
        print(f"error: the dataset {data} lacks what the grid needs: " + "; ".join(missing)
              + ". " + BUILD_HINT, file=sys.stderr)
        return 2

    import torch
    import transformers

    from benchmarks.phonexl.tiny import TinyEncoderConfig
    from benchmarks.phonexl.train import resolve_model

    transformers.utils.logging.disable_progress_bar()
    if base.threads:
        torch.set_num_threads(base.threads * max(args.workers, 1))
    seeds = base.seeds[: args.seeds]
    started = time.perf_counter()
    tiny = TinyEncoderConfig()
    if args.pretrain_steps:
        tiny = TinyEncoderConfig(steps=args.pretrain_steps)
    try:
        model_path = resolve_model(base, data, tiny)
    except Unavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    pretraining_s = time.perf_counter() - started
    runs_dir = results / "runs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    print(f"results: {results}", file=sys.stderr)
    save_references(results, data, args.preset, args.tasks, args.pairs, overrides)
    frozen = tuple(sorted(overrides.items()))
    jobs = [Job(args.preset, task, pair, variant, seed, data, model_path, frozen)
            for seed in seeds for task in args.tasks for pair in args.pairs
            for variant in args.variants]
    todo = [job for job in jobs if not (runs_dir / f"{job.key}.json").exists()]
    log.info("%d runs in the grid, %d already done, %d to run", len(jobs),
             len(jobs) - len(todo), len(todo))
    grid = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "workers": args.workers,
            "variants": args.variants, "seeds": len(seeds), "runs_executed": 0,
            "pretraining_s": round(pretraining_s, 1)}
    bar = tqdm(total=len(todo), desc="leaderboard grid", unit="run")

    def finish(job: Job, record: dict[str, object]) -> None:
        (runs_dir / f"{job.key}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        grid["runs_executed"] += 1
        grid["wall_s"] = round(time.perf_counter() - started, 1)
        write_leaderboard(results, args.preset, overrides, grid)
        bar.set_postfix_str(f"{job.key}: {record['test']:.1f}")
        bar.update()

    if args.workers <= 1:
        for job in todo:
            finish(job, execute(job))
    else:
        with ProcessPoolExecutor(args.workers, mp_context=get_context("spawn")) as pool:
            futures = {pool.submit(execute, job): job for job in todo}
            for future in as_completed(futures):
                finish(futures[future], future.result())
    bar.close()
    grid["wall_s"] = round(time.perf_counter() - started, 1)
    grids = load_grids(results) + [grid]
    (results / "grid.json").write_text(json.dumps(grids, indent=1) + "\n")
    rows = write_leaderboard(results, args.preset, overrides)
    print((results / "leaderboard.md").read_text(encoding="utf-8") if rows else "no runs")
    print(f"results: {results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
