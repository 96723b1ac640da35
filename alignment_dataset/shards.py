"""Sharded, deterministic, resumable builds of the raw-text configs (``text.<lang>``).

A split's records are cut into shards of ``shard_lines`` records, in input order (files in
the order given), so shard ``i`` holds the same records whatever the engine, the number of
workers or an earlier interruption. One worker transcribes a whole shard: it reads the
shard's records itself (:func:`alignment_dataset.text.sentences`), transcribes them with a
:class:`~alignment_dataset.transcribe.Transcriber` built once per worker, and writes them with
:class:`~alignment_dataset.writer.SplitWriter` as ``<split>-<tag>-<i>-of-<n>.parquet``, where
the tag is taken from the build's key: the same inputs, options and code give the same file
names and bytes, on any engine. A shard without rows (only empty lines) writes no file.

Finished shards wait in ``<out>/.partial/<config>-<key>/``, each with a ``.json`` of its
counts written after the shard's parquet is renamed into place, so a shard is done exactly
when its ``.json`` exists: a killed build resumes with the shards that are missing. When all
are there, the folder gets the config's manifest (counts per split, and per shard) and is
staged for publication (:mod:`alignment_dataset.publish`), like every other config.

Engines run :meth:`TextJob.run` on a list of shards and yield each shard's result as it
ends: :func:`run_local` (this process, or a pool of ``workers`` processes) here,
:func:`alignment_dataset.ray_engine.run_ray` on Ray.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from tqdm import tqdm

from alignment_dataset import provenance, text
from alignment_dataset.pipeline import EmptyConfigError, SplitStats, is_current, resume_key
from alignment_dataset.readers import CorpusFormatError
from alignment_dataset.schema import SPLITS, TEXT, config_name
from alignment_dataset.sources import (
    KEYWORDS,
    SourceError,
    _license_of,
    lang_from_name,
    local_file,
    split_from_name,
)
from alignment_dataset.transcribe import (
    AdapterFactory,
    Transcriber,
    call_worker,
    default_factory,
    freeze_worker_heap,
    worker_pool,
)
from alignment_dataset.writer import SplitWriter, shard_name, stage
from g2p.paths import write_text_atomic

PARTIAL = ".partial"
SHARD_LINES = 50_000  # peak RSS grows with the shard: 140 MB (vi) at 50k, 430 MB at 100k
_KEPT_ERRORS = 20

# A shard's result: {"position", "split", "index", "file", "records", "stats"} and, from the
# engine, "worker": {"pid", "peak_rss_mb"}.
Result = dict[str, object]
Engine = Callable[["TextJob", Sequence[int], int], Iterator[Result]]


@dataclass(frozen=True)
class TextOptions:
    """Options that change the output of a raw-text config (all are in its key)."""

    tones: bool = True
    limit: int | None = None  # records per split
    skip_bad: bool = False
    words: bool = False  # the analyser's words instead of the default tokens
    shard_lines: int = SHARD_LINES
    max_chars: int = text.MAX_CHARS
    field: str = "text"  # jsonl field / parquet column


@dataclass(frozen=True)
class TextInput:
    """One input file of one split; ``split`` and ``fingerprint`` are what a key is made of
    (:func:`alignment_dataset.pipeline.resume_key`)."""

    split: str
    file: text.TextFile
    license: str
    license_note: str

    @property
    def fingerprint(self) -> str:
        return self.file.fingerprint


@dataclass
class TextConfig:
    """A ``text.<lang>`` config and its inputs (``config``/``inputs`` as a ConfigPlan's)."""

    config: str
    lang: str
    inputs: list[TextInput] = field(default_factory=list)


@dataclass(frozen=True)
class Shard:
    """Records ``start`` .. ``stop - 1`` of input ``source``: shard ``index`` of ``count``."""

    split: str
    index: int
    count: int
    source: int  # position in TextConfig.inputs
    start: int
    stop: int


def plan_text(paths: Sequence[str], langs: Sequence[str],
              options: TextOptions) -> tuple[list[TextConfig], list[str]]:
    """Raw-text files: language from --lang (or, for several, from the file name), split
    from the file name (else train), scanned once. Returns the configs and banner notes."""
    configs: dict[str, TextConfig] = {}
    notes: list[str] = []
    for entry in paths:
        if entry in KEYWORDS:
            raise SourceError(f"--source {entry}: --task text reads local raw-text files "
                              "(.txt, .jsonl, .parquet); pass --source FILE ...")
        path = local_file(entry).resolve()  # workers (Ray actors too) may run elsewhere
        lang = langs[0] if len(langs) == 1 else lang_from_name(path)
        if lang not in langs:
            raise SourceError(f"--source {entry}: its name has no language code of "
                              f"{', '.join(langs)}; pass one --lang for all files")
        split = split_from_name(path)
        if split is None:
            split = "train"
            notes.append(f"{path.name}: no train/dev/test in the name, used as the train split")
        try:
            scanned = text.scan(path, options.field, options.shard_lines, options.max_chars)
        except CorpusFormatError as error:
            raise SourceError(str(error)) from None
        name = config_name(TEXT.name, lang)
        configs.setdefault(name, TextConfig(name, lang)).inputs.append(
            TextInput(split, scanned, *_license_of(path)))
    for config in configs.values():
        config.inputs.sort(key=lambda source: SPLITS.index(source.split))
    return list(configs.values()), notes


def describe(configs: Sequence[TextConfig], notes: Sequence[str], options: TextOptions) -> str:
    """The banner: which files, how many records, how they are tokenised."""
    rule = "=" * 78
    lines = [rule, "phonexl source: local raw-text files (one sentence per line or row)"]
    lines += [f"  note: {note}" for note in notes]
    for config in configs:
        files = ", ".join(f"{i.split}<-{i.file.path.name} ({i.file.records:,} records)"
                          for i in config.inputs)
        lines.append(f"  {config.config} (tokens: "
                     f"{text.describe_tokens(config.lang, options.words)}): {files}")
    return "\n".join([*lines, rule])


def plan_shards(config: TextConfig, options: TextOptions) -> list[Shard]:
    """Every shard of ``config``: per split, ``shard_lines`` records each, up to ``limit``."""
    shards: list[Shard] = []
    for split in SPLITS:
        ranges = []
        left = options.limit
        for source, entry in enumerate(config.inputs):
            if entry.split != split:
                continue
            records = entry.file.records if left is None else min(entry.file.records, left)
            left = None if left is None else left - records
            ranges += [(source, start, min(start + options.shard_lines, records))
                       for start in range(0, records, options.shard_lines)]
        shards += [Shard(split, index, len(ranges), source, start, stop)
                   for index, (source, start, stop) in enumerate(ranges)]
    return shards


@dataclass(frozen=True)
class TextJob:
    """What every worker needs to transcribe any shard of one config (picklable)."""

    config: TextConfig
    options: TextOptions
    key: str
    folder: Path
    shards: tuple[Shard, ...]
    factory: AdapterFactory

    def file_name(self, shard: Shard) -> str:
        return shard_name(shard.split, self.key[:8], shard.index, shard.count)

    def _result_path(self, shard: Shard) -> Path:
        return self.folder / f"{shard.split}-{shard.index:05d}.json"

    def finished(self) -> dict[int, Result]:
        """Results of the shards already done, by position."""
        done = {}
        for position, shard in enumerate(self.shards):
            path = self._result_path(shard)
            if path.is_file():
                done[position] = json.loads(path.read_text(encoding="utf-8"))
        return done

    def transcriber(self) -> Transcriber:
        """The worker's transcriber, entered (its adapter built) once per worker."""
        return Transcriber(self.config.lang, tones=self.options.tones,
                           factory=self.factory).__enter__()

    def run(self, transcriber: Transcriber, tokenize: text.Tokenizer, position: int) -> Result:
        """Transcribe and write shard ``position``, then record its result; returns it."""
        shard = self.shards[position]
        started = time.perf_counter()
        stats = SplitStats()
        on_error = (lambda error: stats.skip(str(error))) if self.options.skip_bad else None
        name = self.file_name(shard)
        final, tmp = self.folder / name, self.folder / f".tmp-{name}"
        writer = SplitWriter(tmp, TEXT.name)
        try:
            read = text.sentences(self.config.inputs[shard.source].file, shard.start,
                                  shard.stop, tokenize, self.options.max_chars, on_error)
            for sentence, outcome in transcriber.map(_not_empty(read, stats)):
                row = stats.take(sentence, outcome, self.config.lang, "", self.options.skip_bad)
                if row is not None:
                    writer.add(row)
            writer.close()
        except BaseException:
            writer.discard()
            tmp.unlink(missing_ok=True)
            raise
        if tmp.exists():
            os.replace(tmp, final)
        stats.seconds = round(time.perf_counter() - started, 3)
        result: Result = {
            "position": position, "split": shard.split, "index": shard.index,
            "file": name if stats.rows else None, "records": shard.stop - shard.start,
            "stats": {**asdict(stats), "status": dict(stats.status)},
        }
        write_text_atomic(self._result_path(shard), json.dumps(result, ensure_ascii=False))
        return result


def _not_empty(sentences: Iterable, stats: SplitStats) -> Iterator:
    """Sentences with tokens; the others counted as empty."""
    for sentence in sentences:
        stats.sentences_read += 1
        if sentence.tokens:
            yield sentence
        else:
            stats.empty += 1


def worker_info() -> dict[str, object]:
    """This process's id and peak resident memory (MB), for the summary and the benchmark."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"pid": os.getpid(), "peak_rss_mb": round(peak, 1)}


class ShardWorker:
    """One worker's state: the job, its transcriber and tokenizer, built once."""

    def __init__(self, job: TextJob) -> None:
        self.job = job
        self.transcriber = job.transcriber()
        self.tokenize = text.tokenizer(job.config.lang, job.options.words)

    def __call__(self, position: int) -> Result:
        return {**self.job.run(self.transcriber, self.tokenize, position),
                "worker": worker_info()}


def run_local(job: TextJob, todo: Sequence[int], workers: int) -> Iterator[Result]:
    """This machine's engine: in this process for one worker, else a pool of processes that
    each take whole shards (fork where available, so an injected factory needs no pickling)."""
    workers = min(workers, len(todo))
    if workers <= 1:
        worker = ShardWorker(job)
        freeze_worker_heap()  # as a pool process does, so that 1 and 2 workers compare
        try:
            for position in todo:
                yield worker(position)
        finally:
            gc.unfreeze()  # the caller's heap is the caller's
        return
    with worker_pool(workers, partial(ShardWorker, job)) as pool:  # terminates on exit
        yield from pool.imap_unordered(call_worker, todo)


def _merged(shards: Sequence[Shard], results: dict[int, Result], resumed: set[int],
            seconds: float, workers: int) -> dict[str, dict[str, object]]:
    """Per split: the shards' counts added up. Its seconds: the run's wall time shared by the
    time of the shards built in it, plus, for shards resumed from an earlier run, their own
    time spread over ``workers`` (so a resumed build's rate is not inflated)."""
    splits: dict[str, dict[str, object]] = {}
    shard_time = sum(r["stats"]["seconds"] for p, r in results.items() if p not in resumed)
    for position, shard in enumerate(shards):
        part = results[position]["stats"]
        total = splits.setdefault(shard.split, {**asdict(SplitStats()), "status": Counter()})
        for name, value in part.items():
            if name.endswith("_examples"):
                total[name] = (total[name] + value)[:_KEPT_ERRORS]
            elif name == "status":
                total[name].update(value)
            elif name != "seconds":
                total[name] += value
        total["seconds"] += (part["seconds"] / workers if position in resumed
                             else part["seconds"] / (shard_time or 1.0) * seconds)
    for total in splits.values():
        total["status"] = dict(total["status"])
        total["seconds"] = round(total["seconds"], 3)
    return splits


def build_text_config(config: TextConfig, out_dir: Path, options: TextOptions, engine: Engine,
                      workers: int, factory: AdapterFactory, backends: dict[str, str],
                      progress: bool = True, engine_name: str = "local") -> dict[str, object]:
    """Build ``config`` into ``out_dir/.staged/`` (resuming its finished shards) and return
    its manifest, with the peak RSS of each worker of this run."""
    started = time.perf_counter()
    text.tokenizer(config.lang, options.words)  # a missing package fails here, before workers
    key = resume_key(config, options)
    folder = Path(out_dir) / PARTIAL / f"{config.config}-{key[:16]}"
    for stale in sorted(folder.parent.glob(f"{config.config}-*")):
        if stale != folder:  # work for other inputs or options: it can never be resumed
            shutil.rmtree(stale)
            print(f"removed unfinished shards built from other inputs/options: {stale}",
                  file=sys.stderr)
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(".tmp-*"):
        leftover.unlink()
    shards = plan_shards(config, options)
    job = TextJob(config, options, key, folder, tuple(shards), factory)
    results = job.finished()
    todo = [position for position in range(len(shards)) if position not in results]
    if results:
        print(f"resuming {config.config}: {len(results)} of {len(shards)} shards already built",
              file=sys.stderr)
    peaks: dict[int, float] = {}
    bar = tqdm(total=sum(s.stop - s.start for s in shards), unit=" sent", file=sys.stderr,
               initial=sum(r["records"] for r in results.values()), desc=config.config,
               disable=not progress, mininterval=0.5, dynamic_ncols=True)
    tokens = 0
    with bar:
        for result in engine(job, todo, workers):
            worker = result.pop("worker")
            peaks[worker["pid"]] = max(peaks.get(worker["pid"], 0.0), worker["peak_rss_mb"])
            results[result["position"]] = result
            tokens += result["stats"]["tokens"]
            bar.update(result["records"])
            bar.set_postfix_str(f"{tokens / (time.perf_counter() - started):,.0f} tok/s")
    seconds = time.perf_counter() - started
    splits = _merged(shards, results, set(range(len(shards))) - set(todo), seconds, workers)
    if not any(stats["rows"] for stats in splits.values()):
        empty = sum(stats["empty"] for stats in splits.values())
        skipped = sum(stats["skipped"] for stats in splits.values())
        raise EmptyConfigError(f"{config.config}: no sentence left to write ({empty} empty, "
                               f"{skipped} skipped as bad); nothing was written for it")
    manifest = {
        "config": config.config, "task": TEXT.name, "lang": config.lang, "key": key,
        "options": asdict(options),
        "tokens": text.describe_tokens(config.lang, options.words),
        "inputs": [{"split": i.split, "kind": "path", "name": i.file.path.name,
                    "format": i.file.fmt, "records": i.file.records,
                    "fingerprint": i.fingerprint, "license": i.license,
                    "license_note": i.license_note} for i in config.inputs],
        "splits": splits,
        "shards": [results[position] for position in range(len(shards))],
        "seconds": round(seconds, 3),
        "engine": {"name": engine_name, "workers": workers,
                   "peak_rss_mb": sorted(peaks.values()),
                   "shards_resumed": len(shards) - len(todo)},
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "environment": provenance.environment(),
        "backends": backends,
    }
    stage(folder, out_dir, config.config, manifest)
    if not any(folder.parent.iterdir()):
        folder.parent.rmdir()
    if peaks:
        print(f"{config.config}: {len(peaks)} worker(s) ({engine_name}), peak RSS per worker "
              + ", ".join(f"{peak:,.0f}" for peak in sorted(peaks.values())) + " MB",
              file=sys.stderr)
    return manifest


def build_text(configs: Sequence[TextConfig], out_dir: Path, options: TextOptions,
               engine: Engine, workers: int, factory: AdapterFactory,
               force: bool = False, progress: bool = True,
               engine_name: str = "local") -> tuple[list[dict], list[str]]:
    """Build every config not already built from the same inputs and options; returns the
    manifests built and the names kept."""
    built, kept = [], []
    for config in configs:
        if not force and is_current(out_dir, config, options):
            kept.append(config.config)
            continue
        backends = (provenance.backend_versions(config.lang)
                    if factory is default_factory else {})
        built.append(build_text_config(config, out_dir, options, engine, workers, factory,
                                       backends, progress, engine_name))
    return built, kept
