"""Exact-match evaluation on rulebook cases: ``input<TAB>expected<TAB>article`` rows.

The expected reading is pronounced hangul as the Standard Pronunciation rules write it
([오탄벌], [바다래]); ``a/b`` lists the readings an article allows. Readings are compared
as sounds, not as syllable blocks: the adapter keeps a consonant that links onto the next
token in its own token (옷 안 → 옫 안), so both sides are decomposed into jamo and the
silent onset ㅇ is dropped before comparing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from g2p.base import Adapter
from g2p.ko.hangul import decompose, is_syllable
from g2p.report import Report

_IGNORED = str.maketrans("", "", " []ː:")  # spaces, brackets and length marks ([밥ː따])


def sound_key(reading: str) -> str:
    """The jamo of ``reading`` without spaces and silent onsets: 옫안 and 오단 → ㅗㄷㅏㄴ."""
    return "".join(
        "".join(decompose(ch)).removeprefix("ㅇ") if is_syllable(ch) else ch
        for ch in reading.translate(_IGNORED)
    )


def read_cases(path: Path) -> Iterator[tuple[int, str, tuple[str, ...], str]]:
    """(line number, input, allowed readings, article) of each case; ``#`` lines and the
    header are skipped, a missing article is ``-``, a malformed line raises with its file
    and line."""
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#") or line.startswith("input\t"):
                continue
            parts = line.split("\t")
            if len(parts) not in (2, 3) or not all(parts):
                raise ValueError(f"{path}:{lineno}: expected input<TAB>expected[<TAB>article]")
            article = parts[2] if len(parts) == 3 else "-"
            yield lineno, parts[0], tuple(parts[1].split("/")), article


def reading_of(adapter: Adapter, text: str) -> str:
    """The pronounced reading of a case: its space-separated tokens read as one phrase."""
    return "".join(t.reading for t in adapter.transcribe(text.split()))


def evaluate_cases(adapter: Adapter, path: Path) -> Report:
    """Exact matches, with [cases, wrong] per article in ``groups``."""
    report = Report("rulebook", adapter.lang, str(path))
    start = time.perf_counter()
    for _, text, allowed, article in read_cases(path):
        predicted = reading_of(adapter, text)
        right = sound_key(predicted) in {sound_key(reading) for reading in allowed}
        counts = report.groups.setdefault(article, [0, 0])
        counts[0] += 1
        report.entries += 1
        report.reference_length += 1
        if not right:
            counts[1] += 1
            report.errors += 1
            report.wrong_entries += 1
            report.examples.append((text, "/".join(allowed), predicted))
    report.seconds = time.perf_counter() - start
    return report
