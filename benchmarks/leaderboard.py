"""Run the PhoneXL ablation grid and write its leaderboard.

    python -m benchmarks.leaderboard --preset tiny --pairs zh-vi ja-ko --tasks ner pos \\
        --seeds 5 [--data DIR_OR_HUB_ID] [--workers 2] [--results DIR] [--lr 1e-4 ...]

The dataset is checked first: a setting whose source or target data is missing stops the
grid at once, naming what is missing and the command that builds it. Each finished run is
saved as ``<results>/runs/<run>.json``; runs already there are skipped, so an interrupted grid
resumes. ``<results>`` is a folder of this grid's own under ``$PHONEXL_CACHE/results/leaderboard``
unless ``--results`` names one: the committed ``benchmarks/results`` changes only when named.
After every run the leaderboard (:mod:`benchmarks.report`) is rewritten; ``--aggregate-only``
just rewrites it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from tqdm.auto import tqdm

from g2p.paths import save_json, scratch_results
from phonexl.presets import (
    PAIRS,
    PRESETS,
    TASKS,
    VARIANTS,
    add_config_arguments,
    overrides_from_args,
    resolve,
)

log = logging.getLogger(__name__)


def overrides_digest(overrides: dict[str, object]) -> str:
    """Eight hex digits naming a set of run-config overrides, in run names and folder names."""
    return hashlib.sha1(json.dumps(overrides, sort_keys=True).encode()).hexdigest()[:8]


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
            name += "-" + overrides_digest(dict(self.overrides))
        return name


# Per worker process: the prepared data of each (task, pair, config). The grid runs seed by seed,
# so every setting comes back: keep all four instead of preparing each again for every seed.
_SETTINGS: dict[tuple, object] = {}
_KEEP_SETTINGS = 4


def execute(job: Job) -> dict[str, object]:
    """Run one job (in this process or a worker), reusing the prepared setting data."""
    import transformers

    from phonexl.train import prepare_setting, run

    transformers.utils.logging.disable_progress_bar()
    config = resolve(job.preset, job.task, job.pair, dict(job.overrides))
    cache_key = (job.task, job.pair, job.data, job.model_path, job.overrides)
    if cache_key not in _SETTINGS:
        if len(_SETTINGS) >= _KEEP_SETTINGS:
            _SETTINGS.pop(next(iter(_SETTINGS)))  # the oldest
        _SETTINGS[cache_key] = prepare_setting(config, job.task, job.pair, job.data,
                                               job.model_path)
    record = run(config, _SETTINGS[cache_key], job.variant, job.seed, progress=False)
    return {**record, "preset": job.preset, "data": job.data, "overrides": dict(job.overrides)}


BUILD_HINT = (
    "Build the full corpus set first: python -m benchmarks.dataset_build --out ./phonexl-data "
    "(from ../shared), or python -m alignment_dataset.build --lang all --task all --source hub "
    "(online); then pass --data with that folder if it is not ./phonexl-data."
)


def default_results(preset: str, overrides: dict[str, object]) -> Path:
    """A run folder of its own under the project cache, keyed by the grid's configuration, so
    that the same command resumes and the committed results are never touched by accident."""
    name = preset + ("-" + overrides_digest(overrides) if overrides else "")
    return scratch_results() / "leaderboard" / name


def check_data(data: str, tasks: Iterable[str], pairs: Iterable[str]) -> list[str]:
    """Everything the grid's settings need that `data` lacks, one phrase each (empty: ready)."""
    from phonexl import data as ds

    return [f"{task.upper()} {pair}: {what}" for task in tasks for pair in pairs
            for what in ds.missing_for(data, task, pair)]


def save_references(results: Path, data: str, preset: str, tasks: Iterable[str],
                    pairs: Iterable[str], overrides: dict[str, object]) -> None:
    """Compute each setting's reference scores on the runs' test sample; references.json."""
    from benchmarks.references import setting_references

    path = results / "references.json"
    saved = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for task in tasks:
        for pair in pairs:
            config = resolve(preset, task, pair, overrides)
            saved[f"{task} {pair}"] = setting_references(
                data, task, pair, config.max_train_sentences, config.max_test_sentences,
                config.dev_holdout)
    save_json(path, saved)


def seed_list(preset: tuple[int, ...], count: int) -> tuple[int, ...]:
    """``count`` seeds: the preset's, then more in its own steps of 111, so that asking for
    more seeds than a preset lists runs them instead of silently running fewer."""
    extra = range(preset[-1] + 111, preset[-1] + 111 * (count - len(preset) + 1), 111)
    return (*preset[:count], *extra)


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
    parser.add_argument("--seeds", type=int, default=5,
                        help="N seeds: the preset's first N, continued past its last in steps "
                             "of 111 when N is larger (111, 222, ..., 555, 666, ...)")
    parser.add_argument("--data", default=None, help="dataset folder or Hub id (default: "
                        "./phonexl-data when built, else the Hub dataset)")
    parser.add_argument("--results", type=Path, default=None,
                        help="results folder (default: a folder of this grid's own under "
                        "$PHONEXL_CACHE/results/leaderboard; pass benchmarks/results to update the "
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    from benchmarks.report import load_grids, write_leaderboard  # numpy, seqeval: not for --help

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    overrides = overrides_from_args(args)
    results = args.results or default_results(args.preset, overrides)
    if args.aggregate_only:
        write_leaderboard(results, args.preset, overrides)
        return 0

    from phonexl.availability import Unavailable
    from phonexl.data import resolve_data, unlabeled_text

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
        print(f"error: the dataset {data} lacks what the grid needs:\n"
              + "".join(f"  - {what}\n" for what in missing) + BUILD_HINT, file=sys.stderr)
        return 2

    import torch
    import transformers

    from phonexl.tiny import TinyEncoderConfig
    from phonexl.train import resolve_model

    transformers.utils.logging.disable_progress_bar()
    if base.threads:
        torch.set_num_threads(base.threads * max(args.workers, 1))
    seeds = seed_list(base.seeds, args.seeds)
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
        save_json(runs_dir / f"{job.key}.json", record)
        grid["runs_executed"] += 1
        grid["wall_s"] = round(time.perf_counter() - started, 1)
        write_leaderboard(results, args.preset, overrides, grid, tests=False)
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
