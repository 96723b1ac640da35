"""Build one config: read its splits, check labels, transcribe, write, record a manifest.

Bad input (a malformed sentence, an unknown label, a sentence the adapter fails on) stops the
build with its file:line, or with ``skip_bad`` is left out and counted. IOB2 tags that do not
continue an entity are repaired and counted (:func:`alignment_dataset.schema.repair_iob2`).
A split left without rows writes no file; a config left without rows is refused.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from itertools import chain, islice
from pathlib import Path

from tqdm import tqdm

from alignment_dataset import provenance
from alignment_dataset.readers import CorpusFormatError, Sentence
from alignment_dataset.schema import TASKS, repair_iob2
from alignment_dataset.sources import ConfigPlan, SplitSource
from alignment_dataset.transcribe import Outcome, Transcriber, TranscriptionError
from alignment_dataset.writer import ConfigWriter, config_dir, read_manifest

_KEPT_ERRORS = 20


class EmptyConfigError(ValueError):
    """Every sentence of a config was empty or skipped: there is nothing to publish."""


@dataclass(frozen=True)
class BuildOptions:
    """Options that change the output (``workers`` does not: row order is preserved)."""

    tones: bool = True
    limit: int | None = None
    skip_bad: bool = False


@dataclass
class SplitStats:
    """Counts of one split, for the manifest, the summary and the card."""

    sentences_read: int = 0
    rows: int = 0
    tokens: int = 0
    empty: int = 0
    skipped: int = 0
    skipped_examples: list[str] = field(default_factory=list)
    repaired: int = 0  # IOB2 tags changed from I-X to B-X
    repaired_examples: list[str] = field(default_factory=list)
    status: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def skip(self, message: str) -> None:
        self.skipped += 1
        if len(self.skipped_examples) < _KEPT_ERRORS:
            self.skipped_examples.append(message)

    def repair(self, where: str) -> None:
        self.repaired += 1
        if len(self.repaired_examples) < _KEPT_ERRORS:
            self.repaired_examples.append(where)

    def take(self, sentence: Sentence, outcome: Outcome, lang: str, column: str,
             skip_bad: bool) -> dict[str, object] | None:
        """The row of a transcribed sentence, counted. An adapter failure is raised, or with
        ``skip_bad`` counted as skipped (None). ``column`` is the label column ("": none)."""
        if isinstance(outcome, TranscriptionError):
            if not skip_bad:
                raise outcome
            self.skip(str(outcome))
            return None
        ipa, reading, status = outcome
        row: dict[str, object] = {"id": sentence.id, "lang": lang,
                                  "tokens": list(sentence.tokens),
                                  "ipa": ipa, "reading": reading, "status": status}
        if column:
            row[column] = list(sentence.labels)
        self.rows += 1
        self.tokens += len(sentence.tokens)
        self.status.update(status)
        return row


def resume_key(plan: ConfigPlan, options: BuildOptions) -> str:
    """Identifies the output: inputs' checksums, options and the code that transcribes."""
    data = {
        "config": plan.config,
        "inputs": [(source.split, source.fingerprint) for source in plan.inputs],
        "options": asdict(options),
        "code": provenance.code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def is_current(out_dir: Path, plan: ConfigPlan, options: BuildOptions) -> bool:
    """True when the config is complete (staged or published) and built from the same inputs."""
    manifest = read_manifest(config_dir(out_dir, plan.config))
    return manifest is not None and manifest.get("key") == resume_key(plan, options)


def _where(sentence: Sentence, index: int) -> str:
    if sentence.lines:
        return f"{sentence.source.rsplit(':', 1)[0]}:{sentence.lines[index]}"
    return f"{sentence.source} token {index + 1}"


def _checked(inputs: list[SplitSource], task: str, options: BuildOptions,
             stats: SplitStats) -> Iterator[Sentence]:
    """Sentences with known labels; empty ones counted, bad ones raised or (skip_bad) counted."""
    allowed = frozenset(TASKS[task].labels)
    on_error = (lambda error: stats.skip(str(error))) if options.skip_bad else None
    stream = chain.from_iterable(source.read(on_error) for source in inputs)
    for sentence in islice(stream, options.limit):
        stats.sentences_read += 1
        if not sentence.tokens:
            stats.empty += 1
            continue
        bad = next((i for i, label in enumerate(sentence.labels) if label not in allowed), None)
        if bad is not None:
            error = CorpusFormatError(
                f"{_where(sentence, bad)}: unknown {task} label {sentence.labels[bad]!r} "
                f"(expected one of {' '.join(TASKS[task].labels)})")
            if not options.skip_bad:
                raise error
            stats.skip(str(error))
            continue
        if TASKS[task].iob2:
            labels, changed = repair_iob2(sentence.labels)
            for index in changed:
                stats.repair(_where(sentence, index))
            sentence = replace(sentence, labels=labels) if changed else sentence
        yield sentence


def _total(inputs: list[SplitSource], limit: int | None) -> int | None:
    counts = [source.count() for source in inputs]
    if any(count is None for count in counts):
        return limit
    total = sum(counts)
    return min(total, limit) if limit is not None else total


def _nothing_left(plan: ConfigPlan, splits: dict[str, SplitStats]) -> str:
    skipped = sum(stats.skipped for stats in splits.values())
    empty = sum(stats.empty for stats in splits.values())
    first = next((e for stats in splits.values() for e in stats.skipped_examples), None)
    names = ", ".join(source.name for source in plan.inputs)
    return (f"{plan.config} ({names}): no sentence left to write ({skipped} skipped as bad, "
            f"{empty} empty)"
            + (f"; the first skipped: {first}" if first else "")
            + "; nothing was written for this config: fix or leave out its input files")


def build_config(plan: ConfigPlan, out_dir: Path, options: BuildOptions,
                 transcriber: Transcriber, backends: dict[str, str],
                 progress: bool = True) -> dict[str, object]:
    """Write the config atomically into ``out_dir/.staged/`` and return its manifest.

    ``backends`` ({distribution: version} used by the adapter) is recorded for the card.
    """
    started = time.perf_counter()
    column = TASKS[plan.task].column
    splits: dict[str, SplitStats] = {}
    with ConfigWriter(out_dir, plan.config, plan.task) as writer:
        for split in plan.splits():
            inputs = [source for source in plan.inputs if source.split == split]
            stats = splits[split] = SplitStats()
            split_writer = writer.split(split)
            split_start = time.perf_counter()
            bar = tqdm(total=_total(inputs, options.limit), desc=f"{plan.config}/{split}",
                       unit=" sent", file=sys.stderr, disable=not progress,
                       mininterval=0.5, dynamic_ncols=True)
            with bar:
                pairs = transcriber.map(_checked(inputs, plan.task, options, stats))
                for sentence, outcome in pairs:
                    bar.update()
                    row = stats.take(sentence, outcome, plan.lang, column, options.skip_bad)
                    if row is None:
                        continue
                    split_writer.add(row)
                    if stats.rows % 256 == 0:
                        rate = stats.tokens / max(time.perf_counter() - split_start, 1e-9)
                        bar.set_postfix_str(f"{rate:,.0f} tok/s", refresh=False)
            stats.seconds = round(time.perf_counter() - split_start, 3)
        if not any(stats.rows for stats in splits.values()):
            raise EmptyConfigError(_nothing_left(plan, splits))
        manifest = {
            "config": plan.config, "task": plan.task, "lang": plan.lang,
            "key": resume_key(plan, options),
            "options": asdict(options),
            "inputs": [
                {"split": s.split, "kind": s.kind, "name": s.name, "fingerprint": s.fingerprint,
                 "license": s.license, "license_note": s.license_note}
                for s in plan.inputs
            ],
            "splits": {name: {**asdict(stats), "status": dict(stats.status)}
                       for name, stats in splits.items()},
            "seconds": round(time.perf_counter() - started, 3),
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "environment": provenance.environment(),
            "backends": backends,
        }
        writer.commit(manifest)
    return manifest
