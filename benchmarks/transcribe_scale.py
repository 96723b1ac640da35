"""Raw-text transcription at scale: sentences/s per language, 1 vs 2 workers, local vs Ray.

    python -m benchmarks.transcribe_scale --lang vi ja ko zh --sentences 20000
    python -m benchmarks.transcribe_scale --lang vi ja ko zh --sentences 20000 vi=200000 \\
        --big 1000000 --save benchmarks/results/transcribe_scale.json

The corpora are made from ../shared's UD sentences (``# text =`` lines) by repetition and
shuffling (seeded), under ``--corpus-dir`` (default /tmp/phonexl-scale, never the repository):
each line joins the start of one sentence to the end of another, cut at a random token
boundary, so that lines are new (an adapter's per-sentence memo does not serve a repeated
line) while words repeat as in real text. Per language, the same file is built (``--task
text``) with the local engine, 1 worker then 2, ``--repeats`` times in turn (so that a machine
that slows down over the run weighs on both alike), each run in a fresh process (a forked
worker would otherwise start with the memo caches the previous run filled, which no Ray actor
has), and only then with Ray and 2 actors: Ray's own processes are started after every local
run, since on 2 cores they would take CPU from the second local worker, and before the clock
of the Ray runs, as on a cluster (their start-up is reported apart). The figures are the
ratios of the settings' median tokens/s, peak RSS per worker, and whether every run wrote the
same bytes. ``--big N`` then builds an N-sentence file of the first language through the
command line (progress bar, summary, card), as a user would. ``--ray-one`` adds Ray with one
actor, compared with 1 local worker: there a core is left for the driver and Ray's services,
so what remains is the cost of the actor path itself. Results go to
``$PHONEXL_CACHE/results/transcribe_scale.json`` unless ``--save`` names a path.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from alignment_dataset import ray_engine, shards, text
from alignment_dataset.build import main as build_main
from alignment_dataset.transcribe import default_factory
from g2p import LANGS
from g2p.paths import save_json, save_json_path, shared_data

TARGET_SCALE = 330_000_000  # XPhoneBERT's pre-training sentences
LOCAL = (("local", 1), ("local", 2))
RAY = ("ray", 2)
RAY_ONE = ("ray", 1)  # with --ray-one: one actor, a core left to Ray's own processes
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def ud_sentences(lang: str) -> list[str]:
    """Every ``# text =`` line of the UD treebanks of ``lang`` in ../shared."""
    found = []
    for path in sorted((shared_data() / "ud").glob(f"{lang}_*.conllu")):
        with open(path, encoding="utf-8") as handle:
            found += [line[9:].strip() for line in handle if line.startswith("# text = ")]
    if not found:
        sys.exit(f"no UD {lang} sentences under {shared_data() / 'ud'}")
    return found


def _cut_points(line: str, lang: str) -> list[int]:
    """Where a line may be cut: at its spaces for ko and vi, between any two characters for
    ja and zh (written without spaces)."""
    if lang in ("ko", "vi"):
        return [i for i, ch in enumerate(line) if ch == " "] or [len(line)]
    return list(range(1, len(line))) or [len(line)]


def make_corpus(lang: str, count: int, folder: Path, seed: int = 13) -> Path:
    """``count`` lines of ``lang``, each the start of one UD sentence and the end of another
    (a random cut in each, pairs drawn anew for each line)."""
    path = folder / f"corpus-{lang}-{count}-joined.txt"
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    pool, rng = ud_sentences(lang), random.Random(seed)
    cuts = [_cut_points(line, lang) for line in pool]
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        for _ in range(count):
            head, tail = rng.randrange(len(pool)), rng.randrange(len(pool))
            start = pool[head][:rng.choice(cuts[head])]
            end = pool[tail][rng.choice(cuts[tail]):]
            handle.write(f"{start}{end}".strip() + "\n")
    tmp.rename(path)
    return path


