"""What freezing a build worker's heap saves: its CPU seconds with and without.

    python -m benchmarks.worker_gc --lang ja ko vi zh --sentences 8000 \\
        --save benchmarks/results/worker_gc_freeze.json

A build worker (:class:`alignment_dataset.shards.ShardWorker`: a local pool process or a Ray
actor) holds its modules and its adapter's tables for its whole life; each of Python's full
garbage-collection passes, which a worker's growing memo caches start every so often, walks
them again. :func:`alignment_dataset.transcribe.freeze_worker_heap` (``gc.freeze``) leaves
them out. Per language, a fresh process (spawned: nothing inherited) imports what a local
worker imports (for a Ray actor, ray.data besides), builds the adapter and tokenizer, freezes
or not, and transcribes the first ``--sentences`` lines of the corpus of
:mod:`benchmarks.transcribe_scale` (new lines, real words); the four settings alternate
``--repeats`` times and their median CPU seconds are compared. Without Ray installed (the
``[ray]`` extra) only the local settings run.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import multiprocessing
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from g2p import LANGS
from g2p.paths import save_json, save_json_path

# A local worker's heap, then a Ray Data actor's (the same and ray.data), each as is and frozen.
SETTINGS = ("local", "local-frozen", "ray", "ray-frozen")


def transcribe_lines(lang: str, corpus: Path, count: int, setting: str) -> dict[str, float]:
    """CPU seconds to transcribe ``count`` lines of ``corpus`` as a build worker does
    (``setting``: of :data:`SETTINGS`)."""
    import alignment_dataset.shards  # noqa: F401  (what a worker has imported)
    from alignment_dataset import text
    from alignment_dataset.transcribe import default_factory, freeze_worker_heap

    adapter, tokenize = default_factory(lang, True), text.tokenizer(lang, False)
    if setting.startswith("ray"):
        import ray.data  # noqa: F401  (what a Ray Data actor has imported besides)
    if setting.endswith("frozen"):
        freeze_worker_heap()
    with open(corpus, encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line in islice(handle, count)]
    started = time.process_time()
    for line in lines:
        adapter.transcribe(tokenize(line))
    return {"cpu_s": time.process_time() - started,
            "full_collections": gc.get_stats()[2]["collections"],
            "frozen_objects": gc.get_freeze_count()}


def main(argv: list[str] | None = None) -> int:
    from benchmarks.transcribe_scale import make_corpus

    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker_gc",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", nargs="+", choices=LANGS, default=list(LANGS))
    parser.add_argument("--sentences", type=int, default=8000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--corpus-dir", type=Path, default=Path("/tmp/phonexl-scale"))
    parser.add_argument("--save", type=Path, help="JSON path (default: scratch results)")
    args = parser.parse_args(argv)
    if args.sentences < 1 or args.repeats < 1:
        parser.error("--sentences and --repeats must be at least 1")
    results: dict[str, object] = {"sentences": args.sentences, "repeats": args.repeats,
                                  "languages": {}}
    spawn = multiprocessing.get_context("spawn")
    settings = SETTINGS if importlib.util.find_spec("ray") else SETTINGS[:2]
    heaps = sorted({setting.removesuffix("-frozen") for setting in settings})
    if settings != SETTINGS:
        print("Ray is not installed: local settings only", file=sys.stderr)
    for lang in args.lang:
        corpus = make_corpus(lang, args.sentences, args.corpus_dir)
        runs: dict[str, list[dict[str, float]]] = {setting: [] for setting in settings}
        for _ in range(args.repeats):
            for setting in runs:
                with ProcessPoolExecutor(1, mp_context=spawn) as fresh:
                    runs[setting].append(fresh.submit(
                        transcribe_lines, lang, corpus, args.sentences, setting).result())
        medians = {setting: statistics.median(run["cpu_s"] for run in found)
                   for setting, found in runs.items()}
        results["languages"][lang] = {
            "median_cpu_s": {setting: round(value, 3) for setting, value in medians.items()},
            "frozen_vs_not": {heap: round(medians[f"{heap}-frozen"] / medians[heap], 3)
                              for heap in heaps},
            **{key: {setting: [run[key] for run in found] for setting, found in runs.items()}
               for key in ("full_collections", "frozen_objects")},
            "cpu_s": {setting: [round(run["cpu_s"], 3) for run in found]
                      for setting, found in runs.items()},
        }
        print(f"{lang}: {args.sentences:,} lines, median CPU s "
              + ", ".join(f"{setting} {value:.2f}" for setting, value in medians.items()))
    print(f"saved: {save_json(save_json_path(args.save, 'worker_gc_freeze.json'), results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
