"""Japanese token alignment on PAN-X character tokens: do the tokens' readings add up?

    python -m benchmarks.ja_alignment [--limit N]

For each sentence of ../shared/data/phonexl_original/panx/dev-ja.tsv (first column, one
character per token) the readings of the tokens, concatenated, must equal the analyser's
reading of the whole sentence (morpheme pronunciations and numbers; only the kana of the
token readings count, as unread Latin and other letters are kept there as written).

Also reported: the share of kanji tokens that get a reading of their own (not ``shared``),
the status counts, characters per second on one core, and for the words the analyser does
not know, how the two fallbacks (pykakasi, each kanji's most frequent reading) compare: on
those words (no gold: coverage and agreement) and on multi-kanji proper nouns of the
analyser's own lexicon taken as if unknown (accuracy against their UniDic kana). Prints and
saves JSON (benchmarks/results/g2p_ja_alignment.json).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from g2p import get_adapter
from g2p.ja.analysis import analyse, kakasi_reading, table_reading
from g2p.ja.build_readings import read_lexicon
from g2p.ja.kana import is_ideograph, is_kana, widen_katakana
from g2p.ja.sentence import sentence_units
from g2p.paths import save_json, save_json_path, shared_data
from g2p.script import is_latin, is_punct
from g2p.types import Status

_DEFAULT = shared_data() / "phonexl_original" / "panx" / "dev-ja.tsv"


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
    """The sentence's reading before any token alignment: its units' readings, without
    Latin words and symbols (～ カラ), which the contract leaves unread."""
    return "".join(
        unit.reading for unit in sentence_units(widen_katakana(text))
        if not (is_latin(unit.surface) or is_punct(unit.surface))
    )


def fallback_figures(sentences: list[list[str]], sample: int) -> dict[str, object]:
    """Unknown-word fallbacks: coverage on the corpus, accuracy on UniDic proper nouns."""
    unknown = [
        m.surface for tokens in sentences for m in analyse(widen_katakana("".join(tokens)))
        if not m.known and any(map(is_ideograph, m.surface))
    ]
    kakasi = [kakasi_reading(w) for w in unknown]
    table = [table_reading(w) for w in unknown]
    figures: dict[str, object] = {
        "unknown_kanji_words": len(unknown),
        "kakasi_reads": sum(map(bool, kakasi)),
        "kakasi_table_agree": sum(a == b for a, b in zip(kakasi, table, strict=True)),
    }
    if sample:
        names = _proper_nouns(sample)
        figures["proper_noun_sample"] = len(names)
        figures["kakasi_accuracy"] = round(
            sum(kakasi_reading(o) == k for o, k in names) / len(names), 4)
        figures["table_accuracy"] = round(
            sum(table_reading(o) == k for o, k in names) / len(names), 4)
    return figures


def _proper_nouns(sample: int) -> list[tuple[str, str]]:
    """An evenly spread sample of unidic-lite's multi-kanji proper nouns (orthography, kana)."""
    import unidic_lite

    names = sorted(
        (orth, kana)
        for orth, kana in read_lexicon(Path(unidic_lite.DICDIR) / "sys.dic", proper_nouns=True)
        if sum(map(is_ideograph, orth)) > 1
    )
    step = max(1, len(names) // sample)
    return names[::step][:sample]


def measure(path: Path, limit: int | None = None, sample: int = 0) -> dict[str, object]:
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
        predicted = "".join(ch for t in result for ch in t.reading if is_kana(ch))
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
        "fallback": fallback_figures(sentences, sample),
        "mismatch_examples": mismatches,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ja_alignment",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=_DEFAULT)
    parser.add_argument("--limit", type=int, help="use only the first N sentences")
    parser.add_argument("--save", type=Path,
                        help="JSON output (default: g2p_ja_alignment.json in "
                        "$PHONEXL_CACHE/results; name benchmarks/results/... to update the "
                        "committed figures)")
    parser.add_argument("--fallback-sample", type=int, default=2000,
                        help="UniDic proper nouns to test the unknown-word fallbacks on (0: skip)")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    report = measure(args.corpus, args.limit, args.fallback_sample)
    for key, value in report.items():
        if key != "mismatch_examples":
            print(f"{key}: {value}")
    for sentence, expected, predicted in report["mismatch_examples"][:5]:  # type: ignore[index]
        print(f"  {sentence}\n    analyser: {expected}\n    tokens:   {predicted}")
    save = save_json(save_json_path(args.save, "g2p_ja_alignment.json"), report)
    print(f"saved to {save}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