def shard_digest(folder: Path) -> str:
    """sha256 over the shard files' bytes, in name (= shard index) order. The names are left
    out: they carry the build key, which changes with any edit of the code, so a file saved
    in the checkout during a run would look like other output."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.parquet")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cpu_seconds() -> dict[tuple[int, int], float]:
    """CPU seconds (user + system) of this process and every process under it, keyed by
    (pid, start time) so that a reused pid is another process (Linux /proc): what the
    driver and Ray's own processes (GCS, raylet, Ray Data's helper actors, all started from
    the driver) take from the cores, which no per-worker figure shows. A process that ends
    between two readings loses what it spent after the first: the figures are lower bounds."""
    parents, spent = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        key = (int(stat.parent.name), int(fields[19]))
        parents[key[0]] = int(fields[1])
        spent[key] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    me = os.getpid()

    def under_me(pid: int) -> bool:
        while pid > 1:
            if pid == me:
                return True
            pid = parents.get(pid, 0)
        return False

    return {key: cpu for key, cpu in spent.items() if under_me(key[0])}


def run_setting(corpus: Path, lang: str, engine: str, workers: int, shard_lines: int,
                scratch: Path) -> dict[str, object]:
    """Build ``corpus`` once with ``engine`` and ``workers``; its figures."""
    options = shards.TextOptions(shard_lines=shard_lines)
    configs, _ = shards.plan_text([str(corpus)], [lang], options)
    out = scratch / f"{lang}-{engine}-{workers}"
    shutil.rmtree(out, ignore_errors=True)
    engine_run = ray_engine.run_ray if engine == "ray" else shards.run_local
    busy: dict[int, float] = {}  # seconds each worker spent building shards
    first = cpu_seconds()
    last = dict(first)  # a worker's last reading: the pool ends it before the run returns

    def run(job: shards.TextJob, todo: list[int], count: int) -> Iterator[shards.Result]:
        for result in engine_run(job, todo, count):
            pid = result["worker"]["pid"]
            busy[pid] = busy.get(pid, 0.0) + result["stats"]["seconds"]
            last.update(cpu_seconds())
            yield result

    started = time.perf_counter()
    built, _ = shards.build_text(configs, out, options, run, workers, default_factory,
                                 force=True, progress=True, engine_name=engine)
    seconds = time.perf_counter() - started
    last.update(cpu_seconds())
    spent: dict[str, float] = {"workers": 0.0, "driver": 0.0, "other": 0.0}
    for (pid, start), cpu in last.items():  # a process new since the first reading counts all
        part = "workers" if pid in busy else "driver" if pid == os.getpid() else "other"
        spent[part] += cpu - first.get((pid, start), 0.0)
    manifest = built[0]
    stats = manifest["splits"]["train"]
    figures = {
        "engine": engine, "workers": workers, "seconds": round(seconds, 2),
        "sentences": stats["rows"], "tokens": stats["tokens"],
        "sentences_per_s": round(stats["rows"] / seconds, 1),
        "tokens_per_s": round(stats["tokens"] / seconds, 1),
        # the rate once every worker is up: tokens over the busiest worker's shard time
        "busy_s_per_worker": sorted(round(b, 2) for b in busy.values()),
        "busy_tokens_per_s": round(stats["tokens"] / max(busy.values()), 1),
        # core-seconds of the workers (read at each result), of the driver (none apart when
        # it is the one worker) and of the other processes it started (Ray's services)
        **{f"cpu_s_{part}": round(seconds, 2) for part, seconds in spent.items()},
        "peak_rss_mb_per_worker": manifest["engine"]["peak_rss_mb"],
        "shards": len(manifest["shards"]),
        "output_sha256": shard_digest(out / ".staged" / manifest["config"]),
        "key": manifest["key"][:16],  # inputs, options and code: one per language if unedited
    }
    shutil.rmtree(out, ignore_errors=True)
    print(json.dumps(figures), file=sys.stderr)
    return figures


def shard_lines(count: int) -> int:
    """20 shards: both workers stay busy to the end."""
    return max(count // 20, 1)


def run_settings(lang: str, count: int, folder: Path, settings: tuple[tuple[str, int], ...],
                 repeats: int) -> list[dict[str, object]]:
    """Each of ``settings`` on one ``count``-sentence corpus of ``lang``, ``repeats`` times in
    turn."""
    corpus = make_corpus(lang, count, folder)
    runs = []
    for _ in range(repeats):
        for engine, workers in settings:
            arguments = (corpus, lang, engine, workers, shard_lines(count), folder / "out")
            if engine == "ray":  # the driver, in this process; its actors start cold
                runs.append(run_setting(*arguments))
                continue
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(1, mp_context=spawn) as fresh:  # not daemonic: may fork
                runs.append(fresh.submit(run_setting, *arguments).result())
    return runs


def summarize(lang: str, count: int, runs: list[dict[str, object]]) -> dict[str, object]:
    """Median tokens/s per setting over its repeats, and the ratios of those medians."""
    def median(engine: str, workers: int, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs
                                 if (r["engine"], r["workers"]) == (engine, workers))

    one, two, on_ray = (median(*setting, "tokens_per_s") for setting in (*LOCAL, RAY))
    busy_two, busy_ray = (median(*setting, "busy_tokens_per_s") for setting in (LOCAL[1], RAY))
    per_core = median("local", 2, "sentences_per_s") / 2  # with the losses of parallel runs
    return {
        "lang": lang, "sentences": count, "shard_lines": shard_lines(count), "runs": runs,
        "median_tokens_per_s": {"local-1": one, "local-2": two, "ray-2": on_ray},
        "two_vs_one_worker": round(two / one, 3),
        "ray_vs_local": round(on_ray / two, 3),
        "ray_vs_local_busy": round(busy_ray / busy_two, 3),  # start-up left out
        # the share of the machine's cores that the driver and its other processes took
        "driver_and_other_cpu_share": {f"{engine}-{workers}": round(
            (median(engine, workers, "cpu_s_driver") + median(engine, workers, "cpu_s_other"))
            / median(engine, workers, "seconds") / (os.cpu_count() or 1), 3)
            for engine, workers in (LOCAL[1], RAY)},
        **_one_actor(runs, one, median),
        "identical_output": len({run["output_sha256"] for run in runs}) == 1,
        "same_code": len({run["key"] for run in runs}) == 1,
        "sentences_per_s_per_core": round(per_core, 1),
        "hours_for_330M": {cores: round(TARGET_SCALE / (per_core * cores) / 3600, 1)
                           for cores in (2, 16, 64, 256)},
    }


def _one_actor(runs: list[dict[str, object]], local_one: float,
               median: Callable[[str, int, str], float]) -> dict[str, float]:
    """Ray with one actor against one local worker, when it ran (``--ray-one``)."""
    if not any((r["engine"], r["workers"]) == RAY_ONE for r in runs):
        return {}
    return {
        "ray_one_vs_local_one": round(median(*RAY_ONE, "tokens_per_s") / local_one, 3),
        "ray_one_vs_local_one_busy": round(median(*RAY_ONE, "busy_tokens_per_s")
                                           / median(*LOCAL[0], "busy_tokens_per_s"), 3),
    }


def big_run(lang: str, count: int, folder: Path) -> dict[str, object]:
    """The command line on a ``count``-sentence file, 2 local workers, with its card."""
    corpus = make_corpus(lang, count, folder)
    started = time.perf_counter()
    text.scan(corpus, "text", shards.SHARD_LINES)  # what the command does first, timed apart
    scan_seconds = time.perf_counter() - started
    out = folder / "out" / f"big-{lang}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    status = build_main(["--lang", lang, "--task", "text", "--source", str(corpus),
                         "--out", str(out), "--workers", "2", "--force"])
    seconds = time.perf_counter() - started
    manifest = json.loads((out / f"text.{lang}" / ".manifest.json").read_text("utf-8"))
    stats = manifest["splits"]["train"]
    figures = {
        "lang": lang, "status": status, "corpus": str(corpus),
        "corpus_mb": round(corpus.stat().st_size / 2**20, 1),
        "scan_seconds": round(scan_seconds, 2), "sentences": stats["rows"],
        "tokens": stats["tokens"], "empty": stats["empty"], "skipped": stats["skipped"],
        "build_seconds": manifest["seconds"], "wall_seconds_with_card": round(seconds, 1),
        "sentences_per_s": round(stats["rows"] / manifest["seconds"], 1),
        "tokens_per_s": round(stats["tokens"] / manifest["seconds"], 1),
        "peak_rss_mb_per_worker": manifest["engine"]["peak_rss_mb"],
        "shards": len(manifest["shards"]),
    }
    shutil.rmtree(out, ignore_errors=True)
    return figures


class _Nothing:
    """A Ray Data actor that does no work: what is left of a run is Ray's own cost."""

    def __call__(self, batch: dict[str, object]) -> dict[str, object]:
        return batch


