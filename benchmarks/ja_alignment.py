"""Japanese token alignment on PAN-X character tokens: do the tokens' readings add up?

    python -m benchmarks.ja_alignment [--limit N]

For each sentence of ../shared/data/phonexl_original/panx/dev-ja.tsv (first column, one
character per token) the readings of the tokens, concatenated, must equal the analyser's
reading of the whole sentence (morpheme pronunciations and numbers, Latin words left out as
the contract reads them as written). Also reported: the share of kanji tokens that get a
reading of their own (not ``shared``), the status counts, and characters per second on one
core. Prints and saves JSON (benchmarks/results/g2p_ja_alignment.json).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from g2p import get_adapter
from g2p.ja.analysis import analyse
from g2p.ja.kana import is_ideograph, widen_katakana
from g2p.ja.numbers import NUMBER, read_number
from g2p.script import is_latin, is_punct
from g2p.types import Status

_SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_DEFAULT = _SHARED_DATA / "phonexl_original" / "panx" / "dev-ja.tsv"
_DEFAULT_SAVE = Path(__file__).resolve().parent / "results" / "g2p_ja_alignment.json"


def read_sentences(path: Path) -> Iterator[list[str]]:
    """Token lists from a PAN-X style TSV (first column; a blank line ends a sentence)."""
    tokens: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    yield tokens
                tokens = []
            else:
                tokens.append(line.split("\t")[0])
    if tokens:
        yield tokens


def sentence_reading(text: str) -> str:
    """The analyser's reading of a sentence, computed without any token alignment."""
    text = widen_katakana(text)
    parts: list[str] = []
    chunk = position = 0
    while position < len(text):
        if not (text[position].isdigit() and NUMBER.match(text, position)):
            position += 1
            continue
        parts.extend(_said(text[chunk:position]))
        position, pieces = read_number(text, position)
        parts.extend(p for p in pieces if p)
        chunk = position
    parts.extend(_said(text[chunk:]))
    return "".join(parts)


def _said(text: str) -> Iterator[str]:
    """Morpheme readings as the contract says them: Latin words and symbols (～ カラ) silent."""
    for morpheme in analyse(text):
        if not (is_latin(morpheme.surface) or is_punct(morpheme.surface)):
            yield morpheme.reading


def measure(path: Path, limit: int | None = None) -> dict[str, object]:
    adapter = get_adapter("ja")
    sentences = list(read_sentences(path))[:limit]
    adapter.transcribe(sentences[0])  # warm-up: load the dictionary and tables
    statuses: Counter[str] = Counter()
    kanji = kanji_own = matched = characters = 0
    mismatches: list[tuple[str, str, str]] = []
    elapsed = 0.0
    for tokens in sentences:
        start = time.perf_counter()
        result = adapter.transcribe(tokens)
        elapsed += time.perf_counter() - start
        characters += sum(map(len, tokens))
        statuses.update(t.status.value for t in result)
        for item in result:
            if len(item.token) == 1 and is_ideograph(item.token):
                kanji += 1
                kanji_own += item.status is Status.OK
        predicted = "".join(t.reading for t in result if t.status is not Status.LATIN)
        expected = sentence_reading("".join(tokens))
        if predicted == expected:
            matched += 1
        elif len(mismatches) < 20:
            mismatches.append(("".join(tokens), expected, predicted))
    return {
        "corpus": str(path),
        "sentences": len(sentences),
        "tokens": sum(statuses.values()),
        "characters": characters,
        "reading_match_rate": round(matched / len(sentences), 5),
        "kanji_tokens": kanji,
        "kanji_own_reading_rate": round(kanji_own / kanji, 5) if kanji else 0.0,
        "statuses": dict(statuses.most_common()),
        "transcribe_seconds": round(elapsed, 3),
        "characters_per_s": round(characters / elapsed, 1) if elapsed else 0.0,
        "mismatch_examples": mismatches,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ja_alignment",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=_DEFAULT)
    parser.add_argument("--limit", type=int, help="use only the first N sentences")
    parser.add_argument("--save", type=Path, default=_DEFAULT_SAVE)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    report = measure(args.corpus, args.limit)
    for key, value in report.items():
        if key != "mismatch_examples":
            print(f"{key}: {value}")
    for sentence, expected, predicted in report["mismatch_examples"][:5]:  # type: ignore[index]
        print(f"  {sentence}\n    analyser: {expected}\n    tokens:   {predicted}")
    args.save.parent.mkdir(parents=True, exist_ok=True)
    args.save.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    print(f"saved to {args.save}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
