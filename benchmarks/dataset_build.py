"""Full dataset build over every PAN-X and UD file in ../shared/data: time, tokens/s, memory.

    python -m benchmarks.dataset_build [--out ./phonexl-data]

Inputs per language: the PhoneXL release's PAN-X files (``phonexl_original/panx/*-<lang>.tsv``,
token and label columns), the UD treebanks (``ud/<lang>_*.conllu``) and, where the treebank
has no train split, the release's UDPOS train file (``phonexl_original/udpos/train-<lang>.tsv``,
e.g. Japanese). Each language is one ``alignment_dataset.build`` run with ``--workers 2
--force`` into the same folder. Then the release's dev files are compared with our IPA
(``--compare-limit`` sentences each) and the card is refreshed. Prints and saves JSON.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

from alignment_dataset import build, compare
from alignment_dataset.publish import publish_folder
from alignment_dataset.sources import lang_from_name
from alignment_dataset.writer import built_configs
from g2p import LANGS
from g2p.paths import DEFAULT_DATASET, save_json, save_json_path, shared_data

_GOAL_S = 600


def inputs(data: Path, lang: str) -> list[Path]:
    """The files one language is built from (see the module docstring)."""
    panx = sorted((data / "phonexl_original" / "panx").glob(f"*-{lang}.tsv"))
    ud = sorted((data / "ud").glob(f"{lang}_*.conllu"))
    udpos_train = data / "phonexl_original" / "udpos" / f"train-{lang}.tsv"
    needs_train = not any("train" in path.name for path in ud)
    return [*panx, *ud, *([udpos_train] if needs_train and udpos_train.is_file() else [])]


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


def run(data: Path, out: Path, workers: int, compare_limit: int,
        langs: tuple[str, ...] = LANGS) -> dict[str, object]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # local files only: never wait on the network
    per_lang: dict[str, dict[str, object]] = {}
    started = time.perf_counter()
    for lang in langs:
        files = inputs(data, lang)
        lang_start = time.perf_counter()
        code = build.main(["--lang", lang, "--source", *map(str, files), "--out", str(out),
                           "--workers", str(workers), "--force", "--no-progress"])
        if code:
            raise SystemExit(f"build of {lang} failed with exit status {code}")
        seconds = time.perf_counter() - lang_start
        manifests = [m for _, m in built_configs(out).values() if m["lang"] == lang]
        tokens = sum(s["tokens"] for m in manifests for s in m["splits"].values())
        sentences = sum(s["rows"] for m in manifests for s in m["splits"].values())
        per_lang[lang] = {
            "files": [str(path.relative_to(data)) for path in files],
            "sentences": sentences, "tokens": tokens, "seconds": round(seconds, 1),
            "tokens_per_s": round(tokens / seconds, 1),
        }
    build_seconds = time.perf_counter() - started
    peak_build_main, peak_build_child = _peak_mb(resource.RUSAGE_SELF), _peak_mb(
        resource.RUSAGE_CHILDREN)
    compare_start = time.perf_counter()
    release_dev = [path for path in sorted((data / "phonexl_original").glob("*/dev-*.tsv"))
                   if lang_from_name(path) in langs]
    compare.merge_into(out, compare.compare_files(release_dev, limit=compare_limit))
    publish_folder(out)
    total_tokens = sum(v["tokens"] for v in per_lang.values())
    return {
        "out": str(out),
        "workers": workers,
        "languages": per_lang,
        "total_sentences": sum(v["sentences"] for v in per_lang.values()),
        "total_tokens": total_tokens,
        "build_wall_s": round(build_seconds, 1),
        "tokens_per_s": round(total_tokens / build_seconds, 1),
        "goal_s": _GOAL_S,
        "within_goal": build_seconds <= _GOAL_S,
        "compare_wall_s": round(time.perf_counter() - compare_start, 1),
        "compare_limit_sentences_per_file": compare_limit,
        # Peak resident memory (ru_maxrss): the build's main process (reading, writing,
        # card) and its largest child (a transcription worker); the comparison afterwards
        # loads all four adapters in the main process, hence a separate figure.
        "peak_rss_build_main_mb": peak_build_main,
        "peak_rss_build_largest_worker_mb": peak_build_child,
        "peak_rss_main_after_compare_mb": _peak_mb(resource.RUSAGE_SELF),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dataset_build",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=shared_data(),
                        help="the shared data folder (default: ../shared/data)")
    parser.add_argument("--out", type=Path, default=DEFAULT_DATASET,
                        help="dataset folder to build (default: ./phonexl-data, where the "
                        "benchmark looks)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--langs", nargs="+", choices=LANGS, default=list(LANGS),
                        help="languages to build (default: all four)")
    parser.add_argument("--compare-limit", type=int, default=2000,
                        help="sentences per release dev file in the comparison")
    parser.add_argument("--save", type=Path,
                        help="JSON output (default: dataset_build.json in $PHONEXL_CACHE/results; "
                        "name benchmarks/results/... to update the committed figures)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.data.is_dir():
        print(f"error: {args.data} not found; pass --data", file=sys.stderr)
        return 2
    result = run(args.data, args.out.resolve(), args.workers, args.compare_limit,
                 tuple(args.langs))
    for key, value in result.items():
        print(f"{key}: {value}")
    save = save_json(save_json_path(args.save, "dataset_build.json"), result)
    print(f"saved to {save}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