def ray_floor_seconds() -> float:
    """Seconds Ray Data takes to run 2 empty batches on a pool of 2 actors set up as the
    engine's (one batch in flight each, numpy batches; no constructor arguments): the least
    any Ray build costs beyond its shards."""
    import ray.data

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = context.print_on_execution_start = False
    started = time.perf_counter()
    pool = ray.data.ActorPoolStrategy(size=2, max_tasks_in_flight_per_actor=1)
    # from items, as the engine's shard numbers: ray.data.range would add a read task, which
    # waits forever for a CPU that the two actors hold
    items = ray.data.from_items([{"position": 0}, {"position": 1}], override_num_blocks=2)
    for _ in items.map_batches(_Nothing, batch_size=1, compute=pool, num_cpus=1,
                               batch_format="numpy").iter_rows():
        pass
    return round(time.perf_counter() - started, 2)


def _start_ray(folder: Path) -> float:
    """Start a local 2-CPU Ray writing only under ``folder``; seconds it took."""
    import ray

    os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # no ~/.ray/auth_token
    started = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             _temp_dir=str(folder / "ray"))
    return round(time.perf_counter() - started, 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.transcribe_scale",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", nargs="+", choices=LANGS, default=["vi"])
    parser.add_argument("--sentences", nargs="+", default=["20000"], metavar="[LANG=]N",
                        help="sentences per language for the three-way comparison: N for "
                             "all, LANG=N for one (default: 20000)")
    parser.add_argument("--big", type=int, metavar="N",
                        help="then build an N-sentence file of the first --lang via the CLI")
    parser.add_argument("--repeats", type=int, default=2,
                        help="runs of each setting, in turn; the medians are compared")
    parser.add_argument("--ray-one", action="store_true",
                        help="also Ray with one actor, against one local worker")
    parser.add_argument("--corpus-dir", type=Path, default=Path("/tmp/phonexl-scale"))
    parser.add_argument("--save", type=Path, help="JSON path (default: scratch results)")
    args = parser.parse_args(argv)
    counts = {lang: int(n) for lang, _, n in (item.rpartition("=") for item in args.sentences)}
    counts.setdefault("", 20_000)
    sizes = {lang: counts.get(lang, counts[""]) for lang in args.lang}
    runs = {lang: run_settings(lang, n, args.corpus_dir, LOCAL, args.repeats)
            for lang, n in sizes.items()}
    import ray

    results: dict[str, object] = {"ray_start_seconds": _start_ray(args.corpus_dir),
                                  "cpus": os.cpu_count(), "repeats": args.repeats,
                                  "languages": {}}
    try:
        for lang, n in sizes.items():
            ray_settings = (RAY, RAY_ONE) if args.ray_one else (RAY,)
            runs[lang] += run_settings(lang, n, args.corpus_dir, ray_settings, args.repeats)
            results["languages"][lang] = summarize(lang, n, runs[lang])
    finally:
        ray.shutdown()
    _start_ray(args.corpus_dir)  # a fresh Ray: its first run also starts Ray Data's helpers
    try:
        results["ray_floor_seconds"] = {"first": ray_floor_seconds(),
                                        "again": ray_floor_seconds()}
    finally:
        ray.shutdown()
    if args.big:
        results["big"] = big_run(args.lang[0], args.big, args.corpus_dir)
    path = save_json(save_json_path(args.save, "transcribe_scale.json"), results)
    for lang, figures in results["languages"].items():
        rates = figures["median_tokens_per_s"]
        peak = {engine: max(max(r["peak_rss_mb_per_worker"]) for r in figures["runs"]
                            if r["engine"] == engine and r["workers"] == 2)
                for engine in ("local", "ray")}
        print(f"{lang}: {figures['sentences_per_s_per_core']:,.0f} sent/s per core; median "
              f"tokens/s 1 worker {rates['local-1']:,.0f}, 2 workers {rates['local-2']:,.0f} "
              f"(x{figures['two_vs_one_worker']}), Ray {rates['ray-2']:,.0f} "
              f"(x{figures['ray_vs_local']} of local, x{figures['ray_vs_local_busy']} "
              f"once started); identical: {figures['identical_output']} (same code: "
              f"{figures['same_code']}); "
              f"peak RSS/worker {peak['local']:,.0f} MB local, {peak['ray']:,.0f} MB Ray")
        if "ray_one_vs_local_one" in figures:
            print(f"{lang}: 1 Ray actor x{figures['ray_one_vs_local_one']} of 1 local worker "
                  f"(x{figures['ray_one_vs_local_one_busy']} once started)")
    if "big" in results:
        big = results["big"]
        print(f"big: {big['sentences']:,} {big['lang']} sentences in {big['build_seconds']} s "
              f"({big['sentences_per_s']:,.0f} sent/s, 2 workers), peak RSS/worker "
              f"{big['peak_rss_mb_per_worker']} MB")
    floor = results["ray_floor_seconds"]
    print(f"Ray Data, 2 empty batches on 2 actors: {floor['first']} s first, {floor['again']} s "
          "again")
    print(f"saved: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
